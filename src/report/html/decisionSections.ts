import type { PolicyReport, UncertainFigure } from '../policy/policyReport.js';
import type { SelectionTable } from './reportInputs.js';
import { policyMeasures } from './policyCharts.js';
import { escapeHtml, figureHtml, tableHtml, type PageSection } from './htmlPage.js';
import type { ChartsByName } from './reportSections.js';

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** "12.3 [10.1, 14.2]", or the estimate alone without an interval; "n/a" when not available. */
function figure(f: UncertainFigure | undefined, digits = 1, sign = false): string {
  if (!f || !finite(f.estimate)) return 'n/a';
  const s = (x: number): string => `${sign && x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
  return `${s(f.estimate)}${finite(f.low) && finite(f.high) ? ` [${s(f.low)}, ${s(f.high)}]` : ''}`;
}

function list(items: string[]): string {
  return items.length ? `<ol class="warnings">${items.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ol>` : '';
}

/** Policies: what `squeaky policy` projected, totals and differences from the observed policy. */
export function policySection(r: PolicyReport, charts: ChartsByName, file: string): PageSection {
  const measures = policyMeasures(r);
  const totals = r.policies.map((p) => [p.name, p.description, ...measures.map((m) => figure(p.totals[r.measures.indexOf(m)]))]);
  const others = r.policies.filter((p) => p.difference);
  const diffs = others.map((p) => [
    p.name,
    ...measures.map((m) => figure(p.difference![r.measures.indexOf(m)], 1, true)),
    ...(r.value ? [figure(p.valueDifference, 2, true), String(r.value.ranking.find((x) => x.policy === p.name)?.rank ?? '')] : []),
  ]);
  const band = r.intervals.available ? ' [95% interval]' : '';
  const html = [
    `<p>From <code>${escapeHtml(file)}</code>: ${r.customers.toLocaleString('en-US')} customers projected ${r.horizon} periods ${r.from === 'end' ? 'from their last period' : 'from their first period'} under each policy (seed ${r.seed}). ` +
      `${escapeHtml(r.intervals.available ? `Intervals: ${Math.round(r.intervals.level * 100)}% over ${r.intervals.draws} parameter draws.` : `No intervals: ${r.intervals.note}`)}</p>`,
    tableHtml(['policy', 'description', ...measures.map((m) => `${m}s`)], totals, { numericFrom: 2, caption: `Expected totals over the ${r.horizon} projected periods${band}` }),
    diffs.length ? tableHtml(['policy', ...measures.map((m) => `${m}s`), ...(r.value ? ['value', 'rank by value'] : [])], diffs, { caption: `Difference from the observed policy${band}` }) : '',
    ...['policy-totals', 'policy-over-time'].filter((n) => charts.has(n)).map((n) => figureHtml(charts.get(n)!)),
    list(r.warnings),
  ];
  return { id: 'policies', title: 'Policies', html: html.join('\n') };
}

function cell(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return 'n/a';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 4 : 2);
  return v;
}

/** Model selection: the `squeaky select` table as written, its notes and the criteria chart. */
export function selectionSection(t: SelectionTable, charts: ChartsByName, file: string): PageSection {
  const html = [
    `<p>From <code>${escapeHtml(file)}</code>.</p>`,
    tableHtml(t.columns.map((c) => c.replace(/_/g, ' ')), t.rows.map((r) => t.columns.map((c) => cell(r[c]))), { caption: t.title }),
    charts.has('select-criteria') ? figureHtml(charts.get('select-criteria')!) : '',
    list(t.notes),
  ];
  return { id: 'selection', title: 'Model selection', html: html.join('\n') };
}
