import { Matrix, inverse } from 'ml-matrix';

/** Squarings of P in the mixing check: P^(2^40), about 1.1e12 periods. */
const SQUARINGS = 40;
/** Rows of P^(2^40) must agree to this for the chain to have one long-run distribution it reaches. */
const MIXED = 1e-9;

/**
 * Closed form of the rest of the report's series once the transition matrix P (K x K, row-major
 * [i*K + j]) and voice probabilities E (K x V, row-major [k*V + v]) no longer change:
 *   sum over t >= 1 of delta P^t E  =  delta (Z - I) E,   Z = (I - P + 1 pi)^-1
 * (the fundamental matrix), for a difference of two state distributions delta (sum 0). Valid when
 * P reaches one long-run distribution pi from every start (one recurrent class, aperiodic): checked
 * by P^(2^40) having equal rows (repeated squaring). Returns the V sums, or the reason it does not
 * exist. Z comes from ml-matrix's inverse (K is tiny).
 */
export function longRunTail(K: number, V: number, P: ArrayLike<number>, E: ArrayLike<number>, delta: ArrayLike<number>): Float64Array | string {
  if (P.length < K * K || E.length < K * V || delta.length !== K) throw new RangeError(`longRunTail: bad sizes for K=${K} V=${V}`);
  let Q = new Matrix(K, K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) Q.set(i, j, P[i * K + j]);
  const Pm = Q.clone();
  for (let s = 0; s < SQUARINGS; s++) Q = Q.mmul(Q);
  const pi = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < K; i++) {
      const q = Q.get(i, j);
      lo = Math.min(lo, q);
      hi = Math.max(hi, q);
      pi[j] += q / K;
    }
    if (!(hi - lo < MIXED)) {
      return 'the no-intervention transition matrix does not forget where a customer starts (some transition probabilities are 0, so it has several long-run classes or cycles), so the effect of moving a customer need not die out';
    }
  }
  const A = new Matrix(K, K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) A.set(i, j, (i === j ? 1 : 0) - Pm.get(i, j) + pi[j]);
  let Z: Matrix;
  try {
    Z = inverse(A);
  } catch {
    return 'the fundamental matrix of the no-intervention transition matrix is singular';
  }
  // x = delta (Z - I), then out[v] = x . E[:, v]
  const out = new Float64Array(V);
  for (let j = 0; j < K; j++) {
    let x = -delta[j];
    for (let i = 0; i < K; i++) x += delta[i] * Z.get(i, j);
    for (let v = 0; v < V; v++) out[v] += x * E[j * V + v];
  }
  for (let v = 0; v < V; v++) if (!Number.isFinite(out[v])) return 'the closed form of the long-run total is not finite (the transition matrix is numerically singular)';
  return out;
}
