/**
 * logitPass (objective, gradient, Hessian of a grouped multinomial logit's M-step) over counts held
 * per observed unit grouped by pattern instead of per pattern x group x outcome: a pure kernel, hot
 * (one or two passes per EM iteration over every distinct design row), hence hand-written.
 *
 * Why: with a stock or continuous covariate nearly every panel row has its own design pattern and
 * observes one outcome, so the per-pattern count table is mostly zeros (nOut - 1 of every nOut
 * entries). Units are the distinct (pattern, observed outcome) pairs; each carries nGroups counts.
 *
 * Layouts:
 *   patterns  row-major [p*nCols + j]
 *   coef      row-major [(g*nOut + c)*nCols + j]
 *   start     Int32Array(nPatterns+1): units of pattern p are start[p] .. start[p+1]-1, in
 *             increasing outcome order (at most one unit per outcome)
 *   outcome   Int32Array(nUnits): the unit's outcome, in [0, nOut)
 *   counts    row-major [u*nGroups + g]: weight of group g on unit u
 *   free, gc, hm, scratch as logitPass (scratch length >= 3*nOut + nTri + nPairs here: the last
 *             nOut entries hold one group's counts by outcome)
 *   probIn    optional, row-major [(p*nGroups + g)*nOut + c]: the probability table at these
 *             coefficients (as logitTable computes it); used instead of exp when given
 *   probOut   optional, same layout: filled with that table (every pattern-group, counts or not)
 * The operations per pattern-group are logitPass's, in the same order, on the counts a per-pattern
 * table would hold (zero entries skipped as there), so the results have the same bits.
 */
export function logitGroupedPass(
  nPatterns: number,
  nGroups: number,
  nOut: number,
  nCols: number,
  nFree: number,
  patterns: Float64Array,
  coef: Float64Array,
  start: Int32Array,
  outcome: Int32Array,
  counts: Float64Array,
  free: Int32Array,
  gc: Float64Array | null,
  hm: Float64Array | null,
  scratch: Float64Array,
  probIn: Float64Array | null,
  probOut: Float64Array | null,
): number {
  const nTri = (nCols * (nCols + 1)) / 2;
  const nPairs = (nFree * (nFree + 1)) / 2;
  const table = nPatterns * nGroups * nOut;
  if (patterns.length < nPatterns * nCols) throw new RangeError(`patterns: length ${patterns.length} < ${nPatterns * nCols}`);
  if (coef.length !== nGroups * nOut * nCols) throw new RangeError(`coef: length ${coef.length} != ${nGroups * nOut * nCols}`);
  if (start.length !== nPatterns + 1) throw new RangeError(`start: length ${start.length} != ${nPatterns + 1}`);
  const nUnits = start[nPatterns];
  if (outcome.length !== nUnits) throw new RangeError(`outcome: length ${outcome.length} != ${nUnits} units`);
  if (counts.length !== nUnits * nGroups) throw new RangeError(`counts: length ${counts.length} != ${nUnits * nGroups}`);
  if (free.length !== nGroups * nFree) throw new RangeError(`free: length ${free.length} != ${nGroups * nFree}`);
  if (gc && gc.length !== nGroups * nFree * nCols) throw new RangeError(`gc: length ${gc.length} != ${nGroups * nFree * nCols}`);
  if (hm && hm.length !== nGroups * nPairs * nTri) throw new RangeError(`hm: length ${hm.length} != ${nGroups * nPairs * nTri}`);
  if (scratch.length < 3 * nOut + nTri + nPairs) throw new RangeError(`scratch: length ${scratch.length} < ${3 * nOut + nTri + nPairs}`);
  if (probIn && probIn.length < table) throw new RangeError(`probIn: length ${probIn.length} < ${table}`);
  if (probOut && probOut.length < table) throw new RangeError(`probOut: length ${probOut.length} < ${table}`);
  if (probIn && probOut) throw new RangeError('probIn and probOut: give at most one');
  // scratch layout: eta [0, nOut), pi [nOut, 2 nOut), n [2 nOut, 3 nOut), xx [3 nOut, +nTri), ww [.., +nPairs)
  const PI = nOut;
  const N = 2 * nOut;
  const XX = 3 * nOut;
  const WW = XX + nTri;
  if (gc) gc.fill(0);
  if (hm) hm.fill(0);
  let q = 0;
  for (let p = 0; p < nPatterns; p++) {
    const u0 = start[p];
    const u1 = start[p + 1];
    if (u0 === u1 && probOut === null) continue;
    const xb = p * nCols;
    let xxDone = false;
    for (let g = 0; g < nGroups; g++) {
      const o = (p * nGroups + g) * nOut;
      for (let c = 0; c < nOut; c++) scratch[N + c] = 0;
      for (let u = u0; u < u1; u++) scratch[N + outcome[u]] = counts[u * nGroups + g];
      let total = 0;
      for (let c = 0; c < nOut; c++) total += scratch[N + c];
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
          const pc = scratch[PI + c] * inv;
          scratch[PI + c] = pc;
          if (probOut !== null) probOut[o + c] = pc;
        }
      }
      if (total === 0) continue; // probabilities only: no information, and the design row may not be finite
      let best = 0;
      for (let c = 1; c < nOut; c++) if (scratch[PI + c] > scratch[PI + best]) best = c;
      const lse = scratch[best] - Math.log(scratch[PI + best]);
      let qq = 0;
      for (let c = 0; c < nOut; c++) {
        const n = scratch[N + c];
        if (n !== 0) qq += n * (scratch[c] - lse);
      }
      q += qq;
      const fb = g * nFree;
      if (gc !== null) {
        for (let a = 0; a < nFree; a++) {
          const c = free[fb + a];
          const r = scratch[N + c] - total * scratch[PI + c];
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
