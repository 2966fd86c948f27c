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
import { profileCandidate, profileCandidates, profileNote, unboundedAlone, waldEndpointFalls, type ProfileCandidate } from './profileSelection.js';
import { profileEngine, runProfileJob, type ProfilePayload, type ProfileShared, type ScreenResult } from './profileJob.js';
import { getFlat } from '../quasiNewton.js';
import { startWorkerPool, type WorkerPool } from '../../parallel/workerPool.js';
import { sharePanel } from '../../parallel/sharePanel.js';
import type { EStepEngine as EStep } from '../eStep.js';
import type { SubModel } from '../../model/subModel.js';

type EStepParts = readonly SubModel[];

/** Kept for callers of the earlier names: the cap of the profile search and the 95% fall. */
export { PROFILE_CAP as FAR, HALF_CHI2_95 } from './profileLikelihood.js';

/** A rise of the log-likelihood above this along a screening line shows the point is not a maximum. */
const NOT_A_MAXIMUM = 1e-3;

/** One side searched: its parameter's flat index and direction (-1 the lower bound, +1 the upper). */
interface PlannedSide {
  index: number;
  dir: -1 | 1;
}

/** The profile searches a fit needs: its candidates and one side each not already known to be unbounded. */
interface ProfilePlan {
  candidates: ProfileCandidate[];
  halfWidth: Float64Array;
  sides: PlannedSide[];
  /** Set when no interval is searched (the estimates are not at a maximum). */
  notes?: string[];
}

/** Wald half-widths 1.96 SE_j (NaN without a variance). */
function waldHalfWidths(inv: InvertedInformation, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, j) => (inv.matrix[j * n + j] > 0 ? 1.959963984540054 * Math.sqrt(inv.matrix[j * n + j]) : NaN));
}

/** Which parameters get a profile interval, and the sides to search (profileSelection.ts). The parts are left at their parameters. */
function planProfiles(parts: EStepParts, eStep: EStep, inv: InvertedInformation, n: number): ProfilePlan {
  const llMax = eStep.logLik(parts);
  const falls = waldEndpointFalls(parts, eStep, inv.matrix, llMax);
  const alone = unboundedAlone(parts, eStep, llMax);
  return planFrom(inv, falls, alone, n);
}

/** The plan from the screening's falls and alone flags (every parameter's). */
function planFrom(inv: InvertedInformation, falls: Float64Array, alone: Uint8Array, n: number): ProfilePlan {
  const halfWidth = waldHalfWidths(inv, n);
  // Along a line through a maximum the log-likelihood cannot rise (beyond rounding): where it does,
  // the point is not a maximum and likelihood intervals around it mean nothing.
  if (notAMaximum(falls)) {
    return { candidates: [], halfWidth, sides: [], notes: ['no profile-likelihood intervals: the log-likelihood rises away from the estimates, which are not at a maximum; every 95% interval is estimate +- 1.96 SE'] };
  }
  const candidates = profileCandidates(inv.unavailable, falls, alone, n);
  return { candidates, halfWidth, sides: candidates.flatMap(sidesOf) };
}

function notAMaximum(falls: ArrayLike<number>): boolean {
  return Array.prototype.some.call(falls, (f: number) => f < -NOT_A_MAXIMUM);
}

/** The sides of a candidate to search (those not already known to be unbounded), lower first. */
function sidesOf(c: ProfileCandidate): PlannedSide[] {
  const out: PlannedSide[] = [];
  if (!c.unboundedLow) out.push({ index: c.index, dir: -1 });
  if (!c.unboundedHigh) out.push({ index: c.index, dir: 1 });
  return out;
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
    return covariancesAt(parts, names, eStep, methods, options, sidesHere(parts, eStep, options.ridge)) as Covariance[];
  } finally {
    eStep.close?.();
  }
}

/** The plan and the bounds of its sides (in its order). */
interface ProfileOutcome {
  plan: ProfilePlan;
  bounds: (number | null)[];
}

/** The screening and the side searches of one fit: in this thread (on the fit's engine) or on a worker pool. */
type ProfileRunner = (inv: InvertedInformation, onDone?: (done: number, total: number) => void) => ProfileOutcome | Promise<ProfileOutcome>;

/** Every side in this thread, one after another, on the fit's engine. */
function sidesHere(parts: EStepParts, eStep: EStep, ridge?: number): ProfileRunner {
  return (inv, onDone) => {
    const n = Math.round(Math.sqrt(inv.matrix.length));
    const plan = planProfiles(parts, eStep, inv, n);
    const theta = new Float64Array(n);
    getFlat(parts, theta);
    const llMax = eStep.run(parts);
    const bounds = plan.sides.map((s, k) => {
      const bound = profileSide(parts, eStep, theta, llMax, s.index, s.dir, plan.halfWidth[s.index], conditionalStart(inv.matrix, n, s.index), { ridge });
      onDone?.(k + 1, plan.sides.length);
      return bound;
    });
    return { plan, bounds };
  };
}

