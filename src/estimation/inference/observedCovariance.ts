/**
 * The covariance of a fit's parameter vector by the observed information (the inverse of minus the
 * Hessian of the log-likelihood at the maximum) or by the cluster-robust sandwich with customers
 * as the independent units:
 *   robust = I^-1 (sum_i s_i s_i') I^-1,  s_i = the score of customer i,
 * which stays consistent when the model is misspecified across customers (e.g. unmodelled
 * heterogeneity); when the model is right both estimate the same matrix. Both are of the plain
 * log-likelihood (see information.ts); parameters the data do not determine are left without a
 * standard error (invertInformation.ts).
 */
import type { Panel } from '../../data/panel.js';
import { engineAt } from '../fit.js';
import type { ModelSpec, NamedParameters } from '../spec.js';
import type { Covariance } from './covariance.js';
import { customerScores, observedInformation, scoreOuterProduct } from './information.js';
import { invertInformation, sandwich } from './invertInformation.js';
import type { EStepEngine as EStep } from '../eStep.js';
import type { SubModel } from '../../model/subModel.js';
import { getFlat, nParamsOf, setFlat } from '../quasiNewton.js';

type EStepParts = readonly SubModel[];

/**
 * How far (log-odds units) a parameter is moved alone to see whether its likelihood interval is
 * bounded, and the fall of the log-likelihood that bounds a 95% interval (chi-square(1) 0.95 / 2).
 */
export const FAR = 30;
export const HALF_CHI2_95 = 1.920729410347062;

const unboundedNote = (names: string) =>
  `the 95% intervals of ${names} understate the uncertainty: moving ${names.includes(',') ? 'each' : 'it'} alone by ${FAR} on the log-odds scale lowers the log-likelihood by less than ${HALF_CHI2_95.toFixed(2)}, so ${names.includes(',') ? 'their' : 'its'} likelihood interval is unbounded on one side (too few informative observations, e.g. a transition rarely seen after an intervention)`;

/**
 * Parameters whose 95% likelihood interval is unbounded: the log-likelihood with every other
 * parameter at its estimate stays within HALF_CHI2_95 of the maximum FAR units away on one side.
 * (Holding the others fixed understates the profile likelihood, so the profile interval is
 * unbounded too.) The curvature at the maximum says nothing useful about such a parameter. The
 * parts are left at their parameters.
 */
function unboundedParameters(parts: EStepParts, eStep: EStep): number[] {
  const n = nParamsOf(parts);
  const theta = new Float64Array(n);
  getFlat(parts, theta);
  const ll0 = eStep.logLik(parts);
  const x = Float64Array.from(theta);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const dir of [-1, 1]) {
      x[i] = theta[i] + dir * FAR;
      setFlat(parts, x);
      const ll = eStep.logLik(parts);
      if (ll > ll0 - HALF_CHI2_95) {
        out.push(i);
        break;
      }
    }
    x[i] = theta[i];
  }
  setFlat(parts, theta);
  return out;
}

/** The covariance methods computed from the likelihood at the fit (the bootstrap refits). */
export type LikelihoodCovarianceMethod = 'observed' | 'robust';

export interface CovarianceOptions {
  /** Progress of the 2n evaluations: phase, done, total. */
  onProgress?: (phase: 'information' | 'scores', done: number, total: number) => void;
}

/**
 * Covariances of the parameters at `params` (normally a fit's estimates) by each of `methods`,
 * sharing one observed information.
 */
export function likelihoodCovariances(
  panel: Panel,
  spec: ModelSpec,
  params: NamedParameters,
  methods: readonly LikelihoodCovarianceMethod[],
  options: CovarianceOptions = {},
): Covariance[] {
  const { parts, names, eStep } = engineAt(panel, spec, params);
  const model = { parts };
  const n = names.length;
  const progress = (phase: 'information' | 'scores') => options.onProgress && ((d: number, t: number) => options.onProgress!(phase, d, t));
  const info = observedInformation(model.parts, eStep, { onProgress: progress('information') });
  const inv = invertInformation(info, names);
  // A warning, not a removal: removing them would hold them fixed in the others' standard errors
  // (understating, e.g., their own transition's intercept: coverage 0.925 instead of 0.955 in
  // benchmarks/coverage.mjs), and leave only the replicates whose interval happens to be bounded.
  const unbounded = unboundedParameters(model.parts, eStep).filter((i) => !inv.unavailable.includes(i));
  if (unbounded.length) inv.notes.push(unboundedNote(unbounded.map((i) => names[i]).join(', ')));
  const unavailable = inv.unavailable.map((i) => names[i]);
  let scores: Float64Array | undefined;
  return methods.map((method) => {
    let matrix = inv.matrix;
    if (method === 'robust') {
      scores ??= customerScores(model.parts, eStep, { onProgress: progress('scores') });
      matrix = sandwich(inv, scoreOuterProduct(scores, eStep.nSeq, n), n);
    }
    matrix = Float64Array.from(matrix, (x) => (Number.isFinite(x) ? x : 0));
    return { method, names: [...names], matrix, unavailable: [...unavailable], notes: [...inv.notes] };
  });
}

/** Covariance of the parameters at `params` (normally a fit's estimates) by `method`. */
export function likelihoodCovariance(
  panel: Panel,
  spec: ModelSpec,
  params: NamedParameters,
  method: LikelihoodCovarianceMethod,
  options: CovarianceOptions = {},
): Covariance {
  return likelihoodCovariances(panel, spec, params, [method], options)[0];
}

/** Inverse observed information at `params`. */
export function observedCovariance(panel: Panel, spec: ModelSpec, params: NamedParameters, options: CovarianceOptions = {}): Covariance {
  return likelihoodCovariance(panel, spec, params, 'observed', options);
}

/** Cluster-robust (by customer) sandwich covariance at `params`. */
export function robustCovariance(panel: Panel, spec: ModelSpec, params: NamedParameters, options: CovarianceOptions = {}): Covariance {
  return likelihoodCovariance(panel, spec, params, 'robust', options);
}
