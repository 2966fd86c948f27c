/**
 * The observed information of the plain (unpenalised) log-likelihood and the per-customer scores,
 * at given parameters, for the flat named parameter vector.
 *
 * Observed information: central differences of the exact score. The score at any theta is exact
 * and cheap by Fisher's identity (the E-step's expected counts fed to every sub-model's gradient,
 * the same code the quasi-Newton phase climbs with), so column j of the Hessian is
 *   (score(theta + h_j e_j) - score(theta - h_j e_j)) / (2 h_j),  h_j = STEP * max(1, |theta_j|),
 * 2n E-steps for n parameters. Chosen over Louis' identity because Louis needs the conditional
 * covariance of the complete-data score, i.e. two-slice posteriors paired across all periods of a
 * customer (a second, quadratic-in-T backward recursion that no kernel here has), while the
 * differenced score reuses the one forward-backward path unchanged. The truncation error is
 * ~h^2 |third derivative| (about 1e-8 relative with STEP 1e-4), and rounding ~eps |score| / h,
 * both far below what standard errors need. The result is symmetrised.
 *
 * Per-customer scores (for the cluster-robust sandwich): central differences of each customer's
 * forward log-likelihood, taken from the same forward pass (forwardLogLik's per-sequence output),
 * 2n forward passes in all. Exact per-customer scores by Fisher's identity would need every
 * customer's own count tables (cost customers x design patterns); the differences cost the same
 * as the Hessian and are accurate to ~1e-8 relative.
 *
 * Both are of the PLAIN log-likelihood (ridge 0): the standard errors describe the likelihood,
 * evaluated at the fit's (penalised) maximum; with the default ridge of 1e-8 the two maxima
 * coincide to ~1e-8 in every coefficient.
 */
import type { EStepEngine as EStep } from '../eStep.js';
import type { SubModel } from '../../model/subModel.js';
import { getFlat, nParamsOf, penalisedGradient, setFlat } from '../quasiNewton.js';

type Parts = readonly SubModel[];

/** Relative step of the central differences (see the file header). */
export const INFORMATION_STEP = 1e-4;

export interface InformationOptions {
  /** Called after each parameter's pair of evaluations (done of total). */
  onProgress?: (done: number, total: number) => void;
}

function stepOf(x: number): number {
  return INFORMATION_STEP * Math.max(1, Math.abs(x));
}

/**
 * Minus the Hessian of the plain log-likelihood at the parts' current parameters, row-major
 * [a*n + b] (length n*n), symmetrised. The parts are left at their parameters; eStep.stats then
 * holds the E-step there.
 */
export function observedInformation(parts: Parts, eStep: EStep, options: InformationOptions = {}): Float64Array {
  const n = nParamsOf(parts);
  const theta = new Float64Array(n);
  getFlat(parts, theta);
  const x = Float64Array.from(theta);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  const h = new Float64Array(n * n); // Hessian, column j in [a*n + j]
  for (let j = 0; j < n; j++) {
    const step = stepOf(theta[j]);
    x[j] = theta[j] + step;
    setFlat(parts, x);
    eStep.run(parts);
    penalisedGradient(parts, eStep, 0, up);
    x[j] = theta[j] - step;
    setFlat(parts, x);
    eStep.run(parts);
    penalisedGradient(parts, eStep, 0, down);
    x[j] = theta[j];
    for (let a = 0; a < n; a++) h[a * n + j] = (up[a] - down[a]) / (2 * step);
    options.onProgress?.(j + 1, n);
  }
  setFlat(parts, theta);
  eStep.run(parts);
  const info = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) info[a * n + b] = -0.5 * (h[a * n + b] + h[b * n + a]);
  return info;
}

/**
 * Per-customer scores of the plain log-likelihood at the parts' current parameters: row-major
 * [i*n + j] = d log L_i / d theta_j for customer (sequence) i, length nSeq*n. The parts are left
 * at their parameters.
 */
export function customerScores(parts: Parts, eStep: EStep, options: InformationOptions = {}): Float64Array {
  const n = nParamsOf(parts);
  const nSeq = eStep.nSeq;
  const theta = new Float64Array(n);
  getFlat(parts, theta);
  const x = Float64Array.from(theta);
  const up = new Float64Array(nSeq);
  const down = new Float64Array(nSeq);
  const scores = new Float64Array(nSeq * n);
  for (let j = 0; j < n; j++) {
    const step = stepOf(theta[j]);
    x[j] = theta[j] + step;
    setFlat(parts, x);
    eStep.logLik(parts, up);
    x[j] = theta[j] - step;
    setFlat(parts, x);
    eStep.logLik(parts, down);
    x[j] = theta[j];
    for (let i = 0; i < nSeq; i++) scores[i * n + j] = (up[i] - down[i]) / (2 * step);
    options.onProgress?.(j + 1, n);
  }
  setFlat(parts, theta);
  return scores;
}

/** Sum over customers of s_i s_i' (the sandwich's meat), row-major [a*n + b]. */
export function scoreOuterProduct(scores: Float64Array, nSeq: number, n: number): Float64Array {
  if (scores.length !== nSeq * n) throw new RangeError(`scores: length ${scores.length}, expected ${nSeq * n}`);
  const out = new Float64Array(n * n);
  for (let i = 0; i < nSeq; i++) {
    const o = i * n;
    for (let a = 0; a < n; a++) {
      const sa = scores[o + a];
      if (sa === 0) continue;
      for (let b = 0; b < n; b++) out[a * n + b] += sa * scores[o + b];
    }
  }
  return out;
}
