/**
 * Draws of a parameter vector that carry its estimation uncertainty: multivariate normal around
 * the estimate with a given covariance (Cholesky factor from ml-matrix; an eigen-decomposition with
 * negative eigenvalues clamped at 0 when the matrix is only semi-definite), or a fit's bootstrap
 * replicates when it has them. Parameters without a standard error (zero rows) stay at the estimate.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Covariance } from '../../estimation/inference/covariance.js';
import { Rng } from '../../estimation/rng.js';

/** A factor L (row-major [i*n + j], n x n) with L L' = the covariance, over the entries with positive variance. */
export function covarianceFactor(matrix: ArrayLike<number>, n: number): Float64Array {
  if (matrix.length !== n * n) throw new RangeError(`covariance has ${matrix.length} entries, expected ${n * n}`);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (matrix[i * n + i] > 0) idx.push(i);
  const m = idx.length;
  const out = new Float64Array(n * n);
  if (m === 0) return out;
  const sub = new Matrix(m, m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub.set(a, b, (matrix[idx[a] * n + idx[b]] + matrix[idx[b] * n + idx[a]]) / 2);
  let L: Matrix;
  const chol = new CholeskyDecomposition(sub);
  if (chol.isPositiveDefinite()) L = chol.lowerTriangularMatrix;
  else {
    const e = new EigenvalueDecomposition(sub, { assumeSymmetric: true });
    const V = e.eigenvectorMatrix;
    L = new Matrix(m, m);
    e.realEigenvalues.forEach((lambda, j) => {
      const s = Math.sqrt(Math.max(0, lambda));
      for (let a = 0; a < m; a++) L.set(a, j, V.get(a, j) * s);
    });
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out[idx[a] * n + idx[b]] = L.get(a, b);
  return out;
}

/** theta + L z with z standard normal from `rng`. */
export function normalDraw(theta: ArrayLike<number>, factor: Float64Array, rng: Rng): number[] {
  const n = theta.length;
  const z = Array.from({ length: n }, () => rng.normal());
  const out = Array.from(theta);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += factor[i * n + j] * z[j];
    out[i] += s;
  }
  return out;
}

/** Draws of the fit's parameter vector: bootstrap replicates (at most `draws`) or normal draws from the covariance. */
export function parameterDraws(theta: Float64Array, cov: Covariance, draws: number, seed: number, stream: number): { method: 'covariance' | 'bootstrap'; draws: number[][] } {
  const reps = cov.bootstrap?.replicates ?? [];
  if (reps.length >= 2) return { method: 'bootstrap', draws: reps.slice(0, draws).map((r) => Array.from(r)) };
  const n = theta.length;
  const matrix = Float64Array.from(cov.matrix);
  const skip = new Set(cov.unavailable);
  cov.names.forEach((name, i) => {
    if (!skip.has(name)) return;
    for (let j = 0; j < n; j++) matrix[i * n + j] = matrix[j * n + i] = 0;
  });
  const factor = covarianceFactor(matrix, n);
  return { method: 'covariance', draws: Array.from({ length: draws }, (_, d) => normalDraw(theta, factor, Rng.stream(seed, stream + d))) };
}
