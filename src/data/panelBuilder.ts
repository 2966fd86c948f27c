/**
 * The rules that turn the records of a panel CSV into a typed, sorted, validated Panel. Shared by
 * the streaming reader (readPanel) and the in-memory one (parsePanel) so both apply the same rules.
 *
 * Rules (also in `squeaky validate --help` and data/README.md):
 * - header row first; the four fixed columns (names configurable) must be present once each; every
 *   other column is a numeric covariate; header names are trimmed and must be unique and non-empty.
 * - customer: any non-empty text. period: whole number >= 0. voice: one of the labels
 *   (case-insensitive); empty or NA = missing observation. intervention: 0 or 1.
 *   covariates: finite numbers; empty or NA is an error (only voice may be missing).
 * - rows may come in any order; the panel is sorted by customer (numeric order when every id is an
 *   integer, else string order) then period.
 * - one row per (customer, period); periods of a customer must be consecutive. With fillGaps, a
 *   missing period becomes a row with missing voice, intervention 0 and every covariate 0.
 * - warnings (not errors): a customer with one period, a declared voice label that never occurs,
 *   a covariate name that formulas cannot refer to.
 */
import { UsageError, shown, type InputIssue } from '../errors.js';
import { ChunkedFloat64, ChunkedInt16, ChunkedInt32, ChunkedInt8, ChunkedUint8, RowLines, type ChunkedColumn } from './chunked.js';
import { customerOrder } from './customerOrder.js';
import { IssueList } from './issues.js';
import { columnRecord, DEFAULT_VOICE_LABELS, type Panel } from './panel.js';
import { didYouMean } from './suggest.js';
import { DECIMAL_WORDS, parseDecimal, parseWhole } from './strictNumber.js';

export interface PanelColumnsOption {
  customer?: string;
  period?: string;
  voice?: string;
  intervention?: string;
}

export interface ReadPanelOptions {
  /** Header names of the four fixed columns (defaults customer, period, voice, intervention). */
  columns?: PanelColumnsOption;
  /** Declared voice label set (--labels); default the four of DESIGN.md. */
  labels?: string[];
  /** Fill gaps as missing-voice rows with intervention 0 (and covariates 0); default: error. */
  fillGaps?: boolean;
  /** Cap on listed issues (default 20); InputError.more counts the rest. */
  maxErrors?: number;
  /** Reading a file: called after each chunk read with the bytes read so far and the file's size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface ReadPanelResult {
  panel: Panel;
  warnings: string[];
}

const FIXED = ['customer', 'period', 'voice', 'intervention'] as const;
type Fixed = (typeof FIXED)[number];
/** Names a formula can refer to (mathjs symbols). */
const FORMULA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_PERIOD = 2 ** 31 - 1;
/** --fill-gaps may add at most this many rows per row read, and at least MIN_FILL_LIMIT in all. */
const FILL_PER_ROW = 50;
const MIN_FILL_LIMIT = 1_000_000;
/** The builder's 8-bit intervention of a cell that is not 0 or 1 (the panel is then never built). */
const INTERVENTION_BAD = 255;

/** An empty cell or NA in any case (after trimming spaces). */
function isMissing(s: string): boolean {
  const t = s.trim();
  return t === '' || (t.length === 2 && t.toLowerCase() === 'na');
}

/** Validated declared labels (lower case) or the defaults. Throws UsageError on a bad declaration. */
export function resolveLabels(labels: string[] | undefined): { labels: string[]; declared: boolean } {
  if (labels === undefined) return { labels: [...DEFAULT_VOICE_LABELS], declared: false };
  const out: string[] = [];
  for (const raw of labels) {
    const l = raw.trim().toLowerCase();
    if (l === '' || l === 'na') throw new UsageError(`--labels: '${shown(raw)}' cannot be a label (empty and NA mean a missing observation)`);
    if (out.includes(l)) throw new UsageError(`--labels: '${shown(raw)}' is declared twice (labels are case-insensitive)`);
    out.push(l);
  }
  if (out.length < 2) throw new UsageError(`--labels: declare at least two labels, got ${labels.length}`);
  return { labels: out, declared: true };
}

export class PanelBuilder {
  private readonly issues: IssueList;
  private readonly names: Record<Fixed, string>;
  private readonly labels: string[];
  private readonly declared: boolean;
  private readonly labelIndex = new Map<string, number>();
  private readonly labelCounts: number[];

