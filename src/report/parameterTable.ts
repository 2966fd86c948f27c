import type { FitResult } from '../estimation/fitTypes.js';
import type { Block } from '../model/subModel.js';
import { UsageError } from '../errors.js';
import { parseParameterName } from './parameterName.js';
import { standardErrors, type Covariance } from '../estimation/inference/covariance.js';
import { normalTwoSidedP } from '../estimation/inference/distributions.js';
import { applyReportedIntervals, displayBound, PROFILE_MARK, PROFILE_MARK_NOTE, type IntervalMethod } from './tableIntervals.js';

/** One row of the parameter table. Inference columns are present only when standard errors are. */
export interface ParameterRow {
  name: string;
  block: Block | 'membership';
  /** 1-based class of a mixture's class-specific or membership parameter (absent with one class or for shared blocks). */
  class?: string;
  /** Origin state (transition) / state (emission); '' for initial or parameters shared across states. */
  state: string;
  /** Destination state or voice category; '' for thresholds. */
  outcome: string;
  term: string;
  estimate: number;
  stdError?: number;
  z?: number;
  p?: number;
  ciLow?: number;
  ciHigh?: number;
  /** Which interval the 95% interval cells hold (tableIntervals.ts). */
  ciMethod?: IntervalMethod;
}

export interface ParameterTable {
  rows: ParameterRow[];
  /** Whether the inference columns (std. error, z, p, 95% interval) are filled. */
  hasStdErrors: boolean;
  /** Numbered footer of the text, Markdown and LaTeX formats; a field of the JSON format. */
  warnings: string[];
  /** How the standard errors were obtained (a line above the warnings; a field of the JSON format). */
  seMethod?: string;
}

