import { LuDecomposition, Matrix } from 'ml-matrix';

/**
 * Long-run (stationary) distribution of a K-state transition matrix, row-major [i*K + j]:
 * the pi with pi P = pi, sum(pi) = 1, solved as a linear system (ml-matrix LU). When the chain has
 * no unique stationary distribution (reducible), falls back to the Cesaro average of
 * `start` P^n over n = 1..20000, i.e. the long-run share reached from `start`.
 */
export function stationaryDistribution(K: number, P: ArrayLike<number>, start?: ArrayLike<number>): number[] {
  if (!(K >= 1) || P.length !== K * K) throw new RangeError(`stationaryDistribution: P has length ${P.length}, expected ${K * K}`);
  // (P^T - I) pi = 0 with the last equation replaced by sum(pi) = 1.
  const A = new Matrix(K, K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) A.set(i, j, P[j * K + i] - (i === j ? 1 : 0));
  for (let j = 0; j < K; j++) A.set(K - 1, j, 1);
  const b = Matrix.zeros(K, 1);
  b.set(K - 1, 0, 1);
  const lu = new LuDecomposition(A);
  if (!lu.isSingular()) {
    const x = lu.solve(b).getColumn(0);
    const ok = x.every((v) => Number.isFinite(v) && v > -1e-9);
    if (ok) {
      const clipped = x.map((v) => Math.max(0, v));
      const s = clipped.reduce((a, v) => a + v, 0);
      // Residual check guards against an ill-conditioned solve on a nearly reducible chain.
      let resid = 0;
      for (let j = 0; j < K; j++) {
        let r = -clipped[j] / s;
        for (let i = 0; i < K; i++) r += (clipped[i] / s) * P[i * K + j];
        resid = Math.max(resid, Math.abs(r));
      }
      if (resid < 1e-9) return clipped.map((v) => v / s);
    }
  }
  const n = 20000;
  let d = start ? Array.from(start) : new Array<number>(K).fill(1 / K);
  const avg = new Array<number>(K).fill(0);
  for (let t = 0; t < n; t++) {
    const next = new Array<number>(K).fill(0);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) next[j] += d[i] * P[i * K + j];
    d = next;
    for (let j = 0; j < K; j++) avg[j] += d[j] / n;
  }
  return avg;
}
