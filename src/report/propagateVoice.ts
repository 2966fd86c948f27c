/**
 * Expected voice counts over a horizon by exact propagation of the state distribution.
 * Hand-written rather than ml-matrix products: it runs once per scenario with tiny K, and a plain
 * loop over preallocated buffers keeps it a pure, allocation-free function.
 *
 * Layouts:
 *   start   [k]                     state distribution in period 0 (length K)
 *   trans   row-major [h*K*K + i*K + j]   P(state j in period h+1 | state i in period h), h = 0..H-1
 *   emis    row-major [h*K*V + k*V + v]   P(voice v in period h+1 | state k), h = 0..H-1
 *   work    [2*K] scratch
 *   out     [v]  sum over periods 1..H of P(voice v)          (length V)
 *   perStep row-major [h*V + v]  P(voice v in period h+1)    (length H*V, or null)
 */
export function propagateVoice(
  K: number,
  V: number,
  H: number,
  start: ArrayLike<number>,
  trans: Float64Array,
  emis: Float64Array,
  work: Float64Array,
  out: Float64Array,
  perStep: Float64Array | null = null,
): void {
  if (!(K >= 1 && V >= 1 && H >= 0)) throw new RangeError(`propagateVoice: bad sizes K=${K} V=${V} H=${H}`);
  if (start.length !== K) throw new RangeError(`propagateVoice: start has length ${start.length}, expected ${K}`);
  if (trans.length < H * K * K) throw new RangeError(`propagateVoice: trans has length ${trans.length}, expected ${H * K * K}`);
  if (emis.length < H * K * V) throw new RangeError(`propagateVoice: emis has length ${emis.length}, expected ${H * K * V}`);
  if (work.length < 2 * K) throw new RangeError(`propagateVoice: work has length ${work.length}, expected ${2 * K}`);
  if (out.length !== V) throw new RangeError(`propagateVoice: out has length ${out.length}, expected ${V}`);
  if (perStep !== null && perStep.length !== H * V) throw new RangeError(`propagateVoice: perStep has length ${perStep.length}, expected ${H * V}`);
  // work[0..K-1] = current distribution, work[K..2K-1] = next.
  for (let k = 0; k < K; k++) work[k] = start[k];
  out.fill(0);
  for (let h = 0; h < H; h++) {
    const tb = h * K * K;
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let i = 0; i < K; i++) s += work[i] * trans[tb + i * K + j];
      work[K + j] = s;
    }
    for (let k = 0; k < K; k++) work[k] = work[K + k];
    const eb = h * K * V;
    for (let v = 0; v < V; v++) {
      let p = 0;
      for (let k = 0; k < K; k++) p += work[k] * emis[eb + k * V + v];
      out[v] += p;
      if (perStep !== null) perStep[h * V + v] = p;
    }
  }
}
