/**
 * Profile-likelihood 95% intervals of single parameters, for those whose Wald interval (estimate
 * +- 1.96 SE) cannot be trusted: no standard error (boundary, singular, SE > 50), or a
 * log-likelihood far from quadratic.
 *
 * The interval of parameter j is {b : 2 (LL_max - LL_p(b)) <= 3.84}, LL_p(b) = max over the other
 * parameters of LL with theta_j = b. LL_p(b) is the quasi-Newton phase of the fit run with
 * coordinate j held fixed (exact score by Fisher's identity), warm-started from the maximiser of the
 * farthest point of the search known to be inside the interval (the estimates at first), moved along
 * the linear prediction of the profile path, cov[., j] / cov[j, j], with the conditional inverse
 * observed information as its first curvature, where a covariance is known. Each bound found is
 * checked from a second start, the estimates themselves with the fit's complete-data curvature: on
 * small or boundary problems the constrained maximum can move to another branch (a parameter
 * leaving the boundary) that the warm path misses (a tiny test problem's lower bound moved from
 * -2.64 to unbounded with it); when that start finds the point inside, the search goes on outward
 * from its maximum. Each side is a root search
 * on the signed root r(t) = sqrt(2 drop(t)) - 1.96 of the distance t from the estimate (r is linear
 * in t when the log-likelihood is quadratic, so the secant steps are nearly exact there), bracketed
 * and safeguarded; a side not closed within PROFILE_CAP log-odds units of the estimate is reported
 * unbounded (null). The log-likelihood is the plain one (the ridge of the fit, 1e-8 by default,
 * only keeps the constrained maxima finite).
 *
 * Which parameters: `quadraticScreen` moves each parameter with a standard error to its Wald
 * endpoints along the predicted profile path (the others following cov[., j] / cov[j, j], the path
 * of the quadratic approximation) and evaluates the log-likelihood there (two forward passes).
 * A quadratic log-likelihood falls by exactly 1.92 at both endpoints; a parameter is profiled when
 * either fall differs from 1.92 by more than QUADRATIC_TOLERANCE. The fall along the line bounds
 * the profile's fall from above (the profile maximises over the others), so a fall below
 * 1.92 - tolerance proves the Wald interval too short on that side. A tolerance of 0.5 is the fall
 * of a level between 0.91 and 0.97 (chi-square(1) at 2 x 1.42 and 2 x 2.42) instead of 0.95.
 */
import type { EStepEngine as EStep } from '../eStep.js';
import type { MStepOptions, SubModel } from '../../model/subModel.js';
import { getFlat, nParamsOf, runQuasiNewton, setFlat } from '../quasiNewton.js';

/** The sub-models of a model in the order of its flat parameter vector. */
type Parts = readonly SubModel[];

/** Half the chi-square(1) 0.95 quantile: the fall of the log-likelihood at a 95% likelihood bound. */
export const HALF_CHI2_95 = 1.920729410347062;
/** Farthest a side is searched from the estimate (log-odds units); beyond it the side is unbounded. */
export const PROFILE_CAP = 30;
/** Largest |fall at a Wald endpoint - 1.92| for which the Wald interval stands (see the file header). */
export const QUADRATIC_TOLERANCE = 0.5;
/**
 * A bound is accepted when its signed root sqrt(2 fall) - 1.96 is within this of 0 (its fall within
 * about 0.06 of 1.92: a level within 0.003 of 0.95; the bound within about 1.5% of its distance
 * from the estimate where the log-likelihood is near quadratic) ...
 */
const ROOT_TOL = 0.03;
/** ... or its bracket narrower than this share of its distance from the estimate. */
const BRACKET_TOL = 1e-3;
const MAX_ROOT_STEPS = 24;
/** Times a bound found may be moved on by the second start (see profileSide). */
const MAX_CHECKS = 3;
/** Projected remaining gain (log-likelihood units) at which a constrained maximum is accepted (far below the 0.06 above). */
const INNER_TOL = 1e-3;
const INNER_MAX_STEPS = 300;
const Z95 = Math.sqrt(2 * HALF_CHI2_95);

