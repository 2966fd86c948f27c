import type { TopLevelSpec } from 'vega-lite';

/**
 * One chart of the report: a Vega-Lite specification with its data inline, plus what the page and
 * screen readers need. `name` is the figure's file stem under --figures and its element id.
 */
export interface ChartFigure {
  name: string;
  title: string;
  /** Text description for screen readers (the SVG's <desc>, the figure's aria-describedby). */
  description: string;
  spec: TopLevelSpec;
}

/** What the axis labels know about time: the length of one period when the user gave it. */
export interface TimeUnit {
  /** e.g. 'day', 'week', '6h'; undefined when unknown. */
  periodLength?: string;
}

/** The time unit of a fit's period length: day, week, or "6 hours". */
export function timeUnit(length?: { spec: string; hours: number }): TimeUnit {
  if (!length) return {};
  return { periodLength: length.spec === 'day' || length.spec === 'week' ? length.spec : `${length.hours} hour${length.hours === 1 ? '' : 's'}` };
}

/** "period (1 period = day)" when the period length is known, else "period". */
export function periodTitle(unit: TimeUnit, what = 'period'): string {
  return unit.periodLength ? `${what} (1 period = ${unit.periodLength})` : what;
}

export const CHART_WIDTH = 560;
export const CHART_HEIGHT = 220;

/** Fixed colours per voice, so that every chart reads the same (complaint red, compliment green). */
const VOICE_COLOURS: Record<string, string> = { complaint: '#c0392b', compliment: '#27ae60', neutral: '#7f8c8d', silent: '#d5d8dc' };
const OTHER_COLOURS = ['#8e44ad', '#2980b9', '#d35400', '#16a085', '#f39c12'];

export function voiceScale(labels: readonly string[]): { domain: string[]; range: string[] } {
  let o = 0;
  return { domain: [...labels], range: labels.map((l) => VOICE_COLOURS[l] ?? OTHER_COLOURS[o++ % OTHER_COLOURS.length]) };
}

/** States from worst (red) to best (blue). */
export function stateScale(nStates: number): { domain: string[]; range: string[] } {
  const domain = Array.from({ length: nStates }, (_, k) => stateName(k + 1));
  const range = domain.map((_, k) => {
    const t = nStates === 1 ? 1 : k / (nStates - 1);
    // interpolate between #c0392b (worst) and #2471a3 (best) through a light middle
    const lerp = (a: number, b: number, m: number): number => Math.round(t < 0.5 ? a + (m - a) * (t * 2) : m + (b - m) * ((t - 0.5) * 2));
    const [r, g, b] = [lerp(0xc0, 0x24, 0xe6), lerp(0x39, 0x71, 0xb0), lerp(0x2b, 0xa3, 0x22)];
    return `#${[r, g, b].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
  });
  return { domain, range };
}

export function stateName(k: number): string {
  return `state ${k}`;
}

/** Scenario colours: without intervention grey, with intervention dark blue. */
export const SCENARIO_SCALE = { domain: ['without intervention', 'with intervention'], range: ['#95a5a6', '#1f4e79'] };

/** Shared look: readable fonts, no chart border, white background (also printed). */
export const CONFIG = {
  background: 'white',
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  title: { fontSize: 14, anchor: 'start', subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
} as const;

/** A top-level spec with the common fields (schema, title, description, config). */
export function topLevel(title: string, subtitle: string | undefined, description: string, body: Record<string, unknown>): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: subtitle ? { text: title, subtitle } : title,
    description,
    ...body,
    config: CONFIG,
  } as TopLevelSpec;
}

/** A chart of the report from its name, title, subtitle, description and Vega-Lite body. */
export function chart(name: string, title: string, subtitle: string | undefined, description: string, body: Record<string, unknown>): ChartFigure {
  return { name, title, description, spec: topLevel(title, subtitle, description, body) };
}

/** Rounded for inline data: the page shows probabilities and counts, not 17 digits. */
export function round(x: number, digits = 6): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
