/**
 * Event log (one row per tweet) to panel (one row per customer per period), DESIGN.md "Data".
 *
 * Rules (also in `squeaky prepare --help` and data/README.md):
 * - Event log columns: customer, timestamp, author, label; other columns are ignored. author is
 *   `customer` (the customer tweeted; label complaint, compliment or neutral) or `firm` (the firm
 *   addressed the customer; label ignored). Case-insensitive.
 * - timestamp: ISO 8601 (UTC unless it carries an offset) or epoch seconds. Rows may be in any order.
 * - Periods: see periodGrid (day, week from Monday, or N hours; counted from --start when given).
 * - Window: events before --start or at/after --end are left out (counted in a warning). The panel
 *   runs from each customer's first own tweet (or from --start for everyone) to a common last
 *   period: the one containing --end's last instant, else the one of the latest event.
 * - A customer appears when they tweeted at least once in the window. Period 1 is the customer's
 *   first period (the period containing their first tweet, or the period starting at --start).
 * - voice: `silent` when the customer did not tweet in the period, else the label that comes first
 *   in the rule (default complaint, compliment, neutral) among the period's tweets.
 *   intervention = 1 when the firm addressed the customer in the period. n_complaint, n_compliment,
 *   n_neutral, n_firm count the period's tweets. Firm tweets before the customer's first period, or
 *   to accounts that never tweeted, are left out (counted in a warning).
 * - --friends EDGES.csv (columns follower, followee): friends_complaints and friends_compliments
 *   are the numbers of complaint and compliment tweets posted, in the same calendar period, by the
 *   customers the customer follows (accounts that are not customers in the window count 0).
 * - period_hours: the period length in hours, the same on every row (last column); `fit` reads it
 *   to state the report's horizons in days or weeks.
 */
import { InputError, UsageError, shown } from '../errors.js';
import { ChunkedInt32 } from './chunked.js';
import { customerOrder } from './customerOrder.js';
import { IssueList } from './issues.js';
import { columnRecord, type Panel } from './panel.js';
import { gridIndex, periodGrid, type PeriodGrid } from './periodGrid.js';
import { readCsvFile } from './readCsvFile.js';
import { didYouMean } from './suggest.js';
import { formatTimestamp, parseTimestamp } from './timestamp.js';

export interface PrepareOptions {
  /** 'day', 'week' or `${n}h`. */
  period: string;
  /** Window start (ISO 8601 or epoch seconds), inclusive. */
  start?: string;
  /** Window end (ISO 8601 or epoch seconds), exclusive. */
  end?: string;
  /** Priority order for several tweets in a period; a permutation of complaint, compliment, neutral. */
  rule?: string[];
  /** Follower-edge CSV (follower, followee). */
  friends?: string;
  /** Cap on listed issues (default 20). */
  maxErrors?: number;
  /** Largest panel accepted, in rows (default max(1,000,000, 50 x the number of events)). */
  maxRows?: number;
}

export interface PrepareResult {
  panel: Panel;
  warnings: string[];
}

const CUSTOMER_LABELS = ['complaint', 'compliment', 'neutral'] as const;
/** Event kinds: 0..2 = customer tweet with that label, 3 = firm tweet. */
const FIRM = 3;
const AUTHORS = ['customer', 'firm'];
const VOICE_ORDER = ['complaint', 'compliment', 'neutral', 'silent'];

export const DEFAULT_RULE = [...CUSTOMER_LABELS];

/** Column holding the period length in hours on every row (the same value throughout). */
export const PERIOD_HOURS_COLUMN = 'period_hours';

function resolveRule(rule: string[] | undefined): string[] {
  if (rule === undefined) return [...DEFAULT_RULE];
  const r = rule.map((s) => s.trim().toLowerCase());
  const ok = r.length === 3 && CUSTOMER_LABELS.every((l) => r.includes(l));
  if (!ok) throw new UsageError(`--rule: expected the three labels complaint, compliment, neutral in priority order (e.g. complaint,compliment,neutral), got '${rule.join(',')}'`);
  return r;
}

