// The simple reference forward-backward kept beside the benchmarks: the same scaled recursion as
// src/kernels/compileHmmKernel.ts, written plainly with loops over the K states (no code
// generation, no unrolling), same inputs and count layouts (see src/kernels/hmmInputs.ts). The CI
// benchmark times the compiled kernel against it in the same run: a ratio that a slower or faster
// machine leaves unchanged, and that falls if the compiled kernel loses its advantage.
// work: { alpha, emis: Float64Array(maxLen*K), invScale: Float64Array(maxLen), n, b, nb: Float64Array(K) }
export function createReferenceWork(K, maxLen) {
  return {
    alpha: new Float64Array(maxLen * K),
    emis: new Float64Array(maxLen * K),
    invScale: new Float64Array(maxLen),
    n: new Float64Array(K),
    b: new Float64Array(K),
    nb: new Float64Array(K),
  };
}

export function referenceForwardBackward(inp, work, counts) {
  const { nStates: K, nVoice: V, offsets, voice, initIndex, initProb, transIndex, transProb, emisIndex, emisProb } = inp;
  const { alpha, emis, invScale, n, b, nb } = work;
  let logLik = 0;
  for (let s = 0; s + 1 < offsets.length; s++) {
    const r0 = offsets[s];
    const T = offsets[s + 1] - r0;
    if (T === 0) continue;
    let ll = 0;
    for (let t = 0; t < T; t++) {
      const r = r0 + t;
      const v = voice[r];
      for (let k = 0; k < K; k++) emis[t * K + k] = v >= 0 ? emisProb[(emisIndex[r] * K + k) * V + v] : 1;
      let sum = 0;
      for (let j = 0; j < K; j++) {
        let x = 0;
        if (t === 0) x = initProb[initIndex[s] * K + j];
        else for (let i = 0; i < K; i++) x += alpha[(t - 1) * K + i] * transProb[(transIndex[r] * K + i) * K + j];
        n[j] = x * emis[t * K + j];
        sum += n[j];
      }
      if (!(sum > 0)) return -Infinity;
      ll += Math.log(sum);
      invScale[t] = 1 / sum;
      for (let k = 0; k < K; k++) alpha[t * K + k] = n[k] / sum;
    }
    logLik += ll;
    for (let k = 0; k < K; k++) b[k] = 1;
    for (let t = T - 1; t >= 0; t--) {
      const r = r0 + t;
      const v = voice[r];
      for (let k = 0; k < K; k++) {
        const g = alpha[t * K + k] * b[k];
        if (v >= 0) counts.emis[(emisIndex[r] * K + k) * V + v] += g;
        if (t === 0) counts.init[initIndex[s] * K + k] += g;
      }
      if (t === 0) break;
      for (let k = 0; k < K; k++) b[k] *= emis[t * K + k] * invScale[t];
      const tb = transIndex[r] * K * K;
      for (let i = 0; i < K; i++) {
        let x = 0;
        for (let j = 0; j < K; j++) {
          const y = transProb[tb + i * K + j] * b[j];
          counts.trans[tb + i * K + j] += alpha[(t - 1) * K + i] * y;
          x += y;
        }
        nb[i] = x;
      }
      for (let k = 0; k < K; k++) b[k] = nb[k];
    }
  }
  return logLik;
}
