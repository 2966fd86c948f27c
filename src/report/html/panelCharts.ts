import type { PeriodAggregates, Trajectory } from './panelFigures.js';
import { CHART_HEIGHT, CHART_WIDTH, periodTitle, round, stateName, stateScale, chart, voiceScale, type ChartFigure, type TimeUnit } from './chartStyle.js';

/** Posterior share of customers in each state over calendar time (stacked to 100%). */
export function stateSharesChart(a: PeriodAggregates, nStates: number, unit: TimeUnit): ChartFigure {
  if (!a.stateShares) throw new RangeError('stateSharesChart needs the posterior state shares');
  const values: { period: number; state: string; share: number }[] = [];
  a.period.forEach((p, b) => a.stateShares![b].forEach((s, k) => values.push({ period: p, state: stateName(k + 1), share: round(s) })));
  const first = a.stateShares[0];
  const last = a.stateShares[a.stateShares.length - 1];
  const fmt = (xs: number[] | undefined): string => (xs ? xs.map((x, k) => `state ${k + 1} ${(100 * x).toFixed(1)}%`).join(', ') : 'none');
  const title = 'Customers in each relationship state over calendar time';
  const description = `Stacked area chart of the posterior share of customers in each of ${nStates} states in each of ${a.period.length} periods; first period ${fmt(first)}; last period ${fmt(last)}.`;
  return chart('state-shares', title, `posterior state probabilities averaged over the customers observed in each period${a.width > 1 ? ` (bins of ${a.width} periods)` : ''}`, description, {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values },
    transform: [{ calculate: "toNumber(replace(datum.state, 'state ', ''))", as: 'stateOrder' }],
    mark: { type: 'area' },
    encoding: {
      x: { field: 'period', type: 'quantitative', title: periodTitle(unit), scale: { nice: false } },
      y: { field: 'share', type: 'quantitative', stack: 'normalize', title: 'share of customers (%)', axis: { format: '%' } },
      color: { field: 'state', type: 'nominal', title: 'state (1 = worst)', scale: stateScale(nStates) },
      order: { field: 'stateOrder' },
    },
  });
}

const INTERVENTION_MARK = 'firm intervention';

/**
 * One customer's decoded path (most likely state, a step line; posterior mean state, a thin line),
 * with the customer's complaints and compliments as coloured points and interventions as ticks.
 */
export function trajectoryChart(t: Trajectory, nStates: number, voiceLabels: string[], unit: TimeUnit, index: number): ChartFigure {
  const path = t.period.map((p, i) => ({ period: p, state: t.state[i], meanState: round(t.meanState[i], 4) }));
  const shownVoices = voiceLabels.filter((l) => l !== 'silent');
  const voices = t.period.flatMap((p, i) => (t.voice[i] !== null && t.voice[i] !== 'silent' ? [{ period: p, voice: t.voice[i] as string }] : []));
  const interventions = t.period.flatMap((p, i) => (t.intervention[i] > 0 ? [{ period: p }] : []));
  const title = `Customer ${t.customer} (${t.role})`;
  const description =
    `Step chart of customer ${t.customer}'s most likely relationship state over ${t.period.length} periods (1 = worst of ${nStates}), ` +
    `with ${t.complaints} complaints and ${t.interventions} interventions marked; the state path visits ${[...new Set(t.state)].sort().map((s) => `state ${s}`).join(', ')}.`;
  const x = { field: 'period', type: 'quantitative', title: periodTitle(unit), scale: { domain: [t.period[0], t.period[t.period.length - 1]], nice: false } };
  const states = Array.from({ length: nStates }, (_, k) => k + 1);
  // One legend for the marks: the voices shown and the firm's interventions.
  const vs = voiceScale(shownVoices);
  const markScale = { domain: [...vs.domain, INTERVENTION_MARK], range: [...vs.range, '#e67e22'] };
  return chart(`trajectory-${index + 1}`, title, `${t.complaints} complaints, ${t.interventions} interventions; voice above, firm interventions as ticks below`, description, {
    width: CHART_WIDTH,
    height: CHART_HEIGHT * 0.75,
    layer: [
      {
        data: { values: path },
        mark: { type: 'line', interpolate: 'step-after', color: '#1f4e79', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'state', type: 'quantitative', title: 'state (1 = worst)', scale: { domain: [0.3, nStates + 0.7], nice: false }, axis: { values: states, format: 'd' } },
        },
      },
      {
        data: { values: path },
        mark: { type: 'line', color: '#7fb3d5', strokeWidth: 1, strokeDash: [3, 2] },
        encoding: { x, y: { field: 'meanState', type: 'quantitative' } },
      },
      {
        data: { values: voices },
        mark: { type: 'point', filled: true, size: 40, opacity: 0.85 },
        encoding: {
          x,
          y: { datum: nStates + 0.45 },
          color: { field: 'voice', type: 'nominal', title: null, scale: markScale, sort: markScale.domain },
        },
      },
      {
        data: { values: interventions },
        mark: { type: 'tick', thickness: 2, size: 12 },
        encoding: { x, y: { datum: 0.45 }, color: { datum: INTERVENTION_MARK } },
      },
    ],
  });
}
