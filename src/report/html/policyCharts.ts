import type { PolicyReport } from '../policy/policyReport.js';
import type { SelectionTable } from './reportInputs.js';
import { CHART_HEIGHT, CHART_WIDTH, periodTitle, round, chart, type ChartFigure, type TimeUnit } from './chartStyle.js';

/** Measures the policy charts draw: complaints, compliments and interventions, those the report has. */
export function policyMeasures(r: PolicyReport): string[] {
  return ['complaint', 'compliment', 'intervention'].filter((m) => r.measures.includes(m));
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Expected totals over the projection per policy and measure, with 95% intervals from parameter draws when available. */
export function policyTotalsChart(r: PolicyReport): ChartFigure {
  const measures = policyMeasures(r);
  const policies = r.policies.map((p) => p.name);
  const values = r.policies.flatMap((p) =>
    measures.map((m) => {
      const t = p.totals[r.measures.indexOf(m)];
      const row: Record<string, string | number> = { policy: p.name, measure: m, total: round(t.estimate) };
      if (finite(t.low) && finite(t.high)) {
        row.low = round(t.low);
        row.high = round(t.high);
      }
      return row;
    }),
  );
  const withIntervals = values.some((v) => 'low' in v);
  const title = `Projected totals over ${r.horizon} periods, by policy`;
  const description =
    `Bar charts, one per measure (${measures.join(', ')}), of the expected total over the ${r.customers} customers and ${r.horizon} projected periods under each policy (${policies.join(', ')})` +
    `${withIntervals ? ', with 95% intervals from parameter draws' : ''}. ` +
    measures.map((m) => `${m}s: ${r.policies.map((p) => `${p.name} ${p.totals[r.measures.indexOf(m)].estimate.toFixed(1)}`).join(', ')}`).join('; ') +
    '.';
  const x = { field: 'policy', type: 'nominal', sort: policies, title: null, axis: { labelAngle: -30 } };
  const layer: Record<string, unknown>[] = [{ mark: { type: 'bar', color: '#1f4e79' }, encoding: { x, y: { field: 'total', type: 'quantitative', title: 'expected total' } } }];
  if (withIntervals) layer.push({ transform: [{ filter: 'isValid(datum.low)' }], mark: { type: 'rule', color: '#c0392b', strokeWidth: 2 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } });
  return chart('policy-totals', title, `summed over the ${r.customers} customers of the panel${withIntervals ? '; red: 95% intervals' : ''}`, description, {
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: measures, header: { labelFontSize: 12, labelExpr: "datum.value + 's'" } } },
    spec: { width: Math.max(120, Math.min(CHART_WIDTH / measures.length - 40, 40 * policies.length)), height: CHART_HEIGHT * 0.9, layer },
    resolve: { scale: { y: 'independent' } },
  });
}

/** Expected complaints and compliments per projected period under each policy. */
export function policyOverTimeChart(r: PolicyReport, unit: TimeUnit): ChartFigure {
  const measures = policyMeasures(r).filter((m) => m !== 'intervention');
  const policies = r.policies.map((p) => p.name);
  const values = r.policies.flatMap((p) => measures.flatMap((m) => p.table.perPeriod.mean.map((row, h) => ({ policy: p.name, measure: m, h: h + 1, value: round(row[r.measures.indexOf(m)]) }))));
  const title = 'Projected voice in each period, by policy';
  const description = `Line charts, one per voice (${measures.join(', ')}), of the expected number across the ${r.customers} customers in each of ${r.horizon} projected periods under each policy (${policies.join(', ')}).`;
  return chart('policy-over-time', title, `projected from ${r.from === 'end' ? "each customer's last period" : "each customer's first period"}`, description, {
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null, sort: measures, header: { labelFontSize: 12, labelExpr: "datum.value + 's'" } } },
    spec: {
      width: CHART_WIDTH / 2 - 30,
      height: CHART_HEIGHT * 0.9,
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { field: 'h', type: 'quantitative', title: periodTitle(unit, 'projected period'), scale: { nice: false } },
        y: { field: 'value', type: 'quantitative', title: 'expected count' },
        color: { field: 'policy', type: 'nominal', title: 'policy', sort: policies, scale: { scheme: 'tableau10' }, legend: { orient: 'bottom', columns: 3 } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  });
}

const CRITERIA: Record<string, string> = { aic: 'AIC', bic_voices: 'BIC (n = voices)', bic_customers: 'BIC (n = customers)', icl: 'ICL', bic: 'BIC' };

/** Information criteria against the number of states, from a `squeaky select` table (undefined when it has no 'states' column). */
export function selectionChart(t: SelectionTable): ChartFigure | undefined {
  if (!t.columns.includes('states')) return undefined;
  const criteria = Object.keys(CRITERIA).filter((c) => t.columns.includes(c));
  if (!criteria.length) return undefined;
  const byType = t.columns.includes('transition');
  const values = t.rows.flatMap((r) =>
    criteria.flatMap((c) => (typeof r[c] === 'number' && Number.isFinite(r[c] as number) && typeof r.states === 'number' ? [{ states: r.states, criterion: CRITERIA[c], value: round(r[c] as number, 3), transition: String(r.transition ?? '') }] : [])),
  );
  if (!values.length) return undefined;
  const best = criteria.map((c) => {
    const vs = values.filter((v) => v.criterion === CRITERIA[c]);
    const min = vs.reduce((a, v) => (v.value < a.value ? v : a), vs[0]);
    return min ? `${CRITERIA[c]} lowest at K = ${min.states}${byType ? ` (${min.transition})` : ''}` : '';
  });
  const title = 'Information criteria by number of states';
  const description = `Line chart of ${criteria.map((c) => CRITERIA[c]).join(', ')} against the number of states K (lower is better): ${best.filter(Boolean).join('; ')}.`;
  return chart('select-criteria', title, 'lower is better', description, {
    width: CHART_WIDTH * 0.8,
    height: CHART_HEIGHT,
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'states', type: 'quantitative', title: 'number of states K', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: 'criterion value', scale: { zero: false } },
      color: { field: 'criterion', type: 'nominal', title: 'criterion', scale: { scheme: 'tableau10' } },
      ...(byType ? { strokeDash: { field: 'transition', type: 'nominal', title: 'transition' } } : {}),
    },
  });
}