/**
 * --start/--end: an ISO 8601 date or date-time in the extended form (2024-03-01, 2024-03-01T06:00Z),
 * or epoch seconds written as @1709251200. Bare digits are refused: 20240301 reads as a basic-form
 * date to some and as epoch seconds (in 1970) to others.
 */
function parseInstant(flag: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const v = s.trim();
  const expected = 'an ISO 8601 date or time such as 2024-03-01 or 2024-03-01T06:00:00Z, or epoch seconds written as @1709251200';
  if (/^[+-]?\d+(\.\d+)?$/.test(v)) throw new UsageError(`${flag}: '${shown(s)}' is ambiguous (a compact date or epoch seconds?); expected ${expected}`);
  const t = v.startsWith('@') && /^@-?\d+(\.\d+)?$/.test(v) ? Number(v.slice(1)) : parseTimestamp(v);
  if (t === undefined || !(Math.abs(t) <= MAX_EPOCH)) throw new UsageError(`${flag}: expected ${expected}, got '${shown(s)}'`);
  return t;
}

/** Epoch seconds beyond the year 3000: far more likely milliseconds than seconds. */
const MAX_EPOCH = 32503680000;
/** A prepared panel may have at most this many rows per event, and at least MIN_ROW_LIMIT rows, unless --max-rows says otherwise. */
export const ROWS_PER_EVENT = 50;
export const MIN_ROW_LIMIT = 1_000_000;

/** Column positions of required header names; issues for missing or duplicated ones. */
function headerIndex(fields: string[], required: readonly string[], file: string, line: number, issues: IssueList): Record<string, number> | undefined {
  const header = fields.map((f) => f.trim());
  const idx: Record<string, number> = {};
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    if (seen.has(h) && required.includes(h)) issues.add({ file, line, column: h, value: h, expected: `each column name once (also column #${(seen.get(h) as number) + 1})` });
    else seen.set(h, j);
  });
  for (const r of required) {
    const j = seen.get(r);
    if (j === undefined) {
      issues.add({ file, line, column: r, expected: `a '${r}' column in the header${didYouMean(r, header.filter((h) => !required.includes(h)))}; the header has: ${header.join(', ')}` });
    } else idx[r] = j;
  }
  return Object.keys(idx).length === required.length ? idx : undefined;
}

