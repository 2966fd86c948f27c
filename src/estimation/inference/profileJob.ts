/**
 * The worker-thread jobs of the profile-likelihood intervals (a WorkerPool, workerPool.ts): the
 * screening of one parameter (profileSelection.ts: its two Wald-endpoint falls and its two moves
 * alone by the cap) and the search of one side (profileSide). Each worker builds the model and a
 * single-thread E-step at the estimates from the shared panel once (the 'warm' job, run as the
 * worker starts, while the fit's thread computes the information), then runs the jobs it is given.
 * Nothing is random and every job starts from the estimates, so a result is the same on any thread
 * and in any order, and the same as the fit's thread computes.
 */
import type { Panel } from '../../data/panel.js';
import { engineAt } from '../fit.js';
import type { EStepEngine as EStep } from '../eStep.js';
import type { SubModel } from '../../model/subModel.js';
import type { ModelSpec, NamedParameters } from '../spec.js';
import { getFlat, nParamsOf, setFlat } from '../quasiNewton.js';
import { profileSide, PROFILE_CAP, type ProfileStart } from './profileLikelihood.js';
import { unboundedAloneOf, waldFallsOf } from './profileSelection.js';

/** Sent once to every worker. */
export interface ProfileShared {
  panel: Panel;
  spec: ModelSpec;
  /** The estimates (the maximum the intervals are around). */
  params: NamedParameters;
  /** Ridge of the fit (default 1e-8). */
  ridge?: number;
}

/** Build the engine (nothing else). */
export interface WarmPayload {
  kind: 'warm';
}

/** Screen parameter `index`: column `index` of the covariance (length n) and the log-likelihood at the estimates. */
export interface ScreenPayload {
  kind: 'screen';
  index: number;
  column: Float64Array;
  llMax: number;
}

/** Falls at the two Wald endpoints (NaN without a variance) and the two alone flags (1 = unbounded), [low, high] each. */
export interface ScreenResult {
  falls: [number, number];
  alone: [number, number];
}

export interface ProfileSidePayload {
  kind: 'side';
  /** Flat index of the parameter. */
  index: number;
  /** -1 the lower bound, +1 the upper. */
  dir: -1 | 1;
  /** Wald half-width 1.96 SE (NaN without one): the first distance tried. */
  halfWidth: number;
  /** Warm starts from the covariance (conditionalStart), or null. */
  warm: ProfileStart | null;
}

export type ProfilePayload = WarmPayload | ScreenPayload | ProfileSidePayload;

/** A model and its E-step at the estimates, where the jobs run. */
export interface ProfileEngine {
  parts: readonly SubModel[];
  eStep: EStep;
  theta: Float64Array;
  x: Float64Array;
  llMax: number;
}

const engines = new WeakMap<ProfileShared, ProfileEngine>();

function engineOf(shared: ProfileShared): ProfileEngine {
  let e = engines.get(shared);
  if (!e) {
    const { parts, eStep } = engineAt(shared.panel, shared.spec, shared.params);
    e = profileEngine(parts, eStep);
    engines.set(shared, e);
  }
  return e;
}

/** The engine of the jobs on a model and E-step whose parts are at the estimates (left there). */
export function profileEngine(parts: readonly SubModel[], eStep: EStep): ProfileEngine {
  const theta = new Float64Array(nParamsOf(parts));
  getFlat(parts, theta);
  setFlat(parts, theta);
  return { parts, eStep, theta, x: new Float64Array(theta.length), llMax: eStep.run(parts) };
}

/** Screening of one parameter (see ScreenPayload). The parts are left at the estimates. */
function screen(e: ProfileEngine, p: ScreenPayload): ScreenResult {
  const { parts, eStep, theta, x } = e;
  const j = p.index;
  const falls = new Float64Array(2 * theta.length).fill(NaN);
  const alone = new Uint8Array(2 * theta.length);
  waldFallsOf(parts, eStep, theta, j, p.column, p.llMax, x, falls);
  x.set(theta);
  unboundedAloneOf(parts, eStep, theta, j, p.llMax, PROFILE_CAP, x, alone);
  setFlat(parts, theta);
  return { falls: [falls[2 * j], falls[2 * j + 1]], alone: [alone[2 * j], alone[2 * j + 1]] };
}

/** One profile job: the bound of a side (null: unbounded within the cap), a parameter's screening, or nothing (warm). */
export function profileJob(payload: ProfilePayload, shared: ProfileShared): number | null | ScreenResult {
  return runProfileJob(engineOf(shared), payload, shared.ridge);
}

/** profileJob on a given engine (e.g. the fit's thread's own). */
export function runProfileJob(e: ProfileEngine, payload: ProfilePayload, ridge?: number): number | null | ScreenResult {
  if (payload.kind === 'warm') return null;
  if (payload.kind === 'screen') return screen(e, payload);
  return profileSide(e.parts, e.eStep, e.theta, e.llMax, payload.index, payload.dir, payload.halfWidth, payload.warm, { ridge });
}
