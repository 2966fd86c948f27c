/**
 * State distributions of the report's hypothetical customer, period by period, by exact
 * propagation (no simulation). Hand-written rather than ml-matrix products: tiny K, many periods,
 * and it runs about 2 * nParams times per report for the delta method, so a plain allocation-free
 * loop matters.
 *
 * Layouts:
 *   start  [k]                            state distribution in period 0 (length K)
 *   trans  row-major [h*K*K + i*K + j]    P(state j in period h+1 | state i in period h), h = 0..nTrans-1;
 *                                         periods after nTrans reuse the last matrix (h = nTrans-1)
 *   out    row-major [(h-1)*K + k]        P(state k in period h), h = 1..H          (length H*K)
 */
export function propagateStates(K: number, H: number, nTrans: number, start: ArrayLike<number>, trans: Float64Array, out: Float64Array): void {
  if (!(K >= 1 && H >= 0 && nTrans >= 1)) throw new RangeError(`propagateStates: bad sizes K=${K} H=${H} nTrans=${nTrans}`);
  if (start.length !== K) throw new RangeError(`propagateStates: start has length ${start.length}, expected ${K}`);
  if (trans.length < nTrans * K * K) throw new RangeError(`propagateStates: trans has length ${trans.length}, expected ${nTrans * K * K}`);
  if (out.length !== H * K) throw new RangeError(`propagateStates: out has length ${out.length}, expected ${H * K}`);
  for (let h = 0; h < H; h++) {
    const tb = Math.min(h, nTrans - 1) * K * K;
    const ob = h * K;
    const pb = (h - 1) * K;
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let i = 0; i < K; i++) s += (h === 0 ? start[i] : out[pb + i]) * trans[tb + i * K + j];
      out[ob + j] = s;
    }
  }
}