export const TABLE_FORMATS = ['text', 'csv', 'json', 'markdown', 'latex'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** Column keys in output order (CSV header, JSON keys). */
export const BASE_COLUMNS = ['name', 'block', 'state', 'outcome', 'term', 'estimate'] as const;
/** ci_method: 'wald', 'profile' or 'bootstrap' (null without an interval); a profile side that is null is unbounded. */
export const INFERENCE_COLUMNS = ['std_error', 'z', 'p', 'ci_low', 'ci_high', 'ci_method'] as const;

const Z975 = 1.959963984540054;

/** One line saying how a covariance was obtained, for tables and the fit summary. */
export function seMethodLine(cov: Covariance): string {
  const plain = 'of the plain (unpenalised) log-likelihood at the estimates';
  switch (cov.method) {
    case 'observed':
      return `Standard errors: inverse observed information ${plain}`;
    case 'robust':
      return `Standard errors: cluster-robust (sandwich, customers as independent units) ${plain}`;
    default: {
      const b = cov.bootstrap;
      return b
        ? `Standard errors: ${b.type} bootstrap, ${b.replicates.length} of ${b.requested} replicates used (${b.failed} failed, ${b.notConverged} not converged), seed ${b.seed}; 95% intervals are bootstrap percentiles`
        : 'Standard errors: bootstrap';
    }
  }
}

/**
 * The parameter table of a fit, in the order of the flat parameter vector (blocks initial,
 * transition by origin state, emission by state and voice). Standard errors (same order as the
 * parameters; NaN = not available) come from `stdErrors` or else from the fit's covariance, and
 * add Wald z, two-sided normal p and 95% intervals ("n/a" where not available).
 */
export function parameterTable(fit: Pick<FitResult, 'parameters'> & { covariance?: Covariance }, options: { stdErrors?: ArrayLike<number>; warnings?: string[] } = {}): ParameterTable {
  const { names, values } = fit.parameters;
  const se = options.stdErrors ?? (fit.covariance ? standardErrors(fit.covariance) : undefined);
  if (se && se.length !== names.length) throw new RangeError(`stdErrors has length ${se.length}, expected ${names.length}`);
  const rows: ParameterRow[] = names.map((name, i) => {
    const parts = parseParameterName(name) ?? { block: blockOf(fit, i), state: '', outcome: '', term: name };
    const row: ParameterRow = { name, ...parts, estimate: values[i] };
    if (se) {
      const s = se[i];
      const z = values[i] / s;
      row.stdError = s;
      // A zero standard error leaves no finite z (and no p): 'n/a', never Infinity.
      row.z = Number.isFinite(z) ? z : NaN;
      row.p = Number.isFinite(z) ? normalTwoSidedP(z) : NaN;
      row.ciLow = values[i] - Z975 * s;
      row.ciHigh = values[i] + Z975 * s;
      if (!Number.isNaN(row.ciLow)) row.ciMethod = 'wald';
    }
    return row;
  });
  if (fit.covariance && !options.stdErrors) applyReportedIntervals(rows, names, fit.covariance);
  const table: ParameterTable = { rows, hasStdErrors: Boolean(se), warnings: options.warnings ?? [] };
  if (fit.covariance && !options.stdErrors) table.seMethod = seMethodLine(fit.covariance);
  if (table.seMethod && rows.some((r) => r.ciMethod === 'profile')) table.seMethod += `\n${PROFILE_MARK_NOTE}`;
  return table;
}

function blockOf(fit: Pick<FitResult, 'parameters'>, i: number): Block | 'membership' {
  for (const b of fit.parameters.blocks) if (i >= b.start && i < b.start + b.length) return b.block;
  return 'initial';
}

/** Rows grouped as printed: initial; transition from each origin state; emission in each state (or shared). */
export function tableGroups(table: ParameterTable): { title: string; rows: ParameterRow[] }[] {
  const groups: { key: string; title: string; rows: ParameterRow[] }[] = [];
  for (const r of table.rows) {
    const key = `${r.class ?? ''}|${r.block}|${r.state}`;
    let g = groups.find((x) => x.key === key);
    if (!g) {
      g = { key, title: groupTitle(r), rows: [] };
      groups.push(g);
    }
    g.rows.push(r);
  }
  return groups.map(({ title, rows }) => ({ title, rows }));
}

function groupTitle(r: ParameterRow): string {
  if (r.block === 'membership') return 'Class membership (multinomial logit; reference class 1)';
  if (r.class !== undefined) return `Class ${r.class}: ${plainGroupTitle(r)}`;
  return plainGroupTitle(r);
}

function plainGroupTitle(r: ParameterRow): string {
  if (r.block === 'initial') return 'Initial state (first period)';
  if (r.block === 'transition') return r.state ? `Transition from state ${r.state}` : 'Transition (shared across origin states)';
  if (r.block === 'selection') return r.state ? `Selection (the firm intervenes) in state ${r.state}` : 'Selection (slopes shared across states)';
  return r.state ? `Emission in state ${r.state}` : 'Emission (slopes shared across states)';
}

/** Row label inside its group: "outcome: term" (e.g. "3: lag(intervention)", "complaint: (Intercept)"). */
function rowLabel(r: ParameterRow): string {
  if (r.block === 'membership') return `class ${r.outcome}: ${r.term}`;
  if (r.block === 'initial' || r.block === 'transition') return r.outcome ? `-> ${r.outcome}: ${r.term}` : r.term;
  return r.outcome ? `${r.outcome}: ${r.term}` : r.term;
}

function fixed(x: number | undefined, digits = 4): string {
  if (x === undefined) return '';
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return String(x);
  // Tiny non-zero values keep their magnitude instead of printing as 0.0000.
  if (x !== 0 && Math.abs(x) < 0.5 * 10 ** -digits) return x.toExponential(2);
  return x.toFixed(digits);
}

function pValue(p: number | undefined): string {
  if (p === undefined) return '';
  if (Number.isNaN(p)) return 'n/a';
  return p < 0.0001 ? '<0.0001' : p.toFixed(4);
}

/** A row's display cells (label, estimate; with standard errors also std. error, z, p, 95% interval), as the text and Markdown tables print them. */
export function displayCells(r: ParameterRow, inference: boolean): string[] {
  const cells = [rowLabel(r), fixed(r.estimate)];
  const bound = (x: number | undefined) => (x === undefined ? '' : displayBound(x, (v) => fixed(v)));
  const mark = r.ciMethod === 'profile' ? PROFILE_MARK : '';
  if (inference) cells.push(fixed(r.stdError), fixed(r.z, 2), pValue(r.p), Number.isNaN(r.ciLow) ? 'n/a' : `[${bound(r.ciLow)}, ${bound(r.ciHigh)}]${mark}`);
  return cells;
}

/** Header of the display cells. */
export function displayHeader(inference: boolean): string[] {
  return inference ? ['parameter', 'estimate', 'std. error', 'z', 'p', '95% interval'] : ['parameter', 'estimate'];
}

function footer(warnings: string[]): string[] {
  return warnings.map((w, i) => `${i + 1}. ${w}`);
}

/** Plain text, aligned, one block per group, numbered warnings footer. */
export function formatText(table: ParameterTable): string {
  const inf = table.hasStdErrors;
  const header = displayHeader(inf);
  const groups = tableGroups(table);
  const all = [header, ...groups.flatMap((g) => g.rows.map((r) => displayCells(r, inf)))];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ').trimEnd();
  const out: string[] = ['  ' + line(header)];
  for (const g of groups) {
    out.push('', g.title);
    for (const r of g.rows) out.push('  ' + line(displayCells(r, inf)));
  }
  if (table.seMethod) out.push('', table.seMethod);
  if (table.warnings.length) out.push('', 'Warnings', ...footer(table.warnings));
  return out.join('\n') + '\n';
}

/**
 * Machine formats: a standard error that is not available (and its z, p, interval) is null in JSON,
 * NA in CSV; so is an unbounded side of a profile interval (ci_method 'profile').
 */
function machineRecord(r: ParameterRow, inference: boolean): Record<string, string | number | null> {
  const rec: Record<string, string | number | null> = { name: r.name, block: r.block, ...(r.class !== undefined ? { class: r.class } : {}), state: r.state, outcome: r.outcome, term: r.term, estimate: r.estimate };
  if (inference) {
    const v = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
    rec.std_error = v(r.stdError);
    rec.z = v(r.z);
    rec.p = v(r.p);
    rec.ci_low = v(r.ciLow);
    rec.ci_high = v(r.ciHigh);
    rec.ci_method = r.ciMethod ?? null;
  }
  return rec;
}

export function csvField(v: string | number | null): string {
  if (v === null) return 'NA';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** BASE_COLUMNS, with a `class` column after `block` when the table is of a mixture of classes (blank for shared parameters). */
function baseColumns(table: ParameterTable): string[] {
  if (!table.rows.some((r) => r.class !== undefined)) return [...BASE_COLUMNS];
  return ['name', 'block', 'class', ...BASE_COLUMNS.slice(2)];
}

/** RFC 4180 CSV, full-precision numbers (they parse back to the same doubles). No footer. */
export function formatCsv(table: ParameterTable): string {
  const cols: string[] = [...baseColumns(table), ...(table.hasStdErrors ? INFERENCE_COLUMNS : [])];
  const lines = [cols.join(',')];
  for (const r of table.rows) {
    const rec = machineRecord(r, table.hasStdErrors);
    lines.push(cols.map((c) => csvField(c in rec ? rec[c] : '')).join(','));
  }
  return lines.join('\n') + '\n';
}

/** JSON: { columns, rows: [{name, block, ...}], warnings }, full-precision numbers. */
export function formatJson(table: ParameterTable): string {
  const columns: string[] = [...baseColumns(table), ...(table.hasStdErrors ? INFERENCE_COLUMNS : [])];
  const out: Record<string, unknown> = { columns, rows: table.rows.map((r) => machineRecord(r, table.hasStdErrors)) };
  if (table.seMethod) out.seMethod = table.seMethod;
  out.warnings = table.warnings;
  return JSON.stringify(out, null, 2) + '\n';
}

export function mdEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\*/g, '\\*').replace(/_/g, '\\_');
}

