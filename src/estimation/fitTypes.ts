import type { ModelSpec, NamedParameters } from './spec.js';

export interface FitOptions {
  /** Random starts in addition to the data-driven start (default 4). */
  starts?: number;
  /** Seed for every random choice (default 1). */
  seed?: number;
  /** EM iteration cap per start (default 500). 0 = only evaluate the log-likelihood of the start. */
  maxIter?: number;
  /**
   * Relative log-likelihood tolerance: stop when |dLL| / (|LL| + tol) < tol and the gain still to
   * come, projected by Aitken's rule, is as small (default 1e-8; see convergenceMonitor.ts).
   */
  tol?: number;
  /** Ridge penalty on logit coefficients against separation (default 1e-8). */
  ridge?: number;
  /**
   * EM iterations of the screening run of every start when there are several (emEM): only the
   * start with the best log-likelihood after screening is then run to convergence. 0 runs every
   * start to convergence. Default 20.
   */
  screenIter?: number;
  /** SQUAREM acceleration of EM (default true); the log-likelihood still never falls. */
  accelerate?: boolean;
  /** Begin EM from these parameters (names must match the spec) instead of random/data starts. */
  startParams?: NamedParameters;
  /** Called after every EM iteration. */
  onProgress?: (p: FitProgress) => void;
}

export interface FitProgress {
  start: number;
  nStarts: number;
  iteration: number;
  logLik: number;
  change: number;
}

export interface StartResult {
  index: number;
  kind: 'data' | 'random' | 'given';
  logLik: number;
  iterations: number;
  converged: boolean;
  /** True when the start was stopped after its screening iterations and not run to convergence. */
  screened?: boolean;
  /** Log-likelihood at the end of screening (equal to logLik for screened starts). */
  screenLogLik?: number;
}

export interface DataSummary {
  customers: number;
  rows: number;
  /** Rows with an observed (non-missing) voice: the n of BIC. */
  observations: number;
  periods: { min: number; max: number };
  voiceCounts: Record<string, number>;
  interventions: number;
  source?: string;
}

export interface FitResult {
  spec: ModelSpec;
  parameters: NamedParameters;
  logLik: number;
  nParams: number;
  aic: number;
  bic: number;
  iterations: number;
  converged: boolean;
  /** Human-readable convergence status, e.g. 'converged: relative change 3.1e-9 < 1e-8 after 57 iterations'. */
  status: string;
  /** Log-likelihood after every EM iteration of the best start (index 0 = at the start values). */
  history: number[];
  starts: StartResult[];
  /** Index into `starts` of the start kept. */
  bestStart: number;
  /** Warnings for the numbered footer (log-likelihood fell, not converged, boundary probabilities...). */
  warnings: string[];
  data: DataSummary;
  /** squeaky version that produced the fit. */
  version: string;
}
