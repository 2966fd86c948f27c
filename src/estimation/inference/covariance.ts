/**
 * The covariance of the flat named parameter vector, as stored in fit.json beside the values
 * (DESIGN.md, Inference). Every later number (tables, effects, policies, tests) reads it from here.
 */

export type CovarianceMethod = 'observed' | 'robust' | 'bootstrap';

/** What a bootstrap keeps besides the covariance: its replicate estimates, aligned to the fit's states. */
export interface BootstrapSummary {
  type: 'nonparametric' | 'parametric';
  /** Replicates asked for (B). */
  requested: number;
  seed: number;
  /** Replicate estimates used, one row per replicate, in the order of `names`, states aligned to the fit's labels. */
  replicates: number[][];
  /** Replicates whose fit failed (an error or a log-likelihood that is not finite): not in `replicates`. */
  failed: number;
  /** Replicates in `replicates` whose fit stopped at the iteration cap without converging. */
  notConverged: number;
}

/**
 * Profile-likelihood 95% intervals of the parameters whose Wald interval is not trusted
 * (profileLikelihood.ts, profileSelection.ts); tables show them in place of estimate +- 1.96 SE.
 */
export interface ProfileSummary {
  /** How far from the estimate each side was searched (log-odds units). */
  cap: number;
  /** Per profiled parameter [low, high]; null = unbounded on that side (not closed within `cap`). */
  intervals: Record<string, [number | null, number | null]>;
}

export interface Covariance {
  method: CovarianceMethod;
  /** Parameter names, the fit's order. */
  names: string[];
  /** Row-major [i*nParams + j]; finite everywhere; rows and columns of `unavailable` parameters are 0. */
  matrix: Float64Array;
  /** Parameters without a standard error (at the boundary, or in a direction the data do not identify). */
  unavailable: string[];
  /** One line per reason a parameter is unavailable (for the warnings footer). */
  notes: string[];
  bootstrap?: BootstrapSummary;
  profile?: ProfileSummary;
}

/** Standard errors in `names` order; NaN for unavailable parameters (tables print "n/a"). */
export function standardErrors(cov: Covariance): Float64Array {
  const n = cov.names.length;
  const out = new Float64Array(n);
  const missing = new Set(cov.unavailable);
  for (let i = 0; i < n; i++) out[i] = missing.has(cov.names[i]) ? NaN : Math.sqrt(Math.max(0, cov.matrix[i * n + i]));
  return out;
}
