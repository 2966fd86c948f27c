/**
 * Probability (or log-probability) table of a grouped multinomial logit at given design rows:
 * a pure kernel, run once per EM iteration over every distinct design row, hence hand-written.
 *
 * Layouts:
 *   rows   row-major [p*nCols + j]
 *   coef   row-major [(g*nOut + c)*nCols + j]
 *   out    row-major [(p*nGroups + g)*nOut + c]
 *   eta    scratch, length >= nOut
 * Every group must have a reference outcome whose coefficients are all 0, so that
 * sum_c exp(eta_c) >= 1 and no max-shift is needed unless some eta could overflow (> 700).
 */
export function logitTable(
  nPatterns: number,
  nGroups: number,
  nOut: number,
  nCols: number,
  rows: Float64Array,
  coef: Float64Array,
  log: boolean,
  out: Float64Array,
  eta: Float64Array,
): void {
  if (rows.length < nPatterns * nCols) throw new RangeError(`rows: length ${rows.length}, need ${nPatterns * nCols}`);
  if (coef.length !== nGroups * nOut * nCols) throw new RangeError(`coef: length ${coef.length} != ${nGroups * nOut * nCols}`);
  if (out.length < nPatterns * nGroups * nOut) throw new RangeError(`out: length ${out.length}, need ${nPatterns * nGroups * nOut}`);
  if (eta.length < nOut) throw new RangeError(`eta: length ${eta.length} < ${nOut}`);
  for (let p = 0; p < nPatterns; p++) {
    const xb = p * nCols;
    for (let g = 0; g < nGroups; g++) {
      const o = (p * nGroups + g) * nOut;
      let max = -Infinity;
      for (let c = 0; c < nOut; c++) {
        const cb = (g * nOut + c) * nCols;
        let v = 0;
        for (let j = 0; j < nCols; j++) v += rows[xb + j] * coef[cb + j];
        eta[c] = v;
        if (v > max) max = v;
      }
      const shift = max > 700 ? max : 0;
      let sum = 0;
      for (let c = 0; c < nOut; c++) {
        const d = eta[c] - shift;
        const e = d === 0 ? 1 : Math.exp(d);
        out[o + c] = e;
        sum += e;
      }
      if (log) {
        const lse = shift + Math.log(sum);
        for (let c = 0; c < nOut; c++) out[o + c] = eta[c] - lse;
      } else {
        const inv = 1 / sum;
        for (let c = 0; c < nOut; c++) out[o + c] *= inv;
      }
    }
  }
}
