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
 *   probIn    optional, layout of counts: that table already computed at these coefficients; the
 *             pass then takes the probabilities from it instead of exp. At most one of probOut
 *             and probIn. Either way the log-sum-exp of the objective is eta_c - log pi_c of the
 *             likeliest outcome c, so both give the same bits.
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
  probIn: Float64Array | null = null,
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
  if (probIn && probIn.length < nPatterns * nGroups * nOut) throw new RangeError(`probIn: length ${probIn.length} < ${nPatterns * nGroups * nOut}`);
  if (probIn && probOut) throw new RangeError('probIn and probOut: give at most one');
  if (nCols === 2) {
    if (probIn !== null) return logitPassTwoColumnsGiven(nPatterns, nGroups, nOut, nFree, patterns, coef, counts, free, gc, hm, scratch, probIn);
    return logitPassTwoColumns(nPatterns, nGroups, nOut, nFree, patterns, coef, counts, free, gc, hm, scratch, probOut);
  }
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
      if (probIn !== null) {
        // probabilities given (computed at these coefficients, same bits as below)
        for (let c = 0; c < nOut; c++) scratch[PI + c] = probIn[o + c];
      } else {
        const shift = max > 700 ? max : 0;
        let sum = 0;
        for (let c = 0; c < nOut; c++) {
          const d = scratch[c] - shift;
          const e = d === 0 ? 1 : Math.exp(d);
          scratch[PI + c] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let c = 0; c < nOut; c++) {
          scratch[PI + c] *= inv;
          if (probOut !== null) probOut[o + c] = scratch[PI + c];
        }
      }
      // log-sum-exp from the likeliest outcome, lse = eta_c - log pi_c (pi_c >= 1/nOut: no
      // underflow); the same bits whether the probabilities were computed here or given
      let best = 0;
      for (let c = 1; c < nOut; c++) if (scratch[PI + c] > scratch[PI + best]) best = c;
      const lse = scratch[best] - Math.log(scratch[PI + best]);
      let qq = 0;
      for (let c = 0; c < nOut; c++) {
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

/**
 * logitPass for two design columns (an intercept and one covariate: the common emission and
 * transition designs), with the column loops unrolled; same operations in the same order as the
 * general loop (so the same bits: 0 + a*b is a*b exactly, and -0 and 0 both give exp 1). Sizes are
 * checked by logitPass. Layouts as logitPass with nCols = 2, nTri = 3 (entries 00, 01, 11).
 * Probabilities by exp here (and written to probOut if given); from a given table in
 * logitPassTwoColumnsGiven. Each source of probabilities has its own function, and no work inside
 * the pattern loop sits on a branch that only some later call reaches (such as zero-count groups
 * with probOut): optimised code has no type feedback for that work, and meeting it deoptimises the
 * kernel in the middle of a pass.
 */
function logitPassTwoColumns(
  nPatterns: number,
  nGroups: number,
  nOut: number,
  nFree: number,
  patterns: Float64Array,
  coef: Float64Array,
  counts: Float64Array,
  free: Int32Array,
  gc: Float64Array | null,
  hm: Float64Array | null,
  scratch: Float64Array,
  probOut: Float64Array | null,
): number {
  const nPairs = (nFree * (nFree + 1)) / 2;
  // scratch layout: eta [0, nOut), pi [nOut, 2 nOut), ww [2 nOut, 2 nOut + nPairs)
  const PI = nOut;
  const WW = 2 * nOut;
  if (gc) gc.fill(0);
  if (hm) hm.fill(0);
  let q = 0;
  for (let p = 0; p < nPatterns; p++) {
    const x0 = patterns[2 * p];
    const x1 = patterns[2 * p + 1];
    for (let g = 0; g < nGroups; g++) {
      const o = (p * nGroups + g) * nOut;
      let total = 0;
      for (let c = 0; c < nOut; c++) total += counts[o + c];
      if (total === 0 && probOut === null) continue;
      let max = -Infinity;
      const gb = g * nOut * 2;
      for (let c = 0; c < nOut; c++) {
        const v = x0 * coef[gb + 2 * c] + x1 * coef[gb + 2 * c + 1];
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
      const inv = 1 / sum;
      for (let c = 0; c < nOut; c++) {
        const pc = scratch[PI + c] * inv;
        scratch[PI + c] = pc;
        if (probOut !== null) probOut[o + c] = pc;
      }
      // probabilities only: no information, and the design row may not be finite
      if (total === 0) continue;
      let best = 0;
      for (let c = 1; c < nOut; c++) if (scratch[PI + c] > scratch[PI + best]) best = c;
      const lse = scratch[best] - Math.log(scratch[PI + best]);
      let qq = 0;
      for (let c = 0; c < nOut; c++) {
        const n = counts[o + c];
        if (n !== 0) qq += n * (scratch[c] - lse);
      }
      q += qq;
      const fb = g * nFree;
      if (gc !== null) {
        for (let a = 0; a < nFree; a++) {
          const r = counts[o + free[fb + a]] - total * scratch[PI + free[fb + a]];
          const rb = (fb + a) * 2;
          gc[rb] += r * x0;
          gc[rb + 1] += r * x1;
        }
      }
      if (hm !== null) {
        const x00 = x0 * x0;
        const x01 = x0 * x1;
        const x11 = x1 * x1;
        let ab = WW;
        for (let a = 0; a < nFree; a++) {
          const pa = scratch[PI + free[fb + a]];
          const npa = total * pa;
          scratch[ab++] = npa - npa * pa;
          for (let b = a + 1; b < nFree; b++) scratch[ab++] = -npa * scratch[PI + free[fb + b]];
        }
        let rb = g * nPairs * 3;
        for (let e = 0; e < nPairs; e++, rb += 3) {
          const w = scratch[WW + e];
          hm[rb] += w * x00;
          hm[rb + 1] += w * x01;
          hm[rb + 2] += w * x11;
        }
      }
    }
  }
  return q;
}

/**
 * logitPassTwoColumns with the probabilities taken from probIn (a table already computed at these
 * coefficients, with the bits logitPassTwoColumns / logitTable give) instead of exp: the same
 * operations otherwise, so the same bits. Sizes are checked by logitPass.
 */
function logitPassTwoColumnsGiven(
  nPatterns: number,
  nGroups: number,
  nOut: number,
  nFree: number,
  patterns: Float64Array,
  coef: Float64Array,
  counts: Float64Array,
  free: Int32Array,
  gc: Float64Array | null,
  hm: Float64Array | null,
  scratch: Float64Array,
  probIn: Float64Array,
): number {
  const nPairs = (nFree * (nFree + 1)) / 2;
  // scratch layout: eta [0, nOut), pi [nOut, 2 nOut), ww [2 nOut, 2 nOut + nPairs)
  const PI = nOut;
  const WW = 2 * nOut;
  if (gc) gc.fill(0);
  if (hm) hm.fill(0);
  let q = 0;
  for (let p = 0; p < nPatterns; p++) {
    const x0 = patterns[2 * p];
    const x1 = patterns[2 * p + 1];
    for (let g = 0; g < nGroups; g++) {
      const o = (p * nGroups + g) * nOut;
      let total = 0;
      for (let c = 0; c < nOut; c++) total += counts[o + c];
      if (total === 0) continue;
      const gb = g * nOut * 2;
      for (let c = 0; c < nOut; c++) {
        scratch[c] = x0 * coef[gb + 2 * c] + x1 * coef[gb + 2 * c + 1];
        scratch[PI + c] = probIn[o + c];
      }
      let best = 0;
      for (let c = 1; c < nOut; c++) if (scratch[PI + c] > scratch[PI + best]) best = c;
      const lse = scratch[best] - Math.log(scratch[PI + best]);
      let qq = 0;
      for (let c = 0; c < nOut; c++) {
        const n = counts[o + c];
        if (n !== 0) qq += n * (scratch[c] - lse);
      }
      q += qq;
      const fb = g * nFree;
      if (gc !== null) {
        for (let a = 0; a < nFree; a++) {
          const r = counts[o + free[fb + a]] - total * scratch[PI + free[fb + a]];
          const rb = (fb + a) * 2;
          gc[rb] += r * x0;
          gc[rb + 1] += r * x1;
        }
      }
      if (hm !== null) {
        const x00 = x0 * x0;
        const x01 = x0 * x1;
        const x11 = x1 * x1;
        let ab = WW;
        for (let a = 0; a < nFree; a++) {
          const pa = scratch[PI + free[fb + a]];
          const npa = total * pa;
          scratch[ab++] = npa - npa * pa;
          for (let b = a + 1; b < nFree; b++) scratch[ab++] = -npa * scratch[PI + free[fb + b]];
        }
        let rb = g * nPairs * 3;
        for (let e = 0; e < nPairs; e++, rb += 3) {
          const w = scratch[WW + e];
          hm[rb] += w * x00;
          hm[rb + 1] += w * x01;
          hm[rb + 2] += w * x11;
        }
      }
    }
  }
  return q;
}

/**
 * The gradient part of logitPass from a probability table already computed at the same
 * coefficients (no exp or log): gc[(g*nFree + a)*nCols + j] = sum_p (n_c - N pi_c) x_j,
 * c = free[g, a]. Same operations as logitPass's gradient when `probs` holds the bits logitPass /
 * logitTable produce. Used for the exact log-likelihood gradient (Fisher's identity) right after an
 * E-step, whose probability table is at hand.
 * Layouts: patterns [p*nCols + j]; probs and counts [(p*nGroups + g)*nOut + c]; free [g*nFree + a];
 * gc [(g*nFree + a)*nCols + j].
 */
export function logitGradientFromTable(
  nPatterns: number,
  nGroups: number,
  nOut: number,
  nCols: number,
  nFree: number,
  patterns: Float64Array,
  probs: Float64Array,
  counts: Float64Array,
  free: Int32Array,
  gc: Float64Array,
): void {
  if (patterns.length < nPatterns * nCols) throw new RangeError(`patterns: length ${patterns.length} < ${nPatterns * nCols}`);
  if (probs.length < nPatterns * nGroups * nOut) throw new RangeError(`probs: length ${probs.length} < ${nPatterns * nGroups * nOut}`);
  if (counts.length !== nPatterns * nGroups * nOut) throw new RangeError(`counts: length ${counts.length} != ${nPatterns * nGroups * nOut}`);
  if (free.length !== nGroups * nFree) throw new RangeError(`free: length ${free.length} != ${nGroups * nFree}`);
  if (gc.length !== nGroups * nFree * nCols) throw new RangeError(`gc: length ${gc.length} != ${nGroups * nFree * nCols}`);
  gc.fill(0);
  for (let p = 0; p < nPatterns; p++) {
    const xb = p * nCols;
    for (let g = 0; g < nGroups; g++) {
      const o = (p * nGroups + g) * nOut;
      let total = 0;
      for (let c = 0; c < nOut; c++) total += counts[o + c];
      if (total === 0) continue;
      const fb = g * nFree;
      for (let a = 0; a < nFree; a++) {
        const c = free[fb + a];
        const r = counts[o + c] - total * probs[o + c];
        const rb = (fb + a) * nCols;
        for (let j = 0; j < nCols; j++) gc[rb + j] += r * patterns[xb + j];
      }
    }
  }
}
