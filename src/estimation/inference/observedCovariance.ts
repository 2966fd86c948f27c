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
import type { Covariance, ProfileSummary } from './covariance.js';
import { customerScores, observedInformation, scoreOuterProduct } from './information.js';
import { invertInformation, sandwich, type InvertedInformation } from './invertInformation.js';
import { PROFILE_CAP, profileIntervals } from './profileLikelihood.js';
import { profileCandidates, profileNote, unboundedAlone, waldEndpointFalls } from './profileSelection.js';
import type { EStepEngine as EStep } from '../eStep.js';
import type { SubModel } from '../../model/subModel.js';

type EStepParts = readonly SubModel[];

/** Kept for callers of the earlier names: the cap of the profile search and the 95% fall. */
export { PROFILE_CAP as FAR, HALF_CHI2_95 } from './profileLikelihood.js';

/** A rise of the log-likelihood above this along a screening line shows the point is not a maximum. */
const NOT_A_MAXIMUM = 1e-3;

/**
 * Profile-likelihood intervals of the parameters whose Wald interval cannot be trusted
 * (profileSelection.ts), with one note each. The parts are left at their parameters.
 */
function profileSummary(
  parts: EStepParts,
  eStep: EStep,
  inv: InvertedInformation,
  names: readonly string[],
  ridge?: number,
  onProgress?: (done: number, total: number) => void,
): { profile: ProfileSummary; notes: string[] } {
  const n = names.length;
  const llMax = eStep.logLik(parts);
  const falls = waldEndpointFalls(parts, eStep, inv.matrix, llMax);
  const alone = unboundedAlone(parts, eStep, llMax);
  // Along a line through a maximum the log-likelihood cannot rise (beyond rounding): where it does,
  // the point is not a maximum and likelihood intervals around it mean nothing.
  if (falls.some((f) => f < -NOT_A_MAXIMUM)) {
    return { profile: { cap: PROFILE_CAP, intervals: {} }, notes: ['no profile-likelihood intervals: the log-likelihood rises away from the estimates, which are not at a maximum; every 95% interval is estimate +- 1.96 SE'] };
  }
  const candidates = profileCandidates(inv.unavailable, falls, alone, n);
  const halfWidth = Float64Array.from({ length: n }, (_, j) => (inv.matrix[j * n + j] > 0 ? 1.959963984540054 * Math.sqrt(inv.matrix[j * n + j]) : NaN));
  const known = new Map(candidates.map((c) => [c.index, { low: c.unboundedLow, high: c.unboundedHigh }]));
  const intervals = candidates.map((c, k) => {
    const [iv] = profileIntervals(parts, eStep, [c.index], halfWidth, inv.matrix, { knownUnbounded: known, ridge });
    onProgress?.(k + 1, candidates.length);
    return iv;
  });
  const profile: ProfileSummary = { cap: PROFILE_CAP, intervals: {} };
  const notes = candidates.map((c, k) => {
    profile.intervals[names[c.index]] = [intervals[k].low, intervals[k].high];
    return profileNote(names[c.index], intervals[k], c.reason);
  });
  return { profile, notes };
}

/** The covariance methods computed from the likelihood at the fit (the bootstrap refits). */
export type LikelihoodCovarianceMethod = 'observed' | 'robust';

export interface CovarianceOptions {
  /** Progress of the 2n evaluations (and of the likelihood intervals, 'bounds': one step per profiled parameter): phase, done, total. */
  onProgress?: (phase: 'information' | 'scores' | 'bounds', done: number, total: number) => void;
  /** Threads of the E-steps (default 1; the same numbers for every value). */
  threads?: number;
  /**
   * Profile-likelihood intervals for the parameters whose Wald interval is not trusted (default
   * true; the bootstrap, whose intervals are percentiles, turns them off).
   */
  profile?: boolean;
  /** Ridge of the fit, climbed by the profile's constrained maxima (default 1e-8). */
  ridge?: number;
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
  const { parts, names, eStep } = engineAt(panel, spec, params, { threads: options.threads });
  try {
    return covariancesAt(parts, names, eStep, methods, options);
  } finally {
    eStep.close?.();
  }
}

function covariancesAt(parts: EStepParts, names: string[], eStep: EStep, methods: readonly LikelihoodCovarianceMethod[], options: CovarianceOptions): Covariance[] {
  const model = { parts };
  const n = names.length;
  const progress = (phase: 'information' | 'scores' | 'bounds') => options.onProgress && ((d: number, t: number) => options.onProgress!(phase, d, t));
  const info = observedInformation(model.parts, eStep, { onProgress: progress('information') });
  const inv = invertInformation(info, names);
  // Parameters whose Wald interval cannot be trusted get a profile-likelihood interval (with a
  // note each) rather than losing their standard error: removing it would hold them fixed in the
  // others' standard errors (understating, e.g., their own transition's intercept: coverage 0.925
  // instead of 0.955 in benchmarks/coverage.mjs).
  const prof = options.profile === false ? undefined : profileSummary(model.parts, eStep, inv, names, options.ridge, progress('bounds'));
  if (prof) inv.notes.push(...prof.notes);
  const unavailable = inv.unavailable.map((i) => names[i]);
  let scores: Float64Array | undefined;
  return methods.map((method) => {
    let matrix = inv.matrix;
    if (method === 'robust') {
      scores ??= customerScores(model.parts, eStep, { onProgress: progress('scores') });
      matrix = sandwich(inv, scoreOuterProduct(scores, eStep.nSeq, n), n);
    }
    matrix = Float64Array.from(matrix, (x) => (Number.isFinite(x) ? x : 0));
    const cov: Covariance = { method, names: [...names], matrix, unavailable: [...unavailable], notes: [...inv.notes] };
    if (prof && Object.keys(prof.profile.intervals).length) cov.profile = { cap: prof.profile.cap, intervals: { ...prof.profile.intervals } };
    return cov;
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
