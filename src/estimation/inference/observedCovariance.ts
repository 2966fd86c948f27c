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
import { conditionalStart, PROFILE_CAP, profileSide, type ProfileInterval } from './profileLikelihood.js';
import { profileCandidates, profileNote, unboundedAlone, waldEndpointFalls, type ProfileCandidate } from './profileSelection.js';
import type { ProfileShared, ProfileSidePayload } from './profileSideJob.js';
import { getFlat } from '../quasiNewton.js';
import { runParallel } from '../../parallel/runParallel.js';
import { sharePanel } from '../../parallel/sharePanel.js';
import type { EStepEngine as EStep } from '../eStep.js';
import type { SubModel } from '../../model/subModel.js';

type EStepParts = readonly SubModel[];

/** Kept for callers of the earlier names: the cap of the profile search and the 95% fall. */
export { PROFILE_CAP as FAR, HALF_CHI2_95 } from './profileLikelihood.js';

/** A rise of the log-likelihood above this along a screening line shows the point is not a maximum. */
const NOT_A_MAXIMUM = 1e-3;

/** The profile searches a fit needs: its candidates and one side each not already known to be unbounded. */
interface ProfilePlan {
  candidates: ProfileCandidate[];
  halfWidth: Float64Array;
  sides: ProfileSidePayload[];
  /** Set when no interval is searched (the estimates are not at a maximum). */
  notes?: string[];
}

/** Which parameters get a profile interval, and the sides to search (profileSelection.ts). The parts are left at their parameters. */
function planProfiles(parts: EStepParts, eStep: EStep, inv: InvertedInformation, n: number): ProfilePlan {
  const llMax = eStep.logLik(parts);
  const falls = waldEndpointFalls(parts, eStep, inv.matrix, llMax);
  const alone = unboundedAlone(parts, eStep, llMax);
  const halfWidth = Float64Array.from({ length: n }, (_, j) => (inv.matrix[j * n + j] > 0 ? 1.959963984540054 * Math.sqrt(inv.matrix[j * n + j]) : NaN));
  // Along a line through a maximum the log-likelihood cannot rise (beyond rounding): where it does,
  // the point is not a maximum and likelihood intervals around it mean nothing.
  if (falls.some((f) => f < -NOT_A_MAXIMUM)) {
    return { candidates: [], halfWidth, sides: [], notes: ['no profile-likelihood intervals: the log-likelihood rises away from the estimates, which are not at a maximum; every 95% interval is estimate +- 1.96 SE'] };
  }
  const candidates = profileCandidates(inv.unavailable, falls, alone, n);
  const sides: ProfileSidePayload[] = [];
  for (const c of candidates) {
    if (!c.unboundedLow) sides.push({ index: c.index, dir: -1 });
    if (!c.unboundedHigh) sides.push({ index: c.index, dir: 1 });
  }
  return { candidates, halfWidth, sides };
}

