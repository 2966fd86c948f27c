import type { FitResult } from '../../estimation/fitTypes.js';
import { CHART_HEIGHT, CHART_WIDTH, chart, type ChartFigure } from './chartStyle.js';

function startLabel(index: number, kind: string, kept: boolean): string {
  return `start ${index + 1} (${kind}${kept ? ', kept' : ''})`;
}

/**
 * Log-likelihood after every iteration of every start (a line each; a start saved without its trace
 * is one point at its last iteration). The kept start's trace is the fit's history.
 */
export function startTracesChart(fit: Pick<FitResult, 'starts' | 'bestStart' | 'history' | 'logLik'>): ChartFigure {
  const values: { start: string; iteration: number; logLik: number }[] = [];
  for (const s of fit.starts) {
    const kept = s.index === fit.starts[fit.bestStart]?.index;
    const label = startLabel(s.index, s.kind, kept);
    const trace = s.history ?? (kept ? fit.history : undefined);
    if (trace && trace.length) trace.forEach((ll, i) => Number.isFinite(ll) && values.push({ start: label, iteration: i, logLik: ll }));
    else if (Number.isFinite(s.logLik)) values.push({ start: label, iteration: s.iterations, logLik: s.logLik });
  }
  // The first iterations of a poor start can sit far below the rest; the axis starts at the worst
  // log-likelihood any start ended with, minus a margin, so the end of every trace is readable.
  const ends = fit.starts.map((s) => s.logLik).filter(Number.isFinite);
  const worstEnd = Math.min(...ends);
  const margin = Math.max(1, 0.25 * (fit.logLik - worstEnd));
  const floor = worstEnd - margin;
  const clipped = values.filter((v) => v.logLik >= floor);
  const title = 'Log-likelihood of every start';
  const gaps = fit.starts.filter((s) => Number.isFinite(s.logLik)).map((s) => `start ${s.index + 1} ended at ${s.logLik.toFixed(2)}`);
  const description = `Line chart of the log-likelihood by iteration for ${fit.starts.length} EM start${fit.starts.length === 1 ? '' : 's'}; ${gaps.join('; ')}; the kept start reached ${fit.logLik.toFixed(2)}.`;
  const dropped = values.length - clipped.length;
  const subtitle = `each start's trace; ${dropped ? `${dropped} early iterations below ${floor.toFixed(0)} not shown` : 'all iterations shown'}`;
  return chart('start-traces', title, subtitle, description, {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: clipped },
    layer: [
      { mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.5 } },
      { transform: [{ filter: `datum.start == ${JSON.stringify(startLabel(fit.starts[fit.bestStart]?.index ?? 0, fit.starts[fit.bestStart]?.kind ?? '', true))}` }], mark: { type: 'line', strokeWidth: 3 } },
    ],
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration (EM and quasi-Newton steps)' },
      y: { field: 'logLik', type: 'quantitative', title: 'log-likelihood', scale: { zero: false } },
      color: { field: 'start', type: 'nominal', title: 'start', scale: { scheme: 'tableau10' } },
    },
  });
}
