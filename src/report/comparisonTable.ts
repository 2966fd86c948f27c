import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { csvField, mdEscape, TABLE_FORMATS, texEscape, texNumber, type TableFormat } from './parameterTable.js';

/** A cell: numbers (NaN = not available), text, yes/no. */
export type ComparisonCell = number | string | boolean;

export interface ComparisonColumn {
  /** Machine name (CSV header, JSON key). */
  key: string;
  /** Display header (text, Markdown, LaTeX). */
  header: string;
  /** Decimals shown for numbers (default 2); machine formats keep full precision. */
  digits?: number;
}

/**
 * A model-comparison table (one row per fitted model, e.g. per number of states), with notes
 * under it. Displayed formats round numbers to each column's digits and print "n/a" for NaN;
 * CSV and JSON keep full precision (NaN as NA in CSV, null in JSON).
 */
export interface ComparisonTable {
  title: string;
  columns: ComparisonColumn[];
  rows: Record<string, ComparisonCell>[];
  notes: string[];
}

function display(v: ComparisonCell | undefined, digits: number): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) && digits === 0 ? String(v) : v.toFixed(digits);
}

function cells(t: ComparisonTable, row: Record<string, ComparisonCell>): string[] {
  return t.columns.map((c) => display(row[c.key], c.digits ?? 2));
}

function numbered(notes: string[]): string[] {
  return notes.map((n, i) => `${i + 1}. ${n}`);
}

export function formatComparisonText(t: ComparisonTable): string {
  const header = t.columns.map((c) => c.header);
  const body = t.rows.map((r) => cells(t, r));
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)));
  const line = (cs: string[]): string => cs.map((s, j) => (j === 0 ? s.padEnd(widths[j]) : s.padStart(widths[j]))).join('  ').trimEnd();
  const out = [t.title, '  ' + line(header), ...body.map((b) => '  ' + line(b))];
  if (t.notes.length) out.push('', 'Notes', ...numbered(t.notes));
  return out.join('\n') + '\n';
}

function machine(v: ComparisonCell | undefined): ComparisonCell | null {
  if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return null;
  return v;
}

export function formatComparisonCsv(t: ComparisonTable): string {
  const lines = [t.columns.map((c) => csvField(c.key)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => { const v = machine(r[c.key]); return csvField(typeof v === 'boolean' ? String(v) : v); }).join(','));
  return lines.join('\n') + '\n';
}

export function formatComparisonJson(t: ComparisonTable): string {
  const rows = t.rows.map((r) => Object.fromEntries(t.columns.map((c) => [c.key, machine(r[c.key])])));
  return JSON.stringify({ title: t.title, columns: t.columns.map((c) => c.key), rows, notes: t.notes }, null, 2) + '\n';
}

export function formatComparisonMarkdown(t: ComparisonTable): string {
  const out = [`**${mdEscape(t.title)}**`, '', `| ${t.columns.map((c) => mdEscape(c.header)).join(' | ')} |`, `|${t.columns.map((_, i) => (i === 0 ? ':---' : '---:')).join('|')}|`];
  for (const r of t.rows) out.push(`| ${cells(t, r).map(mdEscape).join(' | ')} |`);
  if (t.notes.length) out.push('', ...numbered(t.notes).map(mdEscape));
  return out.join('\n') + '\n';
}

export function formatComparisonLatex(t: ComparisonTable): string {
  const n = t.columns.length;
  const out = [`\\begin{tabular}{l${'r'.repeat(n - 1)}}`, '\\toprule', t.columns.map((c) => texEscape(c.header)).join(' & ') + ' \\\\', '\\midrule'];
  for (const r of t.rows) out.push(cells(t, r).map((c, i) => (i === 0 ? texEscape(c) : texNumber(c))).join(' & ') + ' \\\\');
  out.push('\\bottomrule');
  for (const note of numbered(t.notes)) out.push(`\\multicolumn{${n}}{p{0.9\\linewidth}}{\\footnotesize ${texEscape(note)}} \\\\`);
  out.push('\\end{tabular}');
  return out.join('\n') + '\n';
}

/** The comparison table in one of the table formats. */
export function formatComparison(t: ComparisonTable, format: TableFormat): string {
  switch (format) {
    case 'text':
      return formatComparisonText(t);
    case 'csv':
      return formatComparisonCsv(t);
    case 'json':
      return formatComparisonJson(t);
    case 'markdown':
      return formatComparisonMarkdown(t);
    case 'latex':
      return formatComparisonLatex(t);
    default:
      throw new UsageError(`unknown table format '${String(format)}': expected one of ${TABLE_FORMATS.join(', ')}`);
  }
}

/** File extension of each table format. */
export const TABLE_EXTENSIONS: Record<TableFormat, string> = { text: 'txt', csv: 'csv', json: 'json', markdown: 'md', latex: 'tex' };

/** The table in every format, as files `${stem}.${ext}` under `dir`. */
export function comparisonFiles(t: ComparisonTable, dir: string, stem: string): { path: string; content: string }[] {
  return TABLE_FORMATS.map((f) => ({ path: join(dir, `${stem}.${TABLE_EXTENSIONS[f]}`), content: formatComparison(t, f) }));
}
