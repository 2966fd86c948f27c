import type { EffectsReport } from '../effects.js';
import { CHART_HEIGHT, CHART_WIDTH, SCENARIO_SCALE, round, stateName, chart, voiceScale, type ChartFigure } from './chartStyle.js';

const WITHOUT = SCENARIO_SCALE.domain[0];
const WITH = SCENARIO_SCALE.domain[1];
/** Side-by-side panels: without and with an intervention. */
const SCENARIO_FACET = { column: { field: 'scenario', type: 'nominal', title: null, sort: [WITHOUT, WITH], header: { labelFontSize: 12 } } };

/** Next-period transition probabilities as two heatmaps side by side: without and with an intervention. */
export function transitionChart(e: EffectsReport): ChartFigure {
  const K = e.nStates;
  const values: { scenario: string; from: string; to: string; p: number }[] = [];
  for (const [scenario, m] of [[WITHOUT, e.relationship.transitionWithout], [WITH, e.relationship.transitionWith]] as const) {
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) values.push({ scenario, from: stateName(i + 1), to: stateName(j + 1), p: round(m[i][j]) });
  }
  const order = Array.from({ length: K }, (_, k) => stateName(k + 1));
  const stay = (m: number[][]): string => m.map((row, i) => `${(100 * row[i]).toFixed(0)}%`).join(', ');
  const title = 'Transition probabilities, without and with an intervention';
  const description =
    `Two ${K} by ${K} heatmaps of the probability of moving from each state (rows) to each state (columns) next period, ` +
    `state 1 worst. Staying probabilities without an intervention: ${stay(e.relationship.transitionWithout)}; with one: ${stay(e.relationship.transitionWith)}.`;
  const cell = Math.min(90, Math.floor((CHART_WIDTH / 2 - 40) / K));
  return chart('transitions', title, 'row: state this period, column: state next period; other covariates at sample means', description, {
    data: { values },
    facet: SCENARIO_FACET,
    spec: {
      width: cell * K,
      height: cell * K,
      layer: [
        { mark: { type: 'rect', stroke: 'white', strokeWidth: 1 }, encoding: { color: { field: 'p', type: 'quantitative', title: 'probability', scale: { domain: [0, 1], scheme: 'blues' } } } },
        // Labels: white on dark cells, black on light ones.
        { transform: [{ filter: 'datum.p > 0.55' }], mark: { type: 'text', fontSize: 12, color: 'white' }, encoding: { text: { field: 'p', type: 'quantitative', format: '.0%' } } },
        { transform: [{ filter: 'datum.p <= 0.55' }], mark: { type: 'text', fontSize: 12, color: 'black' }, encoding: { text: { field: 'p', type: 'quantitative', format: '.0%' } } },
      ],
      encoding: {
        x: { field: 'to', type: 'ordinal', sort: order, title: 'to (next period)', axis: { labelAngle: 0, orient: 'top', grid: false } },
        y: { field: 'from', type: 'ordinal', sort: order, title: 'from (this period)', axis: { grid: false } },
      },
    },
    resolve: { scale: { color: 'shared' } },
  });
}

/** Voice probabilities in each state next period, without and with the intervention's effect on voice. */
export function voiceByStateChart(e: EffectsReport): ChartFigure {
  const values: { scenario: string; state: string; voice: string; p: number }[] = [];
  for (const [scenario, m] of [[WITHOUT, e.propensity.emissionWithout], [WITH, e.propensity.emissionWith]] as const) {
    for (let k = 0; k < e.nStates; k++) e.voiceLabels.forEach((l, v) => values.push({ scenario, state: stateName(k + 1), voice: l, p: round(m[k][v]) }));
  }
  const c = e.voiceLabels.indexOf('complaint');
  const title = 'Voice probabilities in each state';
  const description =
    `Grouped bar chart: the probability of each voice (${e.voiceLabels.join(', ')}) in each of ${e.nStates} states, without and with an intervention's effect on voice.` +
    (c >= 0 ? ` Complaint probability without: ${e.propensity.emissionWithout.map((r) => `${(100 * r[c]).toFixed(1)}%`).join(', ')}; with: ${e.propensity.emissionWith.map((r) => `${(100 * r[c]).toFixed(1)}%`).join(', ')}.` : '');
  return chart('voice-by-state', title, 'next period; state 1 = worst relationship', description, {
    data: { values },
    facet: SCENARIO_FACET,
    spec: {
      width: CHART_WIDTH / 2 - 30,
      height: CHART_HEIGHT,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'state', type: 'nominal', title: 'relationship state', axis: { labelAngle: 0 } },
        xOffset: { field: 'voice', type: 'nominal', sort: e.voiceLabels },
        y: { field: 'p', type: 'quantitative', title: 'probability (%)', axis: { format: '%' }, scale: { domain: [0, 1] } },
        color: { field: 'voice', type: 'nominal', title: 'voice', scale: voiceScale(e.voiceLabels), sort: e.voiceLabels },
      },
    },
  });
}

