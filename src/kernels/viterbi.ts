import { checkHmmSizes, type HmmInputs } from './hmmInputs.js';

/**
 * Work buffers of the Viterbi kernel.
 *   psi          row-major [t*K + k]: best predecessor of state k at local time t, length maxLen*K
 *   delta, deltaNext  [k]: best log score ending in state k, length K
 */
export interface ViterbiWork {
  nStates: number;
  maxLen: number;
  psi: Int32Array;
  delta: Float64Array;
  deltaNext: Float64Array;
}

export function createViterbiWork(nStates: number, maxLen: number): ViterbiWork {
  if (!Number.isInteger(nStates) || nStates < 1) throw new RangeError(`nStates must be an integer >= 1, got ${nStates}`);
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new RangeError(`maxLen must be an integer >= 0, got ${maxLen}`);
  const n = Math.max(1, maxLen);
  return { nStates, maxLen: n, psi: new Int32Array(n * nStates), delta: new Float64Array(nStates), deltaNext: new Float64Array(nStates) };
}

/**
 * Most probable state path per sequence (max-product in log space). `inp` carries LOG probability
 * tables in the usual layouts (initProb, transProb, emisProb hold log-probabilities); missing voice
 * contributes log 1 = 0. Writes 0-based states to `out` (length nRows); ties go to the lower state.
 * Returns the total log-probability of the chosen paths (joint with the voice).
 */
export function viterbi(logInp: HmmInputs, work: ViterbiWork, out: Int32Array): number {
  const nRows = checkHmmSizes(logInp);
  const K = logInp.nStates;
  const V = logInp.nVoice;
  if (out.length !== nRows) throw new RangeError(`out: length ${out.length}, expected ${nRows}`);
  if (work.nStates !== K) throw new RangeError(`work buffers are for ${work.nStates} states, inputs have ${K}`);
  if (work.psi.length < work.maxLen * K || work.delta.length < K || work.deltaNext.length < K) {
    throw new RangeError('work buffers are shorter than their declared size');
  }
  const { offsets, voice, initIndex, initProb, transIndex, transProb, emisIndex, emisProb } = logInp;
  const { psi, maxLen } = work;
  let delta = work.delta;
  let deltaNext = work.deltaNext;
  const KK = K * K;
  const KV = K * V;
  const nSeq = offsets.length - 1;
  let total = 0;
  for (let s = 0; s < nSeq; s++) {
    const r0 = offsets[s];
    const T = offsets[s + 1] - r0;
    if (T === 0) continue;
    if (T > maxLen) throw new RangeError(`sequence ${s} has ${T} rows, work buffers hold ${maxLen}`);
    const iBase = initIndex[s] * K;
    let v = voice[r0];
    let eBase = emisIndex[r0] * KV + v;
    for (let k = 0; k < K; k++) delta[k] = initProb[iBase + k] + (v < 0 ? 0 : emisProb[eBase + k * V]);
    for (let t = 1; t < T; t++) {
      const r = r0 + t;
      const tBase = transIndex[r] * KK;
      v = voice[r];
      eBase = emisIndex[r] * KV + v;
      for (let j = 0; j < K; j++) {
        let best = -Infinity;
        let arg = 0;
        for (let i = 0; i < K; i++) {
          const x = delta[i] + transProb[tBase + i * K + j];
          if (x > best) {
            best = x;
            arg = i;
          }
        }
        psi[t * K + j] = arg;
        deltaNext[j] = best + (v < 0 ? 0 : emisProb[eBase + j * V]);
      }
      const tmp = delta;
      delta = deltaNext;
      deltaNext = tmp;
    }
    let best = -Infinity;
    let arg = 0;
    for (let k = 0; k < K; k++) {
      if (delta[k] > best) {
        best = delta[k];
        arg = k;
      }
    }
    total += best;
    out[r0 + T - 1] = arg;
    for (let t = T - 1; t > 0; t--) {
      arg = psi[t * K + arg];
      out[r0 + t - 1] = arg;
    }
  }
  return total;
}