/** One profile interval; a null side is unbounded (not closed within `cap` of the estimate). */
export interface ProfileInterval {
  low: number | null;
  high: number | null;
}

export interface ProfileSearchOptions {
  /** Ridge of the fit (the constrained maxima climb the same penalised objective); default 1e-8. */
  ridge?: number;
  /** See PROFILE_CAP. */
  cap?: number;
}

/** Called with the fall of the log-likelihood at each point of the search (for tests and progress). */
export type ProfileTrace = (value: number, fall: number) => void;

/**
 * Profile log-likelihood at theta_index = value: the maximum over the other coordinates, from
 * `start` (its coordinate `index` is replaced). Returns the maximum and leaves its maximiser in
 * `out` and in the parts (eStep.stats then holds the E-step there).
 */
export function profileLogLik(parts: Parts, eStep: EStep, index: number, value: number, start: Float64Array, out: Float64Array, ridge = 1e-8, initialInverse?: Float64Array): number {
  out.set(start);
  out[index] = value;
  setFlat(parts, out);
  const ll0 = eStep.run(parts);
  const mStep: MStepOptions = { ridge, maxNewtonIter: 1, newtonTol: 1e-10 };
  const r = Number.isFinite(ll0) ? runQuasiNewton(parts, eStep, ll0, { tolAbs: INNER_TOL, maxSteps: INNER_MAX_STEPS, mStep, fixed: [index], initialInverse }) : { logLik: ll0 };
  getFlat(parts, out);
  return r.logLik;
}

/** Warm starts of one parameter's profile from a covariance at the maximum (see conditionalStart). */
export interface ProfileStart {
  /** Linear prediction of the others along the path, cov[., j] / cov[j, j]. */
  slope: Float64Array;
  /** Covariance of the others given theta_j (row and column j zero): the inverse observed information of the free coordinates. */
  inverse: Float64Array;
}

/** The warm starts of coordinate j from a covariance (row-major n x n); null when it has no variance at all. */
export function conditionalStart(cov: Float64Array, n: number, j: number): ProfileStart | null {
  const vj = cov[j * n + j];
  const slope = new Float64Array(n);
  if (!(vj > 0)) {
    // no standard error: its row and column are 0 and the others' covariance already holds it fixed
    let any = false;
    for (let i = 0; i < n && !any; i++) any = cov[i * n + i] > 0;
    return any ? { slope, inverse: Float64Array.from(cov) } : null;
  }
  for (let i = 0; i < n; i++) slope[i] = cov[i * n + j] / vj;
  const inverse = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    if (a === j) continue;
    for (let b = 0; b < n; b++) if (b !== j) inverse[a * n + b] = cov[a * n + b] - slope[a] * cov[j * n + b];
  }
  return { slope, inverse };
}

/**
 * One side of the profile interval of coordinate `index` (dir -1 below, +1 above the estimate
 * theta[index]); null when unbounded within the cap. `firstStep` is the first distance tried (the
 * Wald half-width when known, else 1); `warm` the warm starts from the covariance, or null. The
 * parts are left at theta.
 */
