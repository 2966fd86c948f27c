import type { ChannelName, EffectsReport, ScenarioName, SeriesBounds } from '../effectsTypes.js';
import { headlineVoices } from '../effectsHeadline.js';
import { CHART_HEIGHT, CHART_WIDTH, periodTitle, round, chart, type ChartFigure, type TimeUnit } from './chartStyle.js';

/** How the four scenarios of the report read in a legend. */
const SCENARIO_NAMES: Record<ScenarioName, string> = {
  none: 'no intervention',
  both: 'with intervention (both channels)',
  relationshipOnly: 'relationship channel alone',
  propensityOnly: 'propensity channel alone',
};
const SCENARIO_ORDER: ScenarioName[] = ['none', 'both', 'relationshipOnly', 'propensityOnly'];
const SCENARIO_COLOURS = ['#7f8c8d', '#1b1b1b', '#2471a3', '#c0392b'];

const CHANNEL_ORDER: ChannelName[] = ['net', 'relationship', 'propensity', 'interaction'];
const CHANNEL_COLOURS = ['#1b1b1b', '#2471a3', '#c0392b', '#aab7b8'];

interface SeriesPoint {
  voice: string;
  h: number;
  series: string;
  value: number;
  low?: number;
  high?: number;
}

function points(voice: string, series: string, values: number[], bounds: SeriesBounds | undefined): SeriesPoint[] {
  return values.map((v, i) => {
    const p: SeriesPoint = { voice, h: i + 1, series, value: round(v) };
    if (bounds && Number.isFinite(bounds.low[i]) && Number.isFinite(bounds.high[i])) {
      p.low = round(bounds.low[i]);
      p.high = round(bounds.high[i]);
    }
    return p;
  });
}

/** Lines per series over the periods after the complaint, a panel per voice, with interval bands when the points have them. */
function seriesSpec(values: SeriesPoint[], voices: string[], domain: string[], range: string[], yTitle: string, unit: TimeUnit, zero: boolean): Record<string, unknown> {
  const withBands = values.some((p) => p.low !== undefined);
  const x = { field: 'h', type: 'quantitative', title: periodTitle(unit, 'periods after the complaint'), scale: { nice: false } };
  const color = { field: 'series', type: 'nominal', title: null, sort: domain, scale: { domain, range }, legend: { orient: 'bottom', columns: 2, labelLimit: 320, symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2.5 } };
  const layer: Record<string, unknown>[] = [];
  if (withBands) {
    layer.push({
      transform: [{ filter: 'isValid(datum.low)' }],
      mark: { type: 'area', opacity: 0.15 },
      encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color },
    });
  }
  layer.push({ mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero } }, color } });
  return {
    data: { values },
    facet: { column: { field: 'voice', type: 'nominal', title: null, sort: voices, header: { labelFontSize: 12, labelExpr: "datum.value + 's'" } } },
    spec: { width: CHART_WIDTH / 2 - 30, height: CHART_HEIGHT * 0.9, layer },
    resolve: { scale: { y: 'independent' } },
  };
}

/**
 * Expected complaints and compliments in each period after the complaint, for the customer with and
 * without the intervention and for each channel alone (intervals when the fit has a covariance).
 */
export function channelsPerPeriodChart(e: EffectsReport, unit: TimeUnit): ChartFigure {
  const voices = headlineVoices(e);
  const iv = e.intervals?.overTime.expected;
  const values = voices.flatMap((v) => SCENARIO_ORDER.flatMap((s) => points(v, SCENARIO_NAMES[s], e.overTime.expected[s][v], iv?.[s]?.[v])));
  const title = `Expected voice in each of the ${e.horizon} periods after a complaint`;
  const at = (s: ScenarioName, v: string, h: number): string => e.overTime.expected[s][v][h - 1].toFixed(3);
  const description =
    `Line charts, one per voice (${voices.join(', ')}), of the expected count per customer in each period after a complaint, without an intervention, with one, and with each channel alone` +
    `${iv ? ', with 95% interval bands' : ''}. ` +
    voices.map((v) => `${v}s in period 1: ${at('none', v, 1)} without, ${at('both', v, 1)} with; in period ${e.horizon}: ${at('none', v, e.horizon)} without, ${at('both', v, e.horizon)} with`).join('; ') +
    '.';
  return chart('channels-per-period', title, `expected count per customer who complained in period 0${iv ? '; bands: 95% intervals' : ''}`, description, seriesSpec(values, voices, SCENARIO_ORDER.map((s) => SCENARIO_NAMES[s]), SCENARIO_COLOURS, 'expected count', unit, false));
}

/** The cumulative effect of each channel (scenario minus no intervention) over periods 1..h. */
export function channelsCumulativeChart(e: EffectsReport, unit: TimeUnit): ChartFigure {
  const voices = headlineVoices(e);
  const iv = e.intervals?.overTime.cumulativeEffects;
  const values = voices.flatMap((v) => CHANNEL_ORDER.map((c) => points(v, c, e.overTime.cumulativeEffects[v][c], iv?.[v]?.[c])).flat());
  const title = `Cumulative effect of an intervention, by channel`;
  const end = (v: string, c: ChannelName): string => {
    const x = e.overTime.cumulativeEffects[v][c][e.horizon - 1];
    return `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
  };
  const long = e.longRun.exists && e.longRun.effects ? ` Long-run net: ${voices.map((v) => `${v}s ${e.longRun.effects![v].net >= 0 ? '+' : ''}${e.longRun.effects![v].net.toFixed(3)}`).join(', ')}.` : '';
  const description =
    `Line charts, one per voice (${voices.join(', ')}), of the change in expected count over periods 1 to h that one intervention after a complaint brings: net, relationship channel, propensity channel and their interaction${iv ? ', with 95% interval bands' : ''}. ` +
    `At period ${e.horizon}: ` +
    voices.map((v) => `${v}s net ${end(v, 'net')} (relationship ${end(v, 'relationship')}, propensity ${end(v, 'propensity')})`).join('; ') +
    '.' +
    long;
  return chart('channels-cumulative', title, `change in expected count over periods 1..h per customer who complained${iv ? '; bands: 95% intervals' : ''}`, description, seriesSpec(values, voices, CHANNEL_ORDER, CHANNEL_COLOURS, 'cumulative change', unit, true));
}
