/**
 * The hot loop of the multinomial logit M-step, as a pure kernel: one pass over the design
 * patterns giving the weighted log-likelihood and, when asked, its gradient and Hessian
 * accumulated in coefficient space. Hand-written because it runs once per Newton iteration over
 * every distinct design row (nearly every panel row when a covariate is continuous) and is most
 * of the M-step's time; kept free of index indirection and allocation.
 *
 * Layouts:
 *   patterns  row-major [p*nCols + j]
 *   coef      row-major [(g*nOut + c)*nCols + j]      (reference outcomes hold 0)
 *   counts    row-major [(p*nGroups + g)*nOut + c]
 *   free      row-major [g*nFree + a]                  free outcome a of group g
 *   gc        row-major [(g*nFree + a)*nCols + j]      sum_p (n_c - N pi_c) x_j, c = free[g, a]
 *   hm        row-major [(g*nPairs + ab)*nTri + jk]    sum_p N (pi_a delta_ab - pi_a pi_b) x_j x_k,
 *             over pairs a <= b (ab in order (0,0),(0,1),..,(1,1),..) and j <= k likewise
 *   scratch   length >= 2*nOut + nTri + nPairs
 *   probOut   optional, layout of counts: the probability table at these coefficients, as
 *             logitTable computes it (same operations, same bits), filled for every pattern-group
 * Every group must have an outcome whose linear predictor is 0 (a reference outcome), so that
 * sum exp(eta) >= 1: no max-shift is needed unless some eta is large enough to overflow.
 * Pattern-groups with zero total count are skipped (they carry no information, and may hold
 * non-finite design values).
 */
export function logitPass(
  nPatterns: number,
  nGroups: number,
  nOut: number,
  nCols: number,
  nFree: number,
  patterns: Float64Array,
  coef: Float64Array,
  counts: Float64Array,
  free: Int32Array,
  gc: Float64Array | null,
  hm: Float64Array | null,
  scratch: Float64Array,
  probOut: Float64Array | null = null,
): number {
  const nTri = (nCols * (nCols + 1)) / 2;
  const nPairs = (nFree * (nFree + 1)) / 2;
  if (patterns.length < nPatterns * nCols) throw new RangeError(`patterns: length ${patterns.length} < ${nPatterns * nCols}`);
  if (coef.length !== nGroups * nOut * nCols) throw new RangeError(`coef: length ${coef.length} != ${nGroups * nOut * nCols}`);
  if (counts.length !== nPatterns * nGroups * nOut) throw new RangeError(`counts: length ${counts.length} != ${nPatterns * nGroups * nOut}`);
  if (free.length !== nGroups * nFree) throw new RangeError(`free: length ${free.length} != ${nGroups * nFree}`);
  if (gc && gc.length !== nGroups * nFree * nCols) throw new RangeError(`gc: length ${gc.length} != ${nGroups * nFree * nCols}`);
  if (hm && hm.length !== nGroups * nPairs * nTri) throw new RangeError(`hm: length ${hm.length} != ${nGroups * nPairs * nTri}`);
  if (scratch.length < 2 * nOut + nTri + nPairs) throw new RangeError(`scratch: length ${scratch.length} < ${2 * nOut + nTri + nPairs}`);
  if (probOut && probOut.length !== nPatterns * nGroups * nOut) throw new RangeError(`probOut: length ${probOut.length} != ${nPatterns * nGroups * nOut}`);
  // scratch layout: eta [0, nOut), pi [nOut, 2 nOut), xx [2 nOut, +nTri), ww [.., +nPairs)
  const PI = nOut;
  const XX = 2 * nOut;
  const WW = XX + nTri;
  if (gc) gc.fill(0);
  if (hm) hm.fill(0);
  let q = 0;
  for (let p = 0; p < nPatterns; p++) {
    const xb = p * nCols;
    let xxDone = false;
    for (let g = 0; g < nGroups; g++) {
      const o = (p * nGroups + g) * nOut;
      let total = 0;
      for (let c = 0; c < nOut; c++) total += counts[o + c];
      if (total === 0 && probOut === null) continue;
      let max = -Infinity;
      const gb = g * nOut * nCols;
      for (let c = 0; c < nOut; c++) {
        const cb = gb + c * nCols;
        let v = 0;
        for (let j = 0; j < nCols; j++) v += patterns[xb + j] * coef[cb + j];
        scratch[c] = v;
        if (v > max) max = v;
      }
      const shift = max > 700 ? max : 0;
      let sum = 0;
      for (let c = 0; c < nOut; c++) {
        const d = scratch[c] - shift;
        const e = d === 0 ? 1 : Math.exp(d);
        scratch[PI + c] = e;
        sum += e;
      }
      const lse = shift + Math.log(sum);
      const inv = 1 / sum;
      let qq = 0;
      for (let c = 0; c < nOut; c++) {
        scratch[PI + c] *= inv;
        if (probOut !== null) probOut[o + c] = scratch[PI + c];
        const n = counts[o + c];
        if (n !== 0) qq += n * (scratch[c] - lse);
      }
      if (total === 0) continue; // probabilities only: no information, and the design row may not be finite
      q += qq;
      if (gc !== null) {
        const fb = g * nFree;
        for (let a = 0; a < nFree; a++) {
          const c = free[fb + a];
          const r = counts[o + c] - total * scratch[PI + c];
          const rb = (fb + a) * nCols;
          for (let j = 0; j < nCols; j++) gc[rb + j] += r * patterns[xb + j];
        }
      }
      if (hm !== null) {
        if (!xxDone) {
          let t = XX;
          for (let j = 0; j < nCols; j++) {
            const xj = patterns[xb + j];
            for (let k = j; k < nCols; k++) scratch[t++] = xj * patterns[xb + k];
          }
          xxDone = true;
        }
        const fb = g * nFree;
        let ab = WW;
        for (let a = 0; a < nFree; a++) {
          const pa = scratch[PI + free[fb + a]];
          const npa = total * pa;
          scratch[ab++] = npa - npa * pa;
          for (let b = a + 1; b < nFree; b++) scratch[ab++] = -npa * scratch[PI + free[fb + b]];
        }
        const hb = g * nPairs * nTri;
        for (let e = 0; e < nPairs; e++) {
          const w = scratch[WW + e];
          const rb = hb + e * nTri;
          for (let t = 0; t < nTri; t++) hm[rb + t] += w * scratch[XX + t];
        }
      }
    }
  }
  return q;
}