export function profileSide(
  parts: Parts,
  eStep: EStep,
  theta: Float64Array,
  llMax: number,
  index: number,
  dir: -1 | 1,
  firstStep: number,
  warm: ProfileStart | null,
  options: ProfileSearchOptions = {},
  trace?: ProfileTrace,
): number | null {
  const n = theta.length;
  const cap = options.cap ?? PROFILE_CAP;
  const b0 = theta[index];
  const start = new Float64Array(n);
  const x = new Float64Array(n);
  let t = Math.min(cap, Math.max(1e-3, Number.isFinite(firstStep) && firstStep > 0 ? firstStep : 1));
  // Every point starts from the maximiser of the farthest point known inside (the estimate at
  // first) moved along the predicted path: the search stays on the branch of constrained maxima
  // connected to the estimate (a start from a point outside can fall into another, lower branch).
  const inX = Float64Array.from(theta);
  let inT = 0;
  const fallOf = (ll: number) => (Number.isFinite(ll) ? Math.max(0, llMax - ll) : Infinity);
  const root = (d: number): number => {
    const value = b0 + dir * d;
    if (warm) for (let i = 0; i < n; i++) start[i] = inX[i] + warm.slope[i] * dir * (d - inT);
    else start.set(inX);
    const fall = fallOf(profileLogLik(parts, eStep, index, value, start, x, options.ridge, warm?.inverse));
    trace?.(value, fall);
    return Math.sqrt(2 * fall) - Z95;
  };
  // Signed root r(t): -1.96 at the estimate, 0 at the bound. Bracket [inT, outT]; secant steps
  // through the last two points, kept inside the bracket (bisection otherwise).
  let outT = Infinity;
  let prev = { t: 0, r: -Z95 };
  let result: number | null = null;
  let checks = 0;
  for (let k = 0; k < MAX_ROOT_STEPS; k++) {
    const r = root(t);
    let found = Math.abs(r) < ROOT_TOL ? t : NaN;
    if (Number.isNaN(found)) {
      if (r < 0) {
        inT = t;
        inX.set(x);
      } else outT = t;
      const s = (r - prev.r) / (t - prev.t);
      let next = s > 0 && Number.isFinite(s) ? t - r / s : NaN;
      prev = { t, r };
      if (outT === Infinity) {
        if (t >= cap) break; // still inside at the cap: unbounded
        next = Number.isFinite(next) ? Math.min(4 * t, Math.max(1.5 * t, next)) : 4 * t;
        t = Math.min(cap, next);
        continue;
      }
      if (outT - inT < BRACKET_TOL * Math.max(1, outT)) found = 0.5 * (inT + outT);
      else {
        const margin = 0.02 * (outT - inT);
        t = next >= inT + margin && next <= outT - margin ? next : 0.5 * (inT + outT);
        continue;
      }
    }
    // A bound found: check it from a second start, the estimates themselves with the fit's own
    // first curvature. The constrained maximum can sit on another branch (a parameter leaving the
    // boundary) that the path from the estimate does not reach; if that start finds the point
    // inside, the search goes on outward from there.
    const value = b0 + dir * found;
    const cold = Math.sqrt(2 * fallOf(profileLogLik(parts, eStep, index, value, theta, x, options.ridge))) - Z95;
    trace?.(value, 0.5 * (cold + Z95) ** 2);
    if (!warm || checks >= MAX_CHECKS || !(cold < -ROOT_TOL)) {
      result = value;
      break;
    }
    checks++;
    inT = found;
    inX.set(x);
    outT = Infinity;
    prev = { t: found, r: cold };
    if (found >= cap) break;
    const s = (cold + Z95) / found;
    t = Math.min(cap, Math.max(1.2 * found, s > 0 ? -cold / s + found : 2 * found));
  }
  if (result === null && outT !== Infinity) result = b0 + dir * 0.5 * (inT + outT);
  setFlat(parts, theta);
  eStep.run(parts);
  return result;
}

/**
 * Profile intervals of the coordinates `indices` at the maximum theta (the parts' current
 * parameters, log-likelihood llMax). `halfWidth[j]`: the Wald half-width 1.96 SE_j (NaN without
 * one), the first distance tried; `cov` (row-major n x n, or null) gives the warm starts.
 * `knownUnbounded[j]`: sides already known to be unbounded (skipped). The parts are left at theta.
 */
export function profileIntervals(
  parts: Parts,
  eStep: EStep,
  indices: readonly number[],
  halfWidth: ArrayLike<number>,
  cov: Float64Array | null,
  options: ProfileSearchOptions & { knownUnbounded?: ReadonlyMap<number, { low: boolean; high: boolean }> } = {},
): ProfileInterval[] {
  const n = nParamsOf(parts);
  const theta = new Float64Array(n);
  getFlat(parts, theta);
  setFlat(parts, theta);
  const llMax = eStep.run(parts);
  return indices.map((j) => {
    const warm = cov ? conditionalStart(cov, n, j) : null;
    const known = options.knownUnbounded?.get(j);
    const side = (dir: -1 | 1) => profileSide(parts, eStep, theta, llMax, j, dir, halfWidth[j], warm, options);
    return { low: known?.low ? null : side(-1), high: known?.high ? null : side(1) };
  });
}
