/**
 * Worker jobs of model selection (run by runParallel, one per fitted model or bootstrap
 * replicate, on the shared panel). Each takes everything random from its payload, so the results
 * do not depend on the thread count.
 */
import type { Panel } from '../../data/panel.js';
import { fit, pathEntropy } from '../../estimation/fit.js';
import type { FitOptions } from '../../estimation/fitTypes.js';
import { Rng } from '../../estimation/rng.js';
import { simulateVoices } from '../../estimation/simulateVoices.js';
import type { ModelSpec, NamedParameters } from '../../estimation/spec.js';
import { runFitOnPanel, type FitRun, type RunFitOptions } from '../runFit.js';

/** Fit options that can cross to a worker (no callbacks, no saved start). */
export type PlainFitOptions = Omit<RunFitOptions, 'onProgress' | 'onSeProgress' | 'start' | 'read'>;

export interface FitJobResult {
  run: FitRun;
  /** Entropy of the fit's posterior state paths (the ICL's classification entropy). */
  entropy: number;
  seconds: number;
}

/** runParallel's references to the jobs of this module. */
export const FIT_JOB = { module: import.meta.url, name: 'fitJob' };
export const BOOTSTRAP_LR_JOB = { module: import.meta.url, name: 'bootstrapLrJob' };

/** `squeaky fit` on the panel with these options (runFitOnPanel), plus the posterior's classification entropy. */
export function fitJob(options: PlainFitOptions, panel: Panel): FitJobResult {
  const t0 = performance.now();
  const run = runFitOnPanel(panel, options);
  const entropy = pathEntropy(panel, run.fit.spec, run.fit.parameters);
  return { run, entropy, seconds: (performance.now() - t0) / 1000 };
}

export interface BootstrapLrPayload {
  /** The fitted null model (K states) the replicate panel is drawn from. */
  spec: ModelSpec;
  parameters: NamedParameters;
  /** The alternative's spec (K + 1 states). */
  alternative: ModelSpec;
  fitOptions: Pick<FitOptions, 'starts' | 'finish' | 'seed' | 'maxIter' | 'tol' | 'ridge'>;
  /** The replicate panel's voices come from Rng.stream(seed, stream). */
  seed: number;
  stream: number;
}

export interface BootstrapLrReplicate {
  logLikNull: number;
  logLikAlternative: number;
  /** 2 (LL_alternative - LL_null), at least 0. */
  statistic: number;
  converged: boolean;
}

/** One parametric-bootstrap replicate of the LR test of K against K + 1 states. */
export function bootstrapLrJob(p: BootstrapLrPayload, panel: Panel): BootstrapLrReplicate {
  const sim = simulateVoices(panel, p.spec, p.parameters, Rng.stream(p.seed, p.stream));
  const h0 = fit(sim, p.spec, p.fitOptions);
  const h1 = fit(sim, p.alternative, p.fitOptions);
  return {
    logLikNull: h0.logLik,
    logLikAlternative: h1.logLik,
    statistic: Math.max(0, 2 * (h1.logLik - h0.logLik)),
    converged: h0.converged && h1.converged,
  };
}
