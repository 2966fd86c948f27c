/**
 * Intervals of derived quantities (a probability, an effect, a policy total) from the covariance
 * of the parameter vector (DESIGN.md, Inference): percentiles over the bootstrap replicates when the
 * covariance has them, else the delta method with the Jacobian of the quantities by central
 * differences (step 1e-5 * max(1, |theta_i|): the quantities are smooth compositions of logits,
 * so the truncation error, ~h^2, is far below the standard errors).
 */
import type { Covariance } from './covariance.js';
import { normalQuantile, quantileSorted } from './distributions.js';

export interface Interval {
  estimate: number;
  /** Standard error (delta method), or standard deviation over bootstrap replicates. */
  se: number;
  low: number;
  high: number;
  method: 'delta' | 'bootstrap';
}

/**
 * Intervals at `level` (default 0.95) for every entry of f(theta), where theta is the fit's
 * parameter vector in the covariance's order. Unavailable parameters are held fixed (they have no
 * variance), so an interval that depends on them understates the uncertainty: callers say so.
 * An entry whose value is not finite gets NaN bounds.
 */
export function derivedIntervals(f: (theta: Float64Array) => ArrayLike<number>, theta: Float64Array, cov: Covariance, level = 0.95): Interval[] {
  const n = cov.names.length;
  if (theta.length !== n) throw new RangeError(`theta has length ${theta.length}, the covariance ${n}`);
  const est = Float64Array.from(f(theta));
  const m = est.length;
  const alpha = (1 - level) / 2;
  if (cov.bootstrap && cov.bootstrap.replicates.length > 1) {
    const reps = cov.bootstrap.replicates.map((r) => Float64Array.from(f(Float64Array.from(r))));
    const out: Interval[] = [];
    for (let j = 0; j < m; j++) {
      const v = reps.map((r) => r[j]).filter(Number.isFinite).sort((a, b) => a - b);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length - 1));
      out.push({ estimate: est[j], se: sd, low: quantileSorted(v, alpha), high: quantileSorted(v, 1 - alpha), method: 'bootstrap' });
    }
    return out;
  }
  const skip = new Set(cov.unavailable);
  // jac row-major [j*n + i] = d f_j / d theta_i
  const jac = new Float64Array(m * n);
  const x = Float64Array.from(theta);
  for (let i = 0; i < n; i++) {
    if (skip.has(cov.names[i]) || cov.matrix[i * n + i] === 0) continue;
    const h = 1e-5 * Math.max(1, Math.abs(theta[i]));
    x[i] = theta[i] + h;
    const up = f(x);
    x[i] = theta[i] - h;
    const down = f(x);
    x[i] = theta[i];
    for (let j = 0; j < m; j++) jac[j * n + i] = (up[j] - down[j]) / (2 * h);
  }
  const z = normalQuantile(1 - alpha);
  const out: Interval[] = [];
  for (let j = 0; j < m; j++) {
    let v = 0;
    for (let a = 0; a < n; a++) {
      const ja = jac[j * n + a];
      if (ja === 0) continue;
      for (let b = 0; b < n; b++) v += ja * cov.matrix[a * n + b] * jac[j * n + b];
    }
    const se = Math.sqrt(Math.max(0, v));
    const ok = Number.isFinite(est[j]) && Number.isFinite(se);
    out.push({ estimate: est[j], se: ok ? se : NaN, low: ok ? est[j] - z * se : NaN, high: ok ? est[j] + z * se : NaN, method: 'delta' });
  }
  return out;
}
