import type { ModelSpec, NamedParameters } from './spec.js';

export interface FitOptions {
  /** Random starts in addition to the data-driven start (default 4). */
  starts?: number;
  /** Seed for every random choice (default 1). */
  seed?: number;
  /** Iteration cap per start, EM and quasi-Newton steps together (default 500). 0 = only evaluate the log-likelihood of the start. */
  maxIter?: number;
  /**
   * Relative log-likelihood tolerance (default 1e-13). With the quasi-Newton finish (the default):
   * stop when the gain still to come, projected from the exact gradient and the BFGS curvature, is
   * below tol * (|LL| + tol). On the example panel the fit then ends 4.5e-8 below the maximum it
   * climbs (the projection can understate the remaining gain a few-fold along weakly identified
   * directions, hence the margin), so log-likelihoods can be compared with other packages to 1e-6.
   * Without it (quasiNewton false): stop when |dLL| / (|LL| + tol) < tol and the gain projected by
   * Aitken's rule is as small (see convergenceMonitor.ts); SQUAREM-EM then stalls about 1e-6 below
   * the maximum on the example panel.
   */
  tol?: number;
  /** Ridge penalty on logit coefficients against separation (default 1e-8). */
  ridge?: number;
  /**
   * EM iterations of the screening run of every start when there are several (emEM): only the
   * start with the best log-likelihood after screening is then run to convergence. 0 runs every
   * start to convergence. Default 5 (short EM runs, as in emEM; on the example panel the
   * data-driven start leads the best random start by about 1,900 log-likelihood units after 5
   * iterations and by about 320 after 20, and is kept either way).
   */
  screenIter?: number;
  /**
   * With several starts, how many of those best after screening are run to convergence (default 2);
   * the best of them is kept, and the result reports how many reached its log-likelihood.
   */
  finish?: number;
  /** SQUAREM acceleration of EM (default true); the log-likelihood still never falls. */
  accelerate?: boolean;
  /**
   * Finish every start that EM brings near its maximum with quasi-Newton (BFGS) steps on the exact
   * penalised log-likelihood (default true): EM stops at a relative change of 1e-5, then BFGS,
   * with exact gradients by Fisher's identity, climbs until the gain still to come projected from
   * the gradient is below tol * |LL|. Each accepted step raises the penalised log-likelihood.
   */
  quasiNewton?: boolean;
  /** Begin EM from these parameters (names must match the spec) instead of random/data starts. */
  startParams?: NamedParameters;
  /** Called after every EM iteration. */
  onProgress?: (p: FitProgress) => void;
  /**
   * Threads for the E-step's forward-backward (default 1 in the library; the CLI defaults to the
   * machine's cores). Results are the same bits for every value: customers are cut into shards
   * fixed by the panel and shard statistics are added up in shard order.
   */
  threads?: number;
  /** Called as each long phase begins (building the designs, the E-step tables, the starts), with a short description. */
  onPhase?: (description: string) => void;
}

export interface FitProgress {
  start: number;
  nStarts: number;
  iteration: number;
  logLik: number;
  change: number;
  /** Starts running at once when this one runs on a worker thread beside others (fitAsync); absent when the starts run one after another. */
  running?: number;
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
  /** Log-likelihood after every iteration of this start (index 0 = at its start values): its trace, to see whether starts agree. */
  history?: number[];
  /** True when the start ran to the end (to convergence or the iteration cap): one of the `finish` best after screening, or every start when there was no screening. */
  finished?: boolean;
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
  /** Human-readable convergence status, e.g. 'converged: projected further gain 5.2e-9 < 5.6e-9 (relative tolerance 1e-13), gradient norm 4.6e-4, after 69 iterations (25 EM, 44 quasi-Newton)'. */
  status: string;
  /** Log-likelihood after every EM iteration of the best start (index 0 = at the start values). */
  history: number[];
  starts: StartResult[];
  /** Index into `starts` of the start kept. */
  bestStart: number;
  /** Starts run to the end (see FitOptions.finish). */
  finished?: number;
  /** Finished starts whose log-likelihood is within 1e-6 of the best (the kept start included). */
  reachedBest?: number;
  /** Warnings for the numbered footer (log-likelihood fell, not converged, boundary probabilities...). */
  warnings: string[];
  data: DataSummary;
  /** squeaky version that produced the fit. */
  version: string;
}
