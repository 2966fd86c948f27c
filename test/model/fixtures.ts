import { Rng } from '../../src/estimation/rng.js';
import type { PatternDesign } from '../../src/model/patternDesign.js';
import type { SubModel } from '../../src/model/subModel.js';

/** A design of nPatterns distinct rows: '(Intercept)' (when asked) then nCov covariates (a binary one first). */
export function randomPatternDesign(rng: Rng, nPatterns: number, nCov: number, intercept = true): PatternDesign {
  const names = [...(intercept ? ['(Intercept)'] : []), ...Array.from({ length: nCov }, (_, j) => (j === 0 ? 'lag(intervention)' : `x${j}`))];
  const nCols = names.length;
  const patterns = new Float64Array(nPatterns * nCols);
  for (let p = 0; p < nPatterns; p++) {
    let j = 0;
    if (intercept) patterns[p * nCols + j++] = 1;
    for (let c = 0; c < nCov; c++, j++) patterns[p * nCols + j] = c === 0 ? p % 2 : rng.normal();
  }
  return { names, nCols, nPatterns, patterns, index: Int32Array.from({ length: nPatterns }, (_, p) => p) };
}

export function randomParams(m: SubModel, rng: Rng, scale = 1): Float64Array {
  const v = new Float64Array(m.nParams);
  for (let a = 0; a < v.length; a++) v[a] = scale * rng.normal();
  m.setParams(v, 0);
  return v;
}

/** Positive random counts in the sub-model's table layout, some (pattern, group) cells left empty. */
export function randomCounts(m: SubModel, rng: Rng, emptyShare = 0.1): Float64Array {
  const n = m.design.nPatterns * m.nGroups * m.nOut;
  const counts = new Float64Array(n);
  for (let pg = 0; pg < m.design.nPatterns * m.nGroups; pg++) {
    if (rng.uniform() < emptyShare) continue;
    for (let c = 0; c < m.nOut; c++) counts[pg * m.nOut + c] = rng.uniform() < 0.15 ? 0 : 5 * rng.uniform();
  }
  return counts;
}

/** Central finite-difference gradient of m.objective. */
export function fdGradient(m: SubModel, counts: Float64Array, ridge: number, h = 1e-6): Float64Array {
  const x = new Float64Array(m.nParams);
  m.getParams(x, 0);
  const g = new Float64Array(m.nParams);
  for (let a = 0; a < m.nParams; a++) {
    const y = x.slice();
    y[a] = x[a] + h;
    m.setParams(y, 0);
    const up = m.objective(counts, ridge);
    y[a] = x[a] - h;
    m.setParams(y, 0);
    const down = m.objective(counts, ridge);
    g[a] = (up - down) / (2 * h);
  }
  m.setParams(x, 0);
  return g;
}

/** Central finite-difference Hessian from the analytic gradient, row-major [a*n + b]. */
export function fdHessian(m: SubModel, counts: Float64Array, ridge: number, h = 1e-6): Float64Array {
  const n = m.nParams;
  const x = new Float64Array(n);
  m.getParams(x, 0);
  const H = new Float64Array(n * n);
  const gu = new Float64Array(n);
  const gd = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    const y = x.slice();
    y[b] = x[b] + h;
    m.setParams(y, 0);
    m.gradient(counts, ridge, gu);
    y[b] = x[b] - h;
    m.setParams(y, 0);
    m.gradient(counts, ridge, gd);
    for (let a = 0; a < n; a++) H[a * n + b] = (gu[a] - gd[a]) / (2 * h);
  }
  m.setParams(x, 0);
  return H;
}

export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}
