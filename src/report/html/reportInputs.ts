import { readFile } from 'node:fs/promises';
import { InputError, type InputIssue } from '../../errors.js';
import { POLICY_FORMAT, POLICY_FORMAT_VERSION, type PolicyReport } from '../policy/policyReport.js';

/** A model-comparison table as `squeaky select` writes it (selection.json, channels.json): cells are numbers, text, yes/no or null. */
export interface SelectionTable {
  title: string;
  columns: string[];
  rows: Record<string, number | string | boolean | null>[];
  notes: string[];
}

async function readJson(file: string, what: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${flag} ${file}`, [{ file, expected: code === 'ENOENT' ? `an existing ${what}` : `a readable file (${code ?? (e as Error).message})` }]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} (${flag}) is not ${what}`, [{ file, expected: `valid JSON (${(e as Error).message})` }]);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumArr = (v: unknown): boolean => Array.isArray(v) && v.every((x) => x === null || typeof x === 'number');

/**
 * `squeaky policy --format json` output, checked for what the report draws: format and version,
 * measures, and per policy its name, per-period means (one row per projected period, one value per
 * measure) and totals. JSON null (not available) is read as NaN.
 */
export async function loadPolicyReport(file: string): Promise<PolicyReport> {
  const what = "the JSON of 'squeaky policy --format json'";
  const raw = await readJson(file, what, '--policy');
  const issues: InputIssue[] = [];
  const fail = (column: string, value: unknown, expected: string): void => {
    const shown = value === undefined ? 'missing' : JSON.stringify(value);
    issues.push({ file, column, value: shown.length > 60 ? shown.slice(0, 57) + '...' : shown, expected });
  };
  if (!isObj(raw) || raw.format !== POLICY_FORMAT) {
    throw new InputError(`${file} (--policy) is not ${what}`, [{ file, column: 'format', value: JSON.stringify(isObj(raw) ? raw.format : raw)?.slice(0, 60), expected: `'${POLICY_FORMAT}'` }]);
  }
  if (raw.formatVersion !== POLICY_FORMAT_VERSION) fail('formatVersion', raw.formatVersion, `${POLICY_FORMAT_VERSION} (this version of squeaky reads policy reports of format version ${POLICY_FORMAT_VERSION})`);
  const measures = Array.isArray(raw.measures) && raw.measures.every((m) => typeof m === 'string') ? (raw.measures as string[]) : (fail('measures', raw.measures, 'an array of measure names'), []);
  if (!Number.isInteger(raw.horizon) || (raw.horizon as number) < 1) fail('horizon', raw.horizon, 'a whole number of periods >= 1');
  const policies = Array.isArray(raw.policies) ? raw.policies : (fail('policies', raw.policies, 'an array of policies'), []);
  if (Array.isArray(raw.policies) && policies.length === 0) fail('policies', raw.policies, 'at least one policy');
  policies.forEach((p, i) => {
    const at = `policies[${i}]`;
    if (!isObj(p)) return fail(at, p, 'an object');
    if (typeof p.name !== 'string') fail(`${at}.name`, p.name, 'a string');
    const mean = isObj(p.table) && isObj(p.table.perPeriod) ? p.table.perPeriod.mean : undefined;
    if (!Array.isArray(mean) || mean.length !== raw.horizon || !mean.every((row) => isNumArr(row) && (row as unknown[]).length === measures.length)) {
      fail(`${at}.table.perPeriod.mean`, Array.isArray(mean) ? `${mean.length} rows` : mean, `one row per projected period (${String(raw.horizon)}), one value per measure (${measures.length})`);
    }
    if (!Array.isArray(p.totals) || p.totals.length !== measures.length || !p.totals.every((t) => isObj(t) && (t.estimate === null || typeof t.estimate === 'number'))) {
      fail(`${at}.totals`, Array.isArray(p.totals) ? `${p.totals.length} entries` : p.totals, `one { estimate, low, high } per measure (${measures.length})`);
    }
  });
  if (issues.length) throw new InputError(`${file} (--policy) is not a valid policy report`, issues.slice(0, 20), Math.max(0, issues.length - 20));
  // null (not available) back to NaN, as in memory.
  return JSON.parse(JSON.stringify(raw), (_k, v) => (v === null ? NaN : v)) as PolicyReport;
}

/** `squeaky select` table JSON (DIR/selection.json, or DIR/channels/channels.json), checked. */
export async function loadSelectionTable(file: string): Promise<SelectionTable> {
  const what = "a table JSON written by 'squeaky select' (selection.json or channels.json)";
  const raw = await readJson(file, what, '--select');
  const issues: InputIssue[] = [];
  if (!isObj(raw)) throw new InputError(`${file} (--select) is not ${what}`, [{ file, expected: 'a JSON object { title, columns, rows, notes }' }]);
  if (typeof raw.title !== 'string') issues.push({ file, column: 'title', expected: 'a string' });
  const columns = Array.isArray(raw.columns) && raw.columns.length > 0 && raw.columns.every((c) => typeof c === 'string') ? (raw.columns as string[]) : [];
  if (!columns.length) issues.push({ file, column: 'columns', expected: 'a non-empty array of column names' });
  const rows = Array.isArray(raw.rows) ? raw.rows : [];
  if (!Array.isArray(raw.rows) || rows.length === 0) issues.push({ file, column: 'rows', expected: 'a non-empty array of rows' });
  rows.forEach((r, i) => {
    if (!isObj(r)) return void issues.push({ file, column: `rows[${i}]`, expected: 'an object' });
    for (const c of columns) {
      const v = r[c];
      if (!(v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) issues.push({ file, column: `rows[${i}].${c}`, value: JSON.stringify(v)?.slice(0, 60) ?? 'missing', expected: 'a number, text, true/false or null' });
    }
  });
  const notes = Array.isArray(raw.notes) && raw.notes.every((n) => typeof n === 'string') ? (raw.notes as string[]) : [];
  if (raw.notes !== undefined && notes.length !== (raw.notes as unknown[]).length) issues.push({ file, column: 'notes', expected: 'an array of strings' });
  if (issues.length) throw new InputError(`${file} (--select) is not ${what}`, issues.slice(0, 20), Math.max(0, issues.length - 20));
  return { title: raw.title as string, columns, rows: rows as SelectionTable['rows'], notes };
}
