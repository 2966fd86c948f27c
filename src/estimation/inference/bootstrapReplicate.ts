/**
 * One bootstrap replicate, as a worker-thread job (runParallel): draw the replicate's panel from
 * stream `Rng.stream(seed, index)`, refit from the full-sample estimates, return the estimates.
 * Everything random comes from the payload, so a replicate is the same on any thread.
 */
import type { Panel } from '../../data/panel.js';
import { fit } from '../fit.js';
import { Rng } from '../rng.js';
import { voiceSimulator, type VoiceSimulator } from '../simulateVoices.js';
import type { ModelSpec, NamedParameters } from '../spec.js';
import { SqueakyError } from '../../errors.js';
import { resampleCustomers } from './resampleCustomers.js';
import { simulateSelectionPanel } from '../simulateSelection.js';

export type BootstrapType = 'nonparametric' | 'parametric';

/** Sent once to every worker. */
export interface BootstrapShared {
  panel: Panel;
  spec: ModelSpec;
  /** Full-sample estimates: the data-generating parameters (parametric) and every replicate's start. */
  start: NamedParameters;
  type: BootstrapType;
  /** Options of the replicate fits. */
  maxIter: number;
  tol: number;
  ridge?: number;
}

export interface ReplicatePayload {
  index: number;
  seed: number;
}

export interface ReplicateResult {
  index: number;
  /** The refit's estimates in the fit's order and labelling (undefined when the fit failed). */
  values?: Float64Array;
  logLik: number;
  converged: boolean;
  iterations: number;
  /** Why the fit failed (an error, or estimates that are not finite). */
  error?: string;
}

const simulators = new WeakMap<BootstrapShared, VoiceSimulator>();

/**
 * The replicate's panel: customers resampled with replacement, or new voice simulated from the fit
 * (with a selection model, new voices and interventions: simulateSelection.ts).
 */
export function replicatePanel(shared: BootstrapShared, rng: Rng): Panel {
  if (shared.type === 'nonparametric') return resampleCustomers(shared.panel, rng);
  if (shared.spec.formulas.selection !== undefined) return simulateSelectionPanel(shared.panel, shared.spec, shared.start, rng);
  let sim = simulators.get(shared);
  if (!sim) {
    sim = voiceSimulator(shared.panel, shared.spec, shared.start);
    simulators.set(shared, sim);
  }
  return { ...shared.panel, voice: sim.draw(rng) };
}

export function bootstrapReplicate(payload: ReplicatePayload, shared: BootstrapShared): ReplicateResult {
  const { index, seed } = payload;
  const panel = replicatePanel(shared, Rng.stream(seed, index));
  try {
    const r = fit(panel, shared.spec, {
      startParams: shared.start,
      starts: 0,
      maxIter: shared.maxIter,
      tol: shared.tol,
      ridge: shared.ridge,
    });
    const values = r.parameters.values;
    if (!Number.isFinite(r.logLik) || !values.every(Number.isFinite)) {
      return { index, logLik: r.logLik, converged: r.converged, iterations: r.iterations, error: 'the refit ended with estimates or a log-likelihood that are not finite' };
    }
    return { index, values, logLik: r.logLik, converged: r.converged, iterations: r.iterations };
  } catch (e) {
    // A replicate the model cannot fit (a ModelError, or a numerical range failure) is counted as
    // failed and reported; any other error is a bug and stops the bootstrap.
    if (!(e instanceof SqueakyError || e instanceof RangeError)) throw e;
    return { index, logLik: NaN, converged: false, iterations: 0, error: e.message };
  }
}