/** The intervals and one note per profiled parameter from the bounds of the plan's sides (in its order). */
function profileSummary(plan: ProfilePlan, bounds: readonly (number | null)[], names: readonly string[]): { profile: ProfileSummary; notes: string[] } {
  const profile: ProfileSummary = { cap: PROFILE_CAP, intervals: {} };
  if (plan.notes) return { profile, notes: plan.notes };
  const found = new Map(plan.sides.map((s, k) => [`${s.index}:${s.dir}`, bounds[k]]));
  const notes = plan.candidates.map((c) => {
    const iv: ProfileInterval = { low: found.get(`${c.index}:-1`) ?? null, high: found.get(`${c.index}:1`) ?? null };
    profile.intervals[names[c.index]] = [iv.low, iv.high];
    return profileNote(names[c.index], iv, c.reason);
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
    return covariancesAt(parts, names, eStep, methods, options, (inv) => sidesHere(parts, eStep, inv, options.ridge)) as Covariance[];
  } finally {
    eStep.close?.();
  }
}

/** The side searches of one fit: in this thread (on the fit's engine) or on worker threads. */
type SideRunner = (plan: ProfilePlan, onDone?: (done: number, total: number) => void) => (number | null)[] | Promise<(number | null)[]>;

/** Every side in this thread, one after another, on the fit's engine. */
function sidesHere(parts: EStepParts, eStep: EStep, inv: InvertedInformation, ridge?: number): SideRunner {
  return (plan, onDone) => {
    const n = plan.halfWidth.length;
    const theta = new Float64Array(n);
    getFlat(parts, theta);
    const llMax = eStep.run(parts);
    return plan.sides.map((s, k) => {
      const bound = profileSide(parts, eStep, theta, llMax, s.index, s.dir, plan.halfWidth[s.index], conditionalStart(inv.matrix, n, s.index), { ridge });
      onDone?.(k + 1, plan.sides.length);
      return bound;
    });
  };
}

/** The profile-side job (the .ts source under the test runner; runParallel maps it to dist/ for workers). */
const SIDE_JOB = { module: new URL(import.meta.url.endsWith('.ts') ? './profileSideJob.ts' : './profileSideJob.js', import.meta.url).href, name: 'profileSideJob' };

/** One job per side on `threads` worker threads (in this thread for 1), results in side order. */
function sidesOnThreads(panel: Panel, spec: ModelSpec, params: NamedParameters, inv: InvertedInformation, threads: number, ridge?: number): SideRunner {
  return (plan, onDone) => {
    const shared: ProfileShared = { panel: threads > 1 ? sharePanel(panel) : panel, spec, params, cov: inv.matrix, halfWidth: plan.halfWidth, ridge };
    return runParallel<ProfileSidePayload, number | null, ProfileShared>(SIDE_JOB, plan.sides, { threads, shared, onDone: onDone && ((_i, d, t) => onDone(d, t)) });
  };
}

/** The parts of covariancesAt before the side searches (information, inverse, plan) and after. */
function covariancesAt(parts: EStepParts, names: string[], eStep: EStep, methods: readonly LikelihoodCovarianceMethod[], options: CovarianceOptions, sides: (inv: InvertedInformation) => SideRunner): Covariance[] | Promise<Covariance[]> {
  const model = { parts };
  const n = names.length;
  const progress = (phase: 'information' | 'scores' | 'bounds') => options.onProgress && ((d: number, t: number) => options.onProgress!(phase, d, t));
  const info = observedInformation(model.parts, eStep, { onProgress: progress('information') });
  const inv = invertInformation(info, names);
  // Parameters whose Wald interval cannot be trusted get a profile-likelihood interval (with a
  // note each) rather than losing their standard error: removing it would hold them fixed in the
  // others' standard errors (understating, e.g., their own transition's intercept: coverage 0.925
  // instead of 0.955 in benchmarks/coverage.mjs).
  const finish = (prof: { profile: ProfileSummary; notes: string[] } | undefined): Covariance[] => {
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
  };
  if (options.profile === false) return finish(undefined);
  const plan = planProfiles(model.parts, eStep, inv, n);
  const bounds = sides(inv)(plan, progress('bounds'));
  return Array.isArray(bounds) ? finish(profileSummary(plan, bounds, names)) : bounds.then((b) => finish(profileSummary(plan, b, names)));
}

/**
 * likelihoodCovariances with the profile sides on `options.threads` worker threads (one job per
 * side; default 1 = in this thread): the same covariances, the same bounds to the bit.
 */
export async function likelihoodCovariancesAsync(
  panel: Panel,
  spec: ModelSpec,
  params: NamedParameters,
  methods: readonly LikelihoodCovarianceMethod[],
  options: CovarianceOptions = {},
): Promise<Covariance[]> {
  const { parts, names, eStep } = engineAt(panel, spec, params, { threads: options.threads });
  try {
    return await covariancesAt(parts, names, eStep, methods, options, (inv) => sidesOnThreads(panel, spec, params, inv, options.threads ?? 1, options.ridge));
  } finally {
    eStep.close?.();
  }
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