/** GitHub-flavoured Markdown: one table, bold group rows, numbered warnings list. */
export function formatMarkdown(table: ParameterTable): string {
  const inf = table.hasStdErrors;
  const header = displayHeader(inf);
  const out = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ':---' : '---:')).join('|')}|`];
  for (const g of tableGroups(table)) {
    out.push(`| **${mdEscape(g.title)}** |${' |'.repeat(header.length - 1)}`);
    for (const r of g.rows) out.push(`| ${displayCells(r, inf).map(mdEscape).join(' | ')} |`);
  }
  if (table.seMethod) out.push('', mdEscape(table.seMethod));
  if (table.warnings.length) out.push('', '**Warnings**', '', ...footer(table.warnings).map(mdEscape));
  return out.join('\n') + '\n';
}

export function texEscape(s: string): string {
  return s.replace(/[\\{}$&#_%~^]/g, (ch) => {
    switch (ch) {
      case '\\':
        return '\\textbackslash{}';
      case '~':
        return '\\textasciitilde{}';
      case '^':
        return '\\textasciicircum{}';
      default:
        return '\\' + ch;
    }
  }).replace(/->/g, '$\\rightarrow$').replace(/\|/g, '\\textbar{}').replace(/</g, '\\textless{}');
}

/** Numeric cell: a true minus sign, '<' in math mode. */
export function texNumber(s: string): string {
  return texEscape(s).replace(/-(?=\d)/g, '$-$');
}

/** LaTeX tabular (booktabs), group headings spanning the columns, warnings as table notes. */
export function formatLatex(table: ParameterTable): string {
  const inf = table.hasStdErrors;
  const header = displayHeader(inf);
  const n = header.length;
  const out = [`\\begin{tabular}{l${'r'.repeat(n - 1)}}`, '\\toprule', header.map(texEscape).join(' & ') + ' \\\\', '\\midrule'];
  tableGroups(table).forEach((g, gi) => {
    if (gi > 0) out.push('\\addlinespace');
    out.push(`\\multicolumn{${n}}{l}{\\textit{${texEscape(g.title)}}} \\\\`);
    for (const r of g.rows) {
      const cells = displayCells(r, inf).map((c, i) => (i === 0 ? '\\quad ' + texEscape(c) : texNumber(c)));
      out.push(cells.join(' & ') + ' \\\\');
    }
  });
  out.push('\\bottomrule');
  if (table.seMethod) out.push(`\\multicolumn{${n}}{p{0.9\\linewidth}}{\\footnotesize ${texEscape(table.seMethod)}} \\\\`);
  if (table.warnings.length) {
    out.push(`\\multicolumn{${n}}{l}{\\footnotesize Warnings:} \\\\`);
    for (const w of footer(table.warnings)) out.push(`\\multicolumn{${n}}{p{0.9\\linewidth}}{\\footnotesize ${texEscape(w)}} \\\\`);
  }
  out.push('\\end{tabular}');
  return out.join('\n') + '\n';
}

/** The table in one of the formats. */
export function formatTable(table: ParameterTable, format: TableFormat): string {
  switch (format) {
    case 'text':
      return formatText(table);
    case 'csv':
      return formatCsv(table);
    case 'json':
      return formatJson(table);
    case 'markdown':
      return formatMarkdown(table);
    case 'latex':
      return formatLatex(table);
    default:
      throw new UsageError(`unknown table format '${String(format)}': expected one of ${TABLE_FORMATS.join(', ')}`);
  }
}
