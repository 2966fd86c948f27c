/**
 * One side of one profile-likelihood interval as a worker-thread job (runParallel): each worker
 * builds the model and a single-thread E-step at the estimates from the shared panel once, then
 * searches the sides it is given (profileSide). Nothing is random and every side starts from the
 * estimates, so a side's bound is the same on any thread and in any order.
 */
import type { Panel } from '../../data/panel.js';
import { engineAt } from '../fit.js';
import type { EStepEngine as EStep } from '../eStep.js';
import type { SubModel } from '../../model/subModel.js';
import type { ModelSpec, NamedParameters } from '../spec.js';
import { getFlat, nParamsOf } from '../quasiNewton.js';
import { conditionalStart, profileSide } from './profileLikelihood.js';

/** Sent once to every worker. */
export interface ProfileShared {
  panel: Panel;
  spec: ModelSpec;
  /** The estimates (the maximum the intervals are around). */
  params: NamedParameters;
  /** Covariance at the estimates, row-major n x n (the warm starts), or null. */
  cov: Float64Array | null;
  /** Wald half-widths 1.96 SE_j (NaN without one): the first distance tried. */
  halfWidth: Float64Array;
  /** Ridge of the fit (default 1e-8). */
  ridge?: number;
}

export interface ProfileSidePayload {
  /** Flat index of the parameter. */
  index: number;
  /** -1 the lower bound, +1 the upper. */
  dir: -1 | 1;
}

interface Engine {
  parts: readonly SubModel[];
  eStep: EStep;
  theta: Float64Array;
  llMax: number;
}

const engines = new WeakMap<ProfileShared, Engine>();

function engineOf(shared: ProfileShared): Engine {
  let e = engines.get(shared);
  if (!e) {
    const { parts, eStep } = engineAt(shared.panel, shared.spec, shared.params);
    const theta = new Float64Array(nParamsOf(parts));
    getFlat(parts, theta);
    e = { parts, eStep, theta, llMax: eStep.run(parts) };
    engines.set(shared, e);
  }
  return e;
}

/** The bound of one side (null: unbounded within the cap). */
export function profileSideJob(payload: ProfileSidePayload, shared: ProfileShared): number | null {
  const { parts, eStep, theta, llMax } = engineOf(shared);
  const n = theta.length;
  const warm = shared.cov ? conditionalStart(shared.cov, n, payload.index) : null;
  return profileSide(parts, eStep, theta, llMax, payload.index, payload.dir, shared.halfWidth[payload.index], warm, { ridge: shared.ridge });
}