  private header: string[] | undefined;
  private col: Record<Fixed, number> = { customer: -1, period: -1, voice: -1, intervention: -1 };
  private covIdx: number[] = [];
  private covNames: string[] = [];
  private headerOk = false;

  private readonly customerIndex = new Map<string, number>();
  private readonly customerIds: string[] = [];
  // The rows as read, in compact form: voice 8-bit (16 or 32 with more labels), intervention
  // 8-bit (INTERVENTION_BAD where the cell was not 0 or 1), lines only where not consecutive.
  private readonly rowCustomer = new ChunkedInt32();
  private readonly rowPeriod = new ChunkedInt32();
  private readonly rowVoice: ChunkedColumn;
  private readonly rowLine = new RowLines();
  private readonly rowIntervention = new ChunkedUint8();
  private rowCov: ChunkedColumn[] = [];
  private scratch = new Float64Array(0);
  /** Customers with a row whose period could not be read (their gaps are not checked). */
  private readonly badPeriodCustomers = new Set<number>();
  private records = 0;

  constructor(
    readonly file: string,
    private readonly options: ReadPanelOptions = {},
  ) {
    this.issues = new IssueList(options.maxErrors ?? 20);
    const c = options.columns ?? {};
    this.names = {
      customer: c.customer ?? 'customer',
      period: c.period ?? 'period',
      voice: c.voice ?? 'voice',
      intervention: c.intervention ?? 'intervention',
    };
    const seen = new Set<string>();
    for (const k of FIXED) {
      if (seen.has(this.names[k])) throw new UsageError(`--customer-col/--period-col/--voice-col/--intervention-col: '${shown(this.names[k])}' is named for two of the fixed columns`);
      seen.add(this.names[k]);
    }
    const r = resolveLabels(options.labels);
    this.labels = r.labels;
    this.declared = r.declared;
    this.labels.forEach((l, i) => this.labelIndex.set(l, i));
    this.labelCounts = this.labels.map(() => 0);
    const n = this.labels.length;
    this.rowVoice = n < 128 ? new ChunkedInt8() : n < 32768 ? new ChunkedInt16() : new ChunkedInt32();
  }

  private issue(line: number | undefined, column: string | undefined, value: string | undefined, expected: string): void {
    const i: InputIssue = { file: this.file, expected };
    if (line !== undefined) i.line = line;
    if (column !== undefined) i.column = column;
    if (value !== undefined) i.value = value;
    this.issues.add(i);
  }

  /** A record from the CSV parser (line = 1-based physical line where the record starts). */
  record(fields: string[], line: number): void {
    if (fields.length === 1 && fields[0].trim() === '') return; // whitespace-only line
    this.records++;
    if (this.header === undefined) this.readHeader(fields, line);
    else if (this.headerOk) this.readRow(fields, line);
  }

  /** Where readers record CSV syntax problems. */
  get issueList(): IssueList {
    return this.issues;
  }

  private readHeader(fields: string[], line: number): void {
    const header = fields.map((f) => f.trim());
    this.header = header;
    const counts = new Map<string, number>();
    header.forEach((h, j) => {
      if (h === '') this.issue(line, `#${j + 1}`, '', 'a column name (every column needs a name; an extra separator at the end of the header?)');
      else if (counts.has(h)) this.issue(line, h, h, `each column name once (also column #${(counts.get(h) as number) + 1})`);
      else counts.set(h, j);
    });
    for (const k of FIXED) {
      const name = this.names[k];
      const j = counts.get(name);
      if (j === undefined) {
        const rest = header.filter((h) => h !== '' && !Object.values(this.names).includes(h));
        this.issue(line, name, undefined, `a '${name}' column in the header${didYouMean(name, rest)}; the header has: ${header.join(', ')}`);
      } else {
        this.col[k] = j;
      }
    }
    header.forEach((h, j) => {
      if (h === '' || counts.get(h) !== j || FIXED.some((k) => this.col[k] === j)) return;
      if (h === 'intervention') {
        this.issue(line, h, h, `a covariate name other than 'intervention' (the intervention column is '${this.names.intervention}')`);
        return;
      }
      this.covIdx.push(j);
      this.covNames.push(h);
    });
    this.rowCov = this.covNames.map(() => new ChunkedFloat64());
    this.scratch = new Float64Array(this.covNames.length);
    this.headerOk = this.issues.count === 0;
  }

