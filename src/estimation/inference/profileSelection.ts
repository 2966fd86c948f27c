/**
 * Which parameters get a profile-likelihood interval instead of the Wald one, and the notes that
 * say so (see profileLikelihood.ts for the interval itself).
 *
 * A parameter is profiled when
 *   - it has no standard error (boundary, singular direction, SE > 50), or
 *   - moving it alone PROFILE_CAP log-odds units to one side lowers the log-likelihood by less than
 *     1.92: that side of its likelihood interval is unbounded (holding the others fixed
 *     understates the profile, so the profile side is unbounded too, and is not searched), or
 *   - at either Wald endpoint, the others moved along the predicted profile path, the
 *     log-likelihood falls by less than 1.92 - QUADRATIC_TOLERANCE. The fall along that line is at
 *     least the profile's fall (the profile maximises over the others), so such a fall proves the
 *     Wald side too short. A fall above 1.92 + tolerance does not show the opposite (the line
 *     leaves the curved profile path) and would only make the Wald side conservative, so it is
 *     not a reason: on the example panel the two-sided rule would profile 11 of 32 parameters,
 *     several times the cost of the standard errors, this rule 4.
 */
import type { EStepEngine as EStep } from '../eStep.js';
import type { SubModel } from '../../model/subModel.js';
import { getFlat, nParamsOf, setFlat } from '../quasiNewton.js';
import { HALF_CHI2_95, PROFILE_CAP, QUADRATIC_TOLERANCE, type ProfileInterval } from './profileLikelihood.js';

/** The sub-models of a model in the order of its flat parameter vector. */
type Parts = readonly SubModel[];

const Z95 = Math.sqrt(2 * HALF_CHI2_95);

export interface ProfileCandidate {
  index: number;
  /** Why its Wald interval is not used (for the notes). */
  reason: string;
  /** Sides already known to be unbounded (moving it alone by the cap). */
  unboundedLow: boolean;
  unboundedHigh: boolean;
}

/**
 * Falls of the log-likelihood from llMax at theta_j -/+ 1.96 SE_j with the others moved along
 * cov[., j] / cov[j, j], row-major [j*2 + side] (side 0 below, 1 above); NaN where cov[j, j] is 0.
 * The parts are left at their parameters.
 */
export function waldEndpointFalls(parts: Parts, eStep: EStep, cov: Float64Array, llMax: number): Float64Array {
  const n = nParamsOf(parts);
  if (cov.length !== n * n) throw new RangeError(`cov: length ${cov.length}, expected ${n * n}`);
  const theta = new Float64Array(n);
  getFlat(parts, theta);
  const x = new Float64Array(n);
  const column = new Float64Array(n);
  const out = new Float64Array(2 * n).fill(NaN);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) column[i] = cov[i * n + j];
    waldFallsOf(parts, eStep, theta, j, column, llMax, x, out);
  }
  setFlat(parts, theta);
  return out;
}

/**
 * waldEndpointFalls of parameter j alone, from column j of the covariance (`column`, length n),
 * into out[j*2 + side]; x is scratch (length n). The parts are left at x (set them back to theta).
 */
export function waldFallsOf(parts: Parts, eStep: EStep, theta: Float64Array, j: number, column: Float64Array, llMax: number, x: Float64Array, out: Float64Array): void {
  const n = theta.length;
  const v = column[j];
  if (!(v > 0)) return;
  const step = Z95 * Math.sqrt(v);
  for (let side = 0; side < 2; side++) {
    const dir = side === 0 ? -1 : 1;
    for (let i = 0; i < n; i++) x[i] = theta[i] + (dir * step * column[i]) / v;
    setFlat(parts, x);
    out[j * 2 + side] = llMax - eStep.logLik(parts);
  }
}

/**
 * Sides on which moving theta_j alone by `cap` lowers the log-likelihood by less than 1.92,
 * [j*2 + side] = 1 (side 0 below, 1 above). The parts are left at their parameters.
 */
export function unboundedAlone(parts: Parts, eStep: EStep, llMax: number, cap = PROFILE_CAP): Uint8Array {
  const n = nParamsOf(parts);
  const theta = new Float64Array(n);
  getFlat(parts, theta);
  const x = Float64Array.from(theta);
  const out = new Uint8Array(2 * n);
  for (let j = 0; j < n; j++) unboundedAloneOf(parts, eStep, theta, j, llMax, cap, x, out);
  setFlat(parts, theta);
  return out;
}

/**
 * unboundedAlone of parameter j alone into out[j*2 + side]; x (length n) must equal theta and is
 * left equal to it. The parts are left at x with x[j] moved (set them back to theta).
 */
export function unboundedAloneOf(parts: Parts, eStep: EStep, theta: Float64Array, j: number, llMax: number, cap: number, x: Float64Array, out: Uint8Array): void {
  for (let side = 0; side < 2; side++) {
    x[j] = theta[j] + (side === 0 ? -cap : cap);
    setFlat(parts, x);
    if (eStep.logLik(parts) > llMax - HALF_CHI2_95) out[j * 2 + side] = 1;
  }
  x[j] = theta[j];
}

/** The parameters to profile (see the file header), in index order. */
export function profileCandidates(unavailable: readonly number[], falls: Float64Array, alone: Uint8Array, n: number): ProfileCandidate[] {
  const out: ProfileCandidate[] = [];
  for (let j = 0; j < n; j++) {
    const c = profileCandidate(j, unavailable.includes(j), falls, alone);
    if (c) out.push(c);
  }
  return out;
}

/** Whether parameter j is profiled (and why), from its own entries of the falls and the alone flags; null when not. */
export function profileCandidate(j: number, noStandardError: boolean, falls: ArrayLike<number>, alone: ArrayLike<number>): ProfileCandidate | null {
  const low = HALF_CHI2_95 - QUADRATIC_TOLERANCE;
  const unboundedLow = alone[j * 2] === 1;
  const unboundedHigh = alone[j * 2 + 1] === 1;
  let reason = '';
  if (noStandardError) reason = 'no standard error';
  else if (unboundedLow || unboundedHigh) reason = `moving it alone by ${PROFILE_CAP} lowers the log-likelihood by less than ${HALF_CHI2_95.toFixed(2)}`;
  else {
    const f = [falls[j * 2], falls[j * 2 + 1]];
    if (f.some((x) => x < low)) reason = `the log-likelihood falls by only ${f[0].toFixed(2)} and ${f[1].toFixed(2)} at the Wald bounds, not ${HALF_CHI2_95.toFixed(2)}`;
  }
  return reason ? { index: j, reason, unboundedLow, unboundedHigh } : null;
}

/** A bound as printed: a number, or -inf / inf for an unbounded side. */
export function formatBound(x: number | null, side: 'low' | 'high', digits = 4): string {
  if (x === null) return side === 'low' ? '-inf' : 'inf';
  return x.toFixed(digits);
}

/** One warning per profiled parameter: its interval, the method and why. */
export function profileNote(name: string, interval: ProfileInterval, reason: string): string {
  const unbounded = interval.low === null || interval.high === null;
  return (
    `95% interval of ${name} from the profile likelihood, [${formatBound(interval.low, 'low')}, ${formatBound(interval.high, 'high')}] (${reason})` +
    (unbounded ? `: unbounded ${interval.low === null && interval.high === null ? 'on both sides' : interval.low === null ? 'below' : 'above'}, the log-likelihood falling by less than ${HALF_CHI2_95.toFixed(2)} within ${PROFILE_CAP} log-odds units of the estimate (too few informative observations, e.g. a transition rarely seen after an intervention)` : '')
  );
}
