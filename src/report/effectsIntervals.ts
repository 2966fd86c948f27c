import type { Covariance } from '../estimation/inference/covariance.js';
import { derivedIntervals, type Interval } from '../estimation/inference/derivedIntervals.js';
import { ModelError } from '../errors.js';
import type { EffectsIntervals, Figures, IntervalBounds, SeriesBounds } from './effectsTypes.js';
import { flattenFigures, mapFigures, type FigureKind } from './figuresMap.js';
import { normalQuantile } from '../estimation/inference/distributions.js';

/**
 * A delta-method interval of a probability, computed on the logit scale and mapped back, so that
 * it stays inside [0, 1]: logistic(logit(p) +- z se / (p (1 - p))). The standard error stays the
 * probability's own. Bootstrap percentiles, and probabilities at 0 or 1, are left as they are.
 */
export function onLogitScale(x: Interval, z: number): Interval {
  const p = x.estimate;
  if (x.method !== 'delta' || !(p > 0 && p < 1) || !Number.isFinite(x.se)) return x;
  const l = Math.log(p / (1 - p));
  const s = x.se / (p * (1 - p));
  const logistic = (t: number) => 1 / (1 + Math.exp(-t));
  return { ...x, low: logistic(l - z * s), high: logistic(l + z * s) };
}

/**
 * Intervals of every figure of the report: `figuresAt(theta)` recomputes the figures at a
 * parameter vector (in the covariance's order), derivedIntervals gives delta-method intervals
 * (central-difference Jacobian of the whole report, 2 * nParams evaluations) or percentiles over
 * the fit's bootstrap replicates, and the figures' walk puts them back in the report's shape.
 * Delta-method intervals of probabilities are taken on the logit scale (onLogitScale).
 * A parameter vector at which the long-run total does not exist gives NaN for it there (a
 * bootstrap replicate then drops out of that figure's percentiles).
 */
export function effectsIntervals(
  figuresAt: (theta: Float64Array) => Figures<number, number[]>,
  parameters: { names: string[]; values: Float64Array },
  cov: Covariance,
  level = 0.95,
): EffectsIntervals {
  const n = parameters.names.length;
  if (cov.names.length !== n || cov.names.some((x, i) => x !== parameters.names[i])) {
    const i = cov.names.findIndex((x, j) => x !== parameters.names[j]);
    throw new ModelError(`the covariance does not belong to the fit's parameters: ${cov.names.length} names for ${n} parameters${i >= 0 ? `; name ${i + 1} is '${cov.names[i]}', the parameter '${parameters.names[i] ?? '(none)'}'` : ''}`);
  }
  if (cov.matrix.length !== n * n) throw new ModelError(`the covariance matrix has ${cov.matrix.length} entries, expected ${n} x ${n}`);
  const base = figuresAt(parameters.values);
  const nanLongRun = base.longRun === undefined ? undefined : mapFigures(base, () => NaN, (xs) => xs.map(() => NaN)).longRun;
  const size = flattenFigures(base).length;
  const f = (theta: Float64Array): Float64Array => {
    const fig = figuresAt(theta);
    if (base.longRun === undefined) fig.longRun = undefined;
    else if (fig.longRun === undefined) fig.longRun = nanLongRun;
    const flat = flattenFigures(fig);
    if (flat.length !== size) throw new RangeError(`the report has ${flat.length} figures at a perturbed parameter vector, ${size} at the estimate`);
    return flat;
  };
  const iv = derivedIntervals(f, parameters.values, cov, level);
  let next = 0;
  const z = normalQuantile(1 - (1 - level) / 2);
  const take = (kind: FigureKind): Interval => {
    const x = iv[next++];
    return kind === 'probability' ? onLogitScale(x, z) : x;
  };
  const leaf = (_: number, kind: FigureKind): IntervalBounds => {
    const x = take(kind);
    return { low: x.low, high: x.high, se: x.se };
  };
  const series = (xs: number[], kind: FigureKind): SeriesBounds => {
    const out: SeriesBounds = { low: new Array(xs.length), high: new Array(xs.length), se: new Array(xs.length) };
    for (let i = 0; i < xs.length; i++) {
      const x = take(kind);
      out.low[i] = x.low;
      out.high[i] = x.high;
      out.se[i] = x.se;
    }
    return out;
  };
  const shaped = mapFigures(base, leaf, series);
  const notes: string[] = [];
  const boot = cov.bootstrap && cov.bootstrap.replicates.length > 1 ? cov.bootstrap : undefined;
  // Percentiles recompute the report at every replicate, so only the delta method holds parameters fixed.
  if (!boot && cov.unavailable.length) notes.push(`parameters without a standard error are held fixed (${cov.unavailable.join(', ')}): intervals that depend on them are too narrow`);
  if (boot && (boot.failed > 0 || boot.notConverged > 0)) notes.push(`bootstrap: ${boot.replicates.length} replicates used of ${boot.requested} (${boot.failed} failed, ${boot.notConverged} not converged among those used)`);
  return {
    method: boot ? 'bootstrap' : 'delta',
    level,
    covariance: cov.method,
    ...(boot ? { replicates: boot.replicates.length } : {}),
    notes,
    ...shaped,
  };
}