  private readRow(f: string[], line: number): void {
    const header = this.header as string[];
    if (f.length !== header.length) {
      this.issue(line, undefined, f.join(','), `${header.length} fields as in the header, got ${f.length}`);
      return;
    }
    const n = this.names;
    const cust = f[this.col.customer].trim();
    if (cust === '') {
      this.issue(line, n.customer, '', 'a customer id');
    }
    const ps = f[this.col.period].trim();
    const p = parseWhole(ps, MAX_PERIOD) ?? NaN;
    let periodOk = true;
    if (Number.isNaN(p)) {
      this.issue(line, n.period, ps, `a whole number from 0 to ${MAX_PERIOD}, written as digits only`);
      periodOk = false;
    }
    const vs = f[this.col.voice];
    let v = -1;
    if (!isMissing(vs)) {
      let idx = this.labelIndex.get(vs);
      if (idx === undefined) {
        const low = vs.trim().toLowerCase();
        idx = this.labelIndex.get(low);
        if (idx !== undefined) this.labelIndex.set(vs, idx); // cache the spelling
      }
      if (idx === undefined) {
        const hint = didYouMean(vs.trim(), this.labels);
        const how = this.declared ? 'the declared labels' : 'the default labels; declare others with --labels';
        this.issue(line, n.voice, vs, `one of ${this.labels.join(', ')} (${how}), or empty/NA for missing${hint}`);
      } else {
        v = idx;
        this.labelCounts[idx]++;
      }
    }
    const is = f[this.col.intervention].trim();
    const iv = is === '0' ? 0 : is === '1' ? 1 : INTERVENTION_BAD;
    if (iv === INTERVENTION_BAD) {
      this.issue(line, n.intervention, is, '0 or 1');
    }
    const cov = this.covIdx;
    const scratch = this.scratch;
    for (let j = 0; j < cov.length; j++) {
      const s = f[cov[j]].trim();
      let x: number;
      if (isMissing(s)) {
        this.issue(line, this.covNames[j], s, 'a number (covariates may not be missing; only voice may)');
        x = NaN;
      } else {
        const d = parseDecimal(s);
        if (typeof d === 'number') x = d;
        else {
          x = NaN;
          this.issue(line, this.covNames[j], s, d === 'out of range' ? 'a number within double precision (magnitude about 1e-308 to 1e308, or 0)' : DECIMAL_WORDS);
        }
      }
      scratch[j] = x;
    }
    if (cust === '') return; // cannot be placed; already reported
    let ci = this.customerIndex.get(cust);
    if (ci === undefined) {
      ci = this.customerIds.length;
      this.customerIndex.set(cust, ci);
      this.customerIds.push(cust);
    }
    if (!periodOk) {
      this.badPeriodCustomers.add(ci);
      return;
    }
    // Rows with other bad cells are kept so that duplicates and gaps are still checked; the
    // panel is never returned when any issue was found.
    for (let j = 0; j < cov.length; j++) this.rowCov[j].push(scratch[j]);
    this.rowCustomer.push(ci);
    this.rowPeriod.push(p);
    this.rowVoice.push(v);
    this.rowLine.push(line);
    this.rowIntervention.push(iv);
  }

