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
import { modelAt } from '../fit.js';
import type { ModelSpec, NamedParameters } from '../spec.js';
import type { Covariance } from './covariance.js';
import { customerScores, observedInformation, scoreOuterProduct } from './information.js';
import { invertInformation, sandwich } from './invertInformation.js';

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
  const { model, eStep } = modelAt(panel, spec, params);
  const names = model.getParameters().names;
  const n = names.length;
  const progress = (phase: 'information' | 'scores') => options.onProgress && ((d: number, t: number) => options.onProgress!(phase, d, t));
  const info = observedInformation(model.parts, eStep, { onProgress: progress('information') });
  const inv = invertInformation(info, names);
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