/** The parts of covariancesAt before the side searches (information, inverse, plan) and after. */
function covariancesAt(parts: EStepParts, names: string[], eStep: EStep, methods: readonly LikelihoodCovarianceMethod[], options: CovarianceOptions, profiles: ProfileRunner): Covariance[] | Promise<Covariance[]> {
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
  const outcome = profiles(inv, progress('bounds'));
  return outcome instanceof Promise ? outcome.then((o) => finish(profileSummary(o.plan, o.bounds, names))) : finish(profileSummary(outcome.plan, outcome.bounds, names));
}

/** The profile jobs (the .ts source under the test runner; the pool maps it to dist/ for workers). */
const PROFILE_JOB = { module: new URL(import.meta.url.endsWith('.ts') ? './profileJob.ts' : './profileJob.js', import.meta.url).href, name: 'profileJob' };

type ProfilePool = WorkerPool<ProfilePayload, number | null | ScreenResult>;

/**
 * The screening and the sides on a worker pool: one screening job per parameter, and each side of
 * a parameter queued (at the head, sides being the long jobs) as soon as its own screening makes it
 * a candidate, so the sides of the first candidates run while the others are screened. Every job
 * computes what the fit's thread would (planProfiles, sidesHere), so the plan and the bounds are
 * the same to the bit; sides searched for a fit found not to be at a maximum are dropped.
 */
function sidesOnPool(pool: ProfilePool, parts: EStepParts, eStep: EStep): ProfileRunner {
  return async (inv, onDone) => {
    const n = Math.round(Math.sqrt(inv.matrix.length));
    const llMax = eStep.logLik(parts);
    const halfWidth = waldHalfWidths(inv, n);
    const falls = new Float64Array(2 * n).fill(NaN);
    const alone = new Uint8Array(2 * n);
    const searched = new Map<string, Promise<{ bound: number | null } | { error: unknown }>>();
    let done = 0;
    const search = (s: PlannedSide): void => {
      const job = pool.submit({ kind: 'side', index: s.index, dir: s.dir, halfWidth: halfWidth[s.index], warm: conditionalStart(inv.matrix, n, s.index) }, { front: true });
      searched.set(`${s.index}:${s.dir}`, job.then(
        (bound) => {
          onDone?.(++done, searched.size);
          return { bound: bound as number | null };
        },
        (error: unknown) => ({ error }),
      ));
    };
    const screens = Array.from({ length: n }, (_, j) => {
      const column = Float64Array.from({ length: n }, (_, i) => inv.matrix[i * n + j]);
      return pool.submit({ kind: 'screen', index: j, column, llMax }).then((r) => {
        const { falls: f, alone: a } = r as ScreenResult;
        [falls[2 * j], falls[2 * j + 1]] = f;
        [alone[2 * j], alone[2 * j + 1]] = a;
        const c = profileCandidate(j, inv.unavailable.includes(j), falls, alone);
        if (c && !notAMaximum(f)) sidesOf(c).forEach(search);
      });
    });
    const screened = Promise.all(screens); // handles a failed screening at once (it is awaited after this thread's share)
    await pool.workHere();
    await screened;
    await pool.workHere();
    const plan = planFrom(inv, falls, alone, n);
    const bounds: (number | null)[] = [];
    for (const s of plan.sides) {
      const r = await searched.get(`${s.index}:${s.dir}`)!;
      if ('error' in r) throw r.error;
      bounds.push(r.bound);
    }
    return { plan, bounds };
  };
}

/**
 * likelihoodCovariances with the profile-likelihood screening and sides on `options.threads`
 * worker threads (default 1 = in this thread): the same covariances, the same bounds to the bit.
 * The workers start, and build their models, while this thread computes the information.
 */
export async function likelihoodCovariancesAsync(
  panel: Panel,
  spec: ModelSpec,
  params: NamedParameters,
  methods: readonly LikelihoodCovarianceMethod[],
  options: CovarianceOptions = {},
): Promise<Covariance[]> {
  const threads = options.threads ?? 1;
  // The workers (one fewer than the threads: this thread works on the same queue) start now.
  let here: ((p: ProfilePayload) => number | null | ScreenResult) | undefined;
  const pool: ProfilePool | undefined =
    options.profile === false
      ? undefined
      : startWorkerPool(PROFILE_JOB, {
          workers: threads - 1,
          shared: { panel: threads > 1 ? sharePanel(panel) : panel, spec, params, ridge: options.ridge } satisfies ProfileShared,
          warm: { kind: 'warm' },
          here: (p) => here!(p),
        });
  try {
    const { parts, names, eStep } = engineAt(panel, spec, params, { threads });
    try {
      return await covariancesAt(parts, names, eStep, methods, options, (inv, onDone) => {
        const engine = profileEngine(parts, eStep);
        here = (p) => runProfileJob(engine, p, options.ridge);
        return sidesOnPool(pool!, parts, eStep)(inv, onDone);
      });
    } finally {
      eStep.close?.();
    }
  } finally {
    await pool?.close();
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