  /** Validate the whole panel and build it; throws InputError listing every problem found. */
  finish(): ReadPanelResult {
    const file = this.file;
    const warnings: string[] = [];
    if (this.records === 0) {
      this.issue(undefined, undefined, undefined, `a header row (${FIXED.map((k) => this.names[k]).join(', ')}, covariates...) and data rows; the file is empty`);
    } else if (this.headerOk && this.records === 1) {
      this.issue(undefined, undefined, undefined, 'data rows after the header; the file has a header only');
    }
    // Without a usable header there are no rows to check further. Otherwise bad cells do not stop
    // the duplicate and gap checks below: every problem is reported in one pass.
    if (!this.headerOk || this.records <= 1) this.issues.throwIfAny(file);

    const nIn = this.rowCustomer.length;
    const nCust = this.customerIds.length;
    // Counting sort of rows by customer rank (stable: file order within a customer).
    const order = customerOrder(this.customerIds);
    const rank = new Int32Array(nCust);
    for (let r = 0; r < nCust; r++) rank[order[r]] = r;
    const count = new Int32Array(nCust + 1);
    for (let i = 0; i < nIn; i++) count[rank[this.rowCustomer.get(i)] + 1]++;
    for (let r = 0; r < nCust; r++) count[r + 1] += count[r];
    const start = count.slice();
    const perm = new Int32Array(nIn);
    for (let i = 0; i < nIn; i++) perm[start[rank[this.rowCustomer.get(i)]]++] = i;

    // Within a customer: sort by period when needed; duplicates and gaps.
    let filled = 0;
    const widest = { gap: 0, id: '', line: 0, p0: 0, p1: 0 };
    const lengths = new Int32Array(nCust);
    const single: string[] = [];
    for (let r = 0; r < nCust; r++) {
      const a = count[r];
      const b = count[r + 1];
      let sorted = true;
      for (let t = a + 1; t < b; t++) {
        if (this.rowPeriod.get(perm[t]) < this.rowPeriod.get(perm[t - 1])) {
          sorted = false;
          break;
        }
      }
      if (!sorted) {
        const slice = Array.from(perm.subarray(a, b));
        slice.sort((x, y) => this.rowPeriod.get(x) - this.rowPeriod.get(y) || x - y);
        perm.set(slice, a);
      }
      const id = this.customerIds[order[r]];
      let len = b - a;
      for (let t = a + 1; t < b; t++) {
        const p0 = this.rowPeriod.get(perm[t - 1]);
        const p1 = this.rowPeriod.get(perm[t]);
        if (p1 === p0 + 1) continue;
        // lines only for the messages (each is a search over the line exceptions)
        const l0 = this.rowLine.get(perm[t - 1]);
        const l1 = this.rowLine.get(perm[t]);
        if (p1 === p0) {
          this.issue(l1, this.names.period, String(p1), `one row per customer and period: customer '${id}' has period ${p1} on lines ${Math.min(l0, l1)} and ${Math.max(l0, l1)}`);
        } else if (p1 > p0 + 1) {
          if (this.options.fillGaps) {
            filled += p1 - p0 - 1;
            len += p1 - p0 - 1;
            if (p1 - p0 - 1 > widest.gap) Object.assign(widest, { gap: p1 - p0 - 1, id, line: l1, p0, p1 });
          } else if (!this.badPeriodCustomers.has(order[r])) {
            const missing = p1 - p0 === 2 ? `period ${p0 + 1} is` : `periods ${p0 + 1}..${p1 - 1} are`;
            this.issue(l1, this.names.period, String(p1), `consecutive periods: customer '${id}' goes from period ${p0} (line ${l0}) to ${p1}; ${missing} missing (use --fill-gaps to fill them as missing-voice rows with intervention 0)`);
          }
        }
      }
      lengths[r] = len;
      if (b - a === 1) single.push(`'${id}' (line ${this.rowLine.get(perm[a])})`);
    }
    this.issues.throwIfAny(file);
    const maxFilled = Math.max(MIN_FILL_LIMIT, FILL_PER_ROW * nIn);
    if (filled > maxFilled) {
      throw new UsageError(
        `--fill-gaps would add ${filled.toLocaleString('en-US')} missing periods to the ${nIn.toLocaleString('en-US')} rows of ${file} (more than ${maxFilled.toLocaleString('en-US')}); the widest gap: customer '${widest.id}' goes from period ${widest.p0} to ${widest.p1} (line ${widest.line}); check the period column`,
      );
    }

    // Voice labels: declared -> all, in declared order; default -> the ones that occur.
    let labelMap: Int32Array;
    let voiceLabels: string[];
    if (this.declared) {
      voiceLabels = [...this.labels];
      labelMap = Int32Array.from(this.labels, (_, i) => i);
      this.labels.forEach((l, i) => {
        if (this.labelCounts[i] === 0) warnings.push(`${file}: declared voice label '${l}' never occurs`);
      });
    } else {
      voiceLabels = [];
      labelMap = new Int32Array(this.labels.length).fill(-1);
      this.labels.forEach((l, i) => {
        if (this.labelCounts[i] > 0) {
          labelMap[i] = voiceLabels.length;
          voiceLabels.push(l);
        }
      });
    }
    if (voiceLabels.length === 0 || this.labelCounts.every((c) => c === 0)) {
      this.issue(undefined, this.names.voice, undefined, 'at least one observed voice; every voice cell is empty or NA');
      this.issues.throwIfAny(file);
    }
    if (single.length > 0) {
      const shown = single.slice(0, 5).join(', ');
      warnings.push(`${file}: ${single.length} customer${single.length === 1 ? ' has' : 's have'} a single period: ${shown}${single.length > 5 ? ', ...' : ''}`);
    }
    if (filled > 0) warnings.push(`${file}: filled ${filled} missing period${filled === 1 ? '' : 's'} with missing voice, intervention 0 and covariates 0`);
    for (const name of this.covNames) {
      if (!FORMULA_NAME.test(name)) warnings.push(`${file}: covariate '${name}' cannot be named in a formula (use letters, digits and _, starting with a letter)`);
    }

    // Gather into the final typed columns, one column at a time, each read column released once
    // gathered. Periods are consecutive after the checks (gaps filled), so the read row i of
    // customer r goes to row offsets[r] + period(i) - (the customer's first period); filled rows
    // keep voice -1, intervention and covariates 0.
    this.rowCustomer.clear();
    this.rowLine.clear();
    const offsets = new Int32Array(nCust + 1);
    for (let r = 0; r < nCust; r++) offsets[r + 1] = offsets[r] + lengths[r];
    const n = offsets[nCust];
    const rowPeriod = this.rowPeriod;
    const firstPeriod = new Int32Array(nCust);
    for (let r = 0; r < nCust; r++) firstPeriod[r] = rowPeriod.get(perm[count[r]]);
    const period = new Int32Array(n);
    for (let r = 0; r < nCust; r++) for (let o = offsets[r], q = firstPeriod[r]; o < offsets[r + 1]; o++, q++) period[o] = q;
    const place = (write: (row: number, i: number) => void): void => {
      for (let r = 0; r < nCust; r++) {
        const base = offsets[r] - firstPeriod[r];
        for (let t = count[r]; t < count[r + 1]; t++) {
          const i = perm[t];
          write(base + rowPeriod.get(i), i);
        }
      }
    };
    const voice = new Int32Array(n).fill(-1);
    const rowVoice = this.rowVoice;
    place((o, i) => {
      const v = rowVoice.get(i);
      voice[o] = v < 0 ? -1 : labelMap[v];
    });
    rowVoice.clear();
    const intervention = new Float64Array(n);
    const rowIntervention = this.rowIntervention;
    place((o, i) => (intervention[o] = rowIntervention.get(i)));
    rowIntervention.clear();
    const covOut = this.rowCov.map((col) => {
      const out = new Float64Array(n);
      place((o, i) => (out[o] = col.get(i)));
      col.clear();
      return out;
    });
    rowPeriod.clear();
    const columns = columnRecord({ intervention });
    this.covNames.forEach((name, j) => (columns[name] = covOut[j]));
    const customers = Array.from(order, (i) => this.customerIds[i]);
    return { panel: { customers, offsets, period, voice, voiceLabels, columns, source: file }, warnings };
  }
}
