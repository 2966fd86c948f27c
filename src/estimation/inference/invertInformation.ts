/**
 * From an information matrix to a covariance with honest gaps: parameters the data do not
 * determine get no standard error (DESIGN.md, Inference) instead of a NaN or a huge number.
 *
 * A parameter is unavailable when
 *   - its own information is not positive (no curvature at all);
 *   - it loads on a direction in which the information, scaled to unit diagonal, has an
 *     eigenvalue below SINGULAR (the data determine only a combination of parameters, or the
 *     fit is not at a maximum along it: a negative eigenvalue);
 *   - its standard error exceeds SE_LIMIT on the log-odds scale: its probability is driven to 0
 *     or 1 (an estimate at the boundary; the likelihood is flat towards infinity there).
 * Unavailable parameters are removed and the rest inverted again (their covariance is then
 * conditional on the removed ones, which is said in the notes), until nothing more is removed.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Smallest eigenvalue of the unit-diagonal information below which it counts as singular. */
export const SINGULAR = 1e-8;
/** Standard errors above this (log-odds units) mean the estimate sits at the boundary. */
export const SE_LIMIT = 50;
/** A parameter loads on a singular direction when its eigenvector entry is at least this share of the largest. */
const LOADING = 0.3;

export interface InvertedInformation {
  /** Row-major [a*n + b]; rows and columns of unavailable parameters are 0. */
  matrix: Float64Array;
  /** Indices without a standard error. */
  unavailable: number[];
  /** One line per reason. */
  notes: string[];
}

function list(names: readonly string[], idx: number[]): string {
  const shown = idx.slice(0, 6).map((i) => names[i]);
  return shown.join(', ') + (idx.length > 6 ? ` (+${idx.length - 6} more)` : '');
}

/** Invert the kept sub-block (scaled to unit diagonal); returns the flagged indices of a singular direction, or the inverse. */
function tryInvert(info: Float64Array, n: number, kept: number[]): { singular: number[]; negative: boolean } | { inverse: Matrix } {
  const m = kept.length;
  const d = kept.map((i) => Math.sqrt(info[i * n + i]));
  const scaled = new Matrix(m, m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) scaled.set(a, b, info[kept[a] * n + kept[b]] / (d[a] * d[b]));
  const evd = new EigenvalueDecomposition(scaled, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  let worst = 0;
  for (let k = 1; k < m; k++) if (values[k] < values[worst]) worst = k;
  if (!(values[worst] >= SINGULAR) || !Number.isFinite(values[worst])) {
    const v = evd.eigenvectorMatrix.getColumn(worst);
    const big = Math.max(...v.map(Math.abs));
    const singular = kept.filter((_, a) => Math.abs(v[a]) >= LOADING * big);
    return { singular, negative: values[worst] < -SINGULAR };
  }
  const chol = new CholeskyDecomposition(scaled);
  if (!chol.isPositiveDefinite()) return { singular: kept.slice(), negative: true };
  const inv = chol.solve(Matrix.eye(m, m));
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) inv.set(a, b, inv.get(a, b) / (d[a] * d[b]));
  return { inverse: inv };
}

/** Covariance = information^-1 over the parameters it determines (see the file header). */
export function invertInformation(info: Float64Array, names: readonly string[]): InvertedInformation {
  const n = names.length;
  if (info.length !== n * n) throw new RangeError(`information: length ${info.length}, expected ${n * n}`);
  const out = new Float64Array(n * n);
  const notes: string[] = [];
  const removed = new Set<number>();
  const flat: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = info[i * n + i];
    if (!(v > 0) || !Number.isFinite(v)) {
      removed.add(i);
      flat.push(i);
    }
  }
  if (flat.length) notes.push(`no standard error for ${list(names, flat)}: the log-likelihood has no curvature in ${flat.length === 1 ? 'this parameter' : 'these parameters'} (a probability driven to 0 or 1, or a term that never varies)`);
  for (;;) {
    const kept: number[] = [];
    for (let i = 0; i < n; i++) if (!removed.has(i)) kept.push(i);
    if (kept.length === 0) break;
    const r = tryInvert(info, n, kept);
    if ('singular' in r) {
      for (const i of r.singular) removed.add(i);
      notes.push(
        r.negative
          ? `no standard error for ${list(names, r.singular)}: the information matrix is not positive definite along them (the fit may not be at a maximum)`
          : `no standard error for ${list(names, r.singular)}: the information matrix is singular along them (the data determine only a combination of these parameters)`,
      );
      continue;
    }
    const boundary = kept.filter((i, a) => !(Math.sqrt(r.inverse.get(a, a)) <= SE_LIMIT));
    if (boundary.length) {
      for (const i of boundary) removed.add(i);
      notes.push(`no standard error for ${list(names, boundary)}: standard error above ${SE_LIMIT} on the log-odds scale, the estimate sits at the boundary (a probability driven to 0 or 1)`);
      continue;
    }
    kept.forEach((i, a) => kept.forEach((j, b) => (out[i * n + j] = 0.5 * (r.inverse.get(a, b) + r.inverse.get(b, a)))));
    break;
  }
  const unavailable = [...removed].sort((a, b) => a - b);
  if (unavailable.length && unavailable.length < n) notes.push('the other standard errors hold the parameters without one fixed at their estimates');
  return { matrix: out, unavailable, notes };
}

/** The sandwich A^-1 B A^-1 over the parameters `bread` determines (bread from invertInformation). */
export function sandwich(bread: InvertedInformation, meat: Float64Array, n: number): Float64Array {
  if (meat.length !== n * n) throw new RangeError(`meat: length ${meat.length}, expected ${n * n}`);
  const A = bread.matrix;
  const tmp = new Float64Array(n * n); // A B
  for (let a = 0; a < n; a++) {
    for (let k = 0; k < n; k++) {
      const x = A[a * n + k];
      if (x === 0) continue;
      for (let b = 0; b < n; b++) tmp[a * n + b] += x * meat[k * n + b];
    }
  }
  const out = new Float64Array(n * n); // (A B) A
  for (let a = 0; a < n; a++) {
    for (let k = 0; k < n; k++) {
      const x = tmp[a * n + k];
      if (x === 0) continue;
      for (let b = 0; b < n; b++) out[a * n + b] += x * A[k * n + b];
    }
  }
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) out[a * n + b] = out[b * n + a] = 0.5 * (out[a * n + b] + out[b * n + a]);
  return out;
}