/** Turn a tweet-level event log into a panel. Throws InputError (bad rows) or UsageError (bad options). */
export async function prepareEvents(eventsFile: string, options: PrepareOptions): Promise<PrepareResult> {
  const file = eventsFile;
  const rule = resolveRule(options.rule);
  const start = parseInstant('--start', options.start);
  const end = parseInstant('--end', options.end);
  if (start !== undefined && end !== undefined && !(end > start)) {
    throw new UsageError(`--end (${options.end}) must be after --start (${options.start})`);
  }
  const grid: PeriodGrid = periodGrid(options.period, start);
  const issues = new IssueList(options.maxErrors ?? 20);
  const warnings: string[] = [];

  // ---- read events
  const ids = new Map<string, number>();
  const idList: string[] = [];
  const evCust = new ChunkedInt32();
  const evGrid = new ChunkedInt32();
  const evKind = new ChunkedInt32();
  let col: Record<string, number> | undefined;
  let nFields = 0;
  let records = 0;
  let outside = 0;
  const authorCache = new Map<string, number>();
  const labelCache = new Map<string, number>();
  await readCsvFile(file, issues, (f, line) => {
    if (f.length === 1 && f[0].trim() === '') return;
    records++;
    if (records === 1) {
      col = headerIndex(f, ['customer', 'timestamp', 'author', 'label'], file, line, issues);
      nFields = f.length;
      return;
    }
    if (col === undefined) return;
    if (f.length !== nFields) {
      issues.add({ file, line, value: f.join(','), expected: `${nFields} fields as in the header, got ${f.length}` });
      return;
    }
    let bad = false;
    const cust = f[col.customer].trim();
    if (cust === '') {
      issues.add({ file, line, column: 'customer', value: '', expected: 'a customer id' });
      bad = true;
    }
    const ts = f[col.timestamp].trim();
    const t = parseTimestamp(ts);
    if (t === undefined) {
      issues.add({ file, line, column: 'timestamp', value: ts, expected: 'an ISO 8601 time (e.g. 2024-03-01T14:05:00Z; UTC unless an offset is given) or epoch seconds' });
      bad = true;
    } else if (!(Math.abs(t) <= MAX_EPOCH) && /^[+-]?\d/.test(ts) && !ts.includes('-', 1)) {
      issues.add({ file, line, column: 'timestamp', value: ts, expected: 'epoch seconds before the year 3000 (is it in milliseconds? divide by 1000)' });
      bad = true;
    }
    const as = f[col.author];
    let author = authorCache.get(as);
    if (author === undefined) {
      author = AUTHORS.indexOf(as.trim().toLowerCase());
      if (author >= 0) authorCache.set(as, author);
      else {
        issues.add({ file, line, column: 'author', value: as, expected: `customer or firm${didYouMean(as.trim(), AUTHORS)}` });
        bad = true;
      }
    }
    let kind = FIRM;
    if (author === 0) {
      const ls = f[col.label];
      let k = labelCache.get(ls);
      if (k === undefined) {
        k = (CUSTOMER_LABELS as readonly string[]).indexOf(ls.trim().toLowerCase());
        if (k >= 0) labelCache.set(ls, k);
        else {
          issues.add({ file, line, column: 'label', value: ls, expected: `complaint, compliment or neutral on a customer tweet${didYouMean(ls.trim(), CUSTOMER_LABELS)}` });
          bad = true;
        }
      }
      kind = k;
    }
    if (bad) return;
    if ((start !== undefined && (t as number) < start) || (end !== undefined && (t as number) >= end)) {
      outside++;
      return;
    }
    let ci = ids.get(cust);
    if (ci === undefined) {
      ci = idList.length;
      ids.set(cust, ci);
      idList.push(cust);
    }
    evCust.push(ci);
    evGrid.push(gridIndex(grid, t as number));
    evKind.push(kind);
  });
  if (records === 0) issues.add({ file, expected: 'a header row (customer, timestamp, author, label) and event rows; the file is empty' });
  else if (records === 1 && issues.count === 0) issues.add({ file, expected: 'event rows after the header; the file has a header only' });

  // ---- friends edges (read before failing, so that every problem is listed at once)
  const edges: [string, string][] = [];
  if (options.friends !== undefined) {
    const ef = options.friends;
    let ecol: Record<string, number> | undefined;
    let en = 0;
    let erec = 0;
    await readCsvFile(ef, issues, (f, line) => {
      if (f.length === 1 && f[0].trim() === '') return;
      erec++;
      if (erec === 1) {
        ecol = headerIndex(f, ['follower', 'followee'], ef, line, issues);
        en = f.length;
        return;
      }
      if (ecol === undefined) return;
      if (f.length !== en) {
        issues.add({ file: ef, line, value: f.join(','), expected: `${en} fields as in the header, got ${f.length}` });
        return;
      }
      const a = f[ecol.follower].trim();
      const b = f[ecol.followee].trim();
      if (a === '') issues.add({ file: ef, line, column: 'follower', value: '', expected: 'an account id' });
      if (b === '') issues.add({ file: ef, line, column: 'followee', value: '', expected: 'an account id' });
      if (a !== '' && b !== '') edges.push([a, b]);
    });
    if (erec === 0) issues.add({ file: ef, expected: 'a header row (follower, followee) and edge rows; the file is empty' });
  }
  if (issues.count > 0) {
    throw new InputError(`${issues.count} problem${issues.count === 1 ? '' : 's'} found; nothing was written`, issues.issues, issues.more);
  }

  // ---- customers and their period ranges (grid indices)
  const nEv = evCust.length;
  const nId = idList.length;
  const first = new Int32Array(nId).fill(2147483647);
  let lastG = -2147483648;
  for (let e = 0; e < nEv; e++) {
    const g = evGrid.get(e);
    if (g > lastG) lastG = g;
    if (evKind.get(e) !== FIRM) {
      const c = evCust.get(e);
      if (g < first[c]) first[c] = g;
    }
  }
  if (end !== undefined) lastG = Math.ceil((end - grid.origin) / grid.seconds) - 1;
  const isCustomer = (c: number): boolean => first[c] !== 2147483647;
  if (start !== undefined) for (let c = 0; c < nId; c++) if (isCustomer(c)) first[c] = 0;

  const kept = idList.map((_, c) => c).filter(isCustomer);
  if (kept.length === 0) {
    throw new InputError(`${file}: no customer tweets${start !== undefined || end !== undefined ? ' inside the window' : ''}; nothing was written`, [
      { file, column: 'author', expected: 'at least one customer tweet (author customer) to build a panel from' },
    ]);
  }
  const keptIds = kept.map((c) => idList[c]);
  const order = customerOrder(keptIds);
  const nCust = kept.length;
  const rowOf = new Int32Array(nId).fill(-1); // panel customer index of an account
  const offsets = new Int32Array(nCust + 1);
  for (let r = 0; r < nCust; r++) {
    const c = kept[order[r]];
    rowOf[c] = r;
    offsets[r + 1] = offsets[r] + (lastG - first[c] + 1);
  }
  const n = offsets[nCust];
  // Estimate before allocating: a panel far larger than its events is almost always a unit mistake.
  let rows = 0;
  let earliest = lastG;
  for (let r = 0; r < nCust; r++) {
    const f0 = first[kept[order[r]]];
    rows += lastG - f0 + 1;
    if (f0 < earliest) earliest = f0;
  }
  const maxRows = options.maxRows ?? Math.max(MIN_ROW_LIMIT, ROWS_PER_EVENT * nEv);
  if (rows > maxRows || rows > 2 ** 31 - 1) {
    const span = lastG - earliest + 1;
    throw new UsageError(
      `the panel would have ${rows.toLocaleString('en-US')} rows (${nCust} customers over up to ${span.toLocaleString('en-US')} periods of ${grid.spec}) from ${nEv} events, more than the limit of ${maxRows.toLocaleString('en-US')}: check the timestamps (a far-off date?) or use a longer --period or a --start/--end window; --max-rows raises the limit; nothing was written`,
    );
  }

  // ---- counts per row: [row*4 + kind]
  const counts = new Int32Array(n * 4);
  let firmBefore = 0;
  let firmNoCustomer = 0;
  for (let e = 0; e < nEv; e++) {
    const c = evCust.get(e);
    const k = evKind.get(e);
    const r = rowOf[c];
    if (r < 0) {
      firmNoCustomer++;
      continue;
    }
    const g = evGrid.get(e);
    if (g < first[c]) {
      firmBefore++;
      continue;
    }
    counts[(offsets[r] + g - first[c]) * 4 + k]++;
  }

  // ---- voice by rule; which default labels occur
  const byPriority = rule.map((l) => (CUSTOMER_LABELS as readonly string[]).indexOf(l)); // kind at priority p
  const rawVoice = new Int32Array(n); // index into VOICE_ORDER
  const occurs = [false, false, false, false];
  for (let row = 0; row < n; row++) {
    let v = 3; // silent
    for (let p = 0; p < 3; p++) {
      if (counts[row * 4 + byPriority[p]] > 0) {
        v = byPriority[p];
        break;
      }
    }
    rawVoice[row] = v;
    occurs[v] = true;
  }
  const voiceLabels = VOICE_ORDER.filter((_, i) => occurs[i]);
  const remap = VOICE_ORDER.map((l) => voiceLabels.indexOf(l));
  const voice = new Int32Array(n);
  for (let row = 0; row < n; row++) voice[row] = remap[rawVoice[row]];

  const period = new Int32Array(n);
  const intervention = new Float64Array(n);
  const nComplaint = new Float64Array(n);
  const nCompliment = new Float64Array(n);
  const nNeutral = new Float64Array(n);
  const nFirm = new Float64Array(n);
  for (let r = 0; r < nCust; r++) {
    for (let row = offsets[r]; row < offsets[r + 1]; row++) period[row] = row - offsets[r] + 1;
  }
  for (let row = 0; row < n; row++) {
    nComplaint[row] = counts[row * 4];
    nCompliment[row] = counts[row * 4 + 1];
    nNeutral[row] = counts[row * 4 + 2];
    nFirm[row] = counts[row * 4 + 3];
    intervention[row] = nFirm[row] > 0 ? 1 : 0;
  }
  const columns = columnRecord({
    intervention,
    n_complaint: nComplaint,
    n_compliment: nCompliment,
    n_neutral: nNeutral,
    n_firm: nFirm,
  });

  // ---- friends: complaint/compliment tweets of followed customers in the same calendar period
  if (options.friends !== undefined) {
    const fc = new Float64Array(n);
    const fp = new Float64Array(n);
    const seen = new Set<string>();
    let unknownFollowers = 0;
    let selfLoops = 0;
    for (const [a, b] of edges) {
      const key = `${a}\u0000${b}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (a === b) {
        selfLoops++;
        continue;
      }
      const ca = ids.get(a);
      const cb = ids.get(b);
      if (ca === undefined || rowOf[ca] < 0) {
        unknownFollowers++;
        continue;
      }
      if (cb === undefined || rowOf[cb] < 0) continue;
      const ra = rowOf[ca];
      const rb = rowOf[cb];
      // Calendar grid g is row offsets[r] + g - first[c] of customer r (when in range).
      const g0 = Math.max(first[ca], first[cb]);
      for (let g = g0; g <= lastG; g++) {
        const rowA = offsets[ra] + g - first[ca];
        const rowB = offsets[rb] + g - first[cb];
        fc[rowA] += counts[rowB * 4];
        fp[rowA] += counts[rowB * 4 + 1];
      }
    }
    columns.friends_complaints = fc;
    columns.friends_compliments = fp;
    if (unknownFollowers > 0) warnings.push(`${options.friends}: ${unknownFollowers} edge${unknownFollowers === 1 ? '' : 's'} from accounts that are not customers in the panel were left out`);
    if (selfLoops > 0) warnings.push(`${options.friends}: ${selfLoops} self-follow edge${selfLoops === 1 ? '' : 's'} left out`);
  }

  // The period length, so that a fit of this panel can state horizons in days or weeks.
  columns[PERIOD_HOURS_COLUMN] = new Float64Array(n).fill(grid.seconds / 3600);

  if (outside > 0) {
    const w = [start !== undefined ? `before ${formatTimestamp(start)}` : '', end !== undefined ? `at or after ${formatTimestamp(end)}` : ''].filter((s) => s).join(' or ');
    warnings.push(`${file}: ${outside} event${outside === 1 ? '' : 's'} ${w} (outside the window) left out`);
  }
  if (firmBefore > 0) warnings.push(`${file}: ${firmBefore} firm tweet${firmBefore === 1 ? '' : 's'} before the customer's first period left out`);
  if (firmNoCustomer > 0) warnings.push(`${file}: ${firmNoCustomer} firm tweet${firmNoCustomer === 1 ? '' : 's'} to accounts that never tweeted in the window left out`);

  const customers = Array.from(order, (i) => keptIds[i]);
  return { panel: { customers, offsets, period, voice, voiceLabels, columns, source: file }, warnings };
}