/** Long-run share of customers in each state if the next-period transition matrix held every period. */
export function longRunChart(e: EffectsReport): ChartFigure {
  const values: { scenario: string; state: string; share: number }[] = [];
  e.relationship.longRunWithout.forEach((s, k) => values.push({ scenario: WITHOUT, state: stateName(k + 1), share: round(s) }));
  e.relationship.longRunWith.forEach((s, k) => values.push({ scenario: WITH, state: stateName(k + 1), share: round(s) }));
  const fmt = (xs: number[]): string => xs.map((x, k) => `state ${k + 1} ${(100 * x).toFixed(1)}%`).join(', ');
  const title = 'Long-run share of customers in each state';
  const description = `Grouped bar chart of the long-run state shares: without interventions ${fmt(e.relationship.longRunWithout)}; if every period brought an intervention ${fmt(e.relationship.longRunWith)}.`;
  return chart('long-run', title, 'if the next-period transition matrix applied every period', description, {
    width: CHART_WIDTH * 0.7,
    height: CHART_HEIGHT * 0.8,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'state', type: 'nominal', title: 'relationship state', axis: { labelAngle: 0 } },
      xOffset: { field: 'scenario', type: 'nominal', sort: SCENARIO_SCALE.domain },
      y: { field: 'share', type: 'quantitative', title: 'share of customers (%)', axis: { format: '%' }, scale: { domain: [0, 1] } },
      color: { field: 'scenario', type: 'nominal', title: null, scale: SCENARIO_SCALE },
    },
  });
}

/** The two channels' effect on expected complaints and compliments over the report's horizon. */
export function channelTotalsChart(e: EffectsReport): ChartFigure {
  const voices = ['complaint', 'compliment'].filter((l) => e.voiceLabels.includes(l));
  const parts = ['relationship', 'propensity', 'interaction', 'net'] as const;
  const values = voices.flatMap((l) => parts.map((part) => ({ voice: l, part, change: round(e.net.effects[l][part]) })));
  const title = `Change in expected voice over the next ${e.horizon} periods`;
  const description =
    `Bar chart of the intervention's effect on expected counts per customer over ${e.horizon} periods, by channel: ` +
    voices.map((l) => `${l}s: ${parts.map((p) => `${p} ${e.net.effects[l][p] >= 0 ? '+' : ''}${e.net.effects[l][p].toFixed(3)}`).join(', ')}`).join('; ') +
    '.';
  return chart('channel-totals', title, 'one intervention after a complaint vs none: each channel alone, their interaction, and both (net)', description, {
    width: CHART_WIDTH * 0.75,
    height: CHART_HEIGHT,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'voice', type: 'nominal', sort: voices, title: null, axis: { labelAngle: 0, labelExpr: "datum.value + 's'" } },
      xOffset: { field: 'part', type: 'nominal', sort: parts },
      y: { field: 'change', type: 'quantitative', title: 'change in expected count' },
      color: { field: 'part', type: 'nominal', title: 'channel', sort: parts, scale: { domain: [...parts], range: ['#2471a3', '#c0392b', '#aab7b8', '#222222'] } },
    },
  });
}
