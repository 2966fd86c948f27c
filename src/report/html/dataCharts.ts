import type { DataSummary } from '../../estimation/fitTypes.js';
import type { PeriodAggregates } from './panelFigures.js';
import { CHART_HEIGHT, CHART_WIDTH, periodTitle, round, chart, voiceScale, type ChartFigure, type TimeUnit } from './chartStyle.js';

function binNote(a: PeriodAggregates): string | undefined {
  return a.width > 1 ? `periods grouped in bins of ${a.width}` : undefined;
}

/** Share of each voice among the observed voices of every calendar period (stacked to 100%). */
export function voiceSharesChart(a: PeriodAggregates, voiceLabels: string[], unit: TimeUnit): ChartFigure {
  const values: { period: number; voice: string; share: number; count: number }[] = [];
  a.period.forEach((p, b) => {
    const total = a.voiceCounts[b].reduce((s, x) => s + x, 0);
    voiceLabels.forEach((l, v) => values.push({ period: p, voice: l, share: total ? round(a.voiceCounts[b][v] / total) : 0, count: a.voiceCounts[b][v] }));
  });
  const title = 'Voice over calendar time';
  const description = `Stacked area chart: for each of ${a.period.length} calendar periods, the share of observed voices that were ${voiceLabels.join(', ')}.`;
  return chart('voice-shares', title, binNote(a) ?? 'share of observed voices in each period', description, {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values },
    mark: { type: 'area' },
    encoding: {
      x: { field: 'period', type: 'quantitative', title: periodTitle(unit), scale: { nice: false } },
      y: { field: 'share', type: 'quantitative', stack: 'normalize', title: 'share of observed voices (%)', axis: { format: '%' } },
      color: { field: 'voice', type: 'nominal', title: 'voice', scale: voiceScale(voiceLabels), sort: voiceLabels },
      order: { field: 'voiceOrder' },
    },
    transform: [{ calculate: `indexof(${JSON.stringify(voiceLabels)}, datum.voice)`, as: 'voiceOrder' }],
  });
}

/** Interventions per calendar period, with the number of customers observed. */
export function interventionsChart(a: PeriodAggregates, unit: TimeUnit): ChartFigure {
  const values = a.period.map((p, b) => ({ period: p, interventions: a.interventions[b], customers: a.rows[b], per100: a.rows[b] ? round((100 * a.interventions[b]) / a.rows[b], 4) : 0 }));
  const total = a.interventions.reduce((s, x) => s + x, 0);
  const title = 'Interventions over calendar time';
  const description = `Bar chart: firm interventions in each of ${a.period.length} calendar periods, ${total} in all.`;
  return chart('interventions', title, binNote(a) ?? 'interventions toward customers in each period', description, {
    width: CHART_WIDTH,
    height: CHART_HEIGHT * 0.7,
    data: { values },
    mark: { type: 'bar', color: '#1f4e79' },
    encoding: {
      x: { field: 'period', type: 'quantitative', title: periodTitle(unit), scale: { nice: false } },
      y: { field: 'interventions', type: 'quantitative', title: 'interventions (count)' },
      tooltip: [{ field: 'period' }, { field: 'interventions' }, { field: 'customers', title: 'customers observed' }],
    },
  });
}

/** Voice totals of the fitted data (from fit.json alone, when no panel is given). */
export function voiceTotalsChart(data: DataSummary, voiceLabels: string[]): ChartFigure {
  const values = voiceLabels.map((l) => ({ voice: l, count: data.voiceCounts[l] ?? 0 }));
  const title = 'Observed voices';
  const description = `Bar chart of observed voice counts in the fitted panel: ${values.map((v) => `${v.voice} ${v.count}`).join(', ')}.`;
  return chart('voice-totals', title, `${data.observations} observed voices of ${data.customers} customers`, description, {
    width: CHART_WIDTH * 0.6,
    height: CHART_HEIGHT * 0.7,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'voice', type: 'nominal', title: 'voice', sort: voiceLabels, axis: { labelAngle: 0 } },
      y: { field: 'count', type: 'quantitative', title: 'customer-periods (count)' },
      color: { field: 'voice', type: 'nominal', scale: voiceScale(voiceLabels), legend: null },
    },
  });
}
