import { describe, expect, it } from 'vitest';
import { logitGradientFromTable, logitPass } from '../../src/model/logitPass.js';
import { logitTable } from '../../src/model/logitTable.js';
import { Rng } from '../../src/estimation/rng.js';
import { assertClose } from '../helpers/assert.js';

/** A random grouped logit problem: reference outcome `ref` in every group (coefficients 0). */
function problem(seed: number, nCols: number, nPatterns = 40, nGroups = 3, nOut = 4, ref = 2) {
  const rng = new Rng(seed);
  const patterns = new Float64Array(nPatterns * nCols); // [p*nCols + j]
  for (let p = 0; p < nPatterns; p++) {
    patterns[p * nCols] = 1;
    for (let j = 1; j < nCols; j++) patterns[p * nCols + j] = rng.normal() * 2;
  }
  const coef = new Float64Array(nGroups * nOut * nCols); // [(g*nOut + c)*nCols + j]
  for (let g = 0; g < nGroups; g++) for (let c = 0; c < nOut; c++) if (c !== ref) for (let j = 0; j < nCols; j++) coef[(g * nOut + c) * nCols + j] = rng.normal();
  const counts = new Float64Array(nPatterns * nGroups * nOut); // [(p*nGroups + g)*nOut + c]
  for (let i = 0; i < counts.length; i++) counts[i] = rng.uniform() < 0.3 ? 0 : rng.uniform() * 3;
  for (let g = 0; g < nOut; g++) counts[(0 * nGroups + 1) * nOut + g] = 0; // one pattern-group with no weight
  const nFree = nOut - 1;
  const free = new Int32Array(nGroups * nFree); // [g*nFree + a]
  for (let g = 0; g < nGroups; g++) for (let a = 0, c = 0; c < nOut; c++) if (c !== ref) free[g * nFree + a++] = c;
  const nTri = (nCols * (nCols + 1)) / 2;
  const nPairs = (nFree * (nFree + 1)) / 2;
  return { nPatterns, nGroups, nOut, nCols, nFree, nTri, nPairs, patterns, coef, counts, free };
}

/** Objective, coefficient-space gradient and Hessian blocks by direct formulas (independent of the kernel). */
function direct(pr: ReturnType<typeof problem>) {
  const { nPatterns, nGroups, nOut, nCols, nFree, nTri, nPairs, patterns, coef, counts, free } = pr;
  let q = 0;
  const gc = new Float64Array(nGroups * nFree * nCols);
  const hm = new Float64Array(nGroups * nPairs * nTri);
  for (let p = 0; p < nPatterns; p++) {
    for (let g = 0; g < nGroups; g++) {
      const eta = Array.from({ length: nOut }, (_, c) => {
        let v = 0;
        for (let j = 0; j < nCols; j++) v += patterns[p * nCols + j] * coef[(g * nOut + c) * nCols + j];
        return v;
      });
      const lse = Math.log(eta.reduce((a, v) => a + Math.exp(v), 0));
      const pi = eta.map((v) => Math.exp(v - lse));
      const n = Array.from({ length: nOut }, (_, c) => counts[(p * nGroups + g) * nOut + c]);
      const N = n.reduce((a, v) => a + v, 0);
      for (let c = 0; c < nOut; c++) q += n[c] * (eta[c] - lse);
      for (let a = 0; a < nFree; a++) {
        const c = free[g * nFree + a];
        for (let j = 0; j < nCols; j++) gc[(g * nFree + a) * nCols + j] += (n[c] - N * pi[c]) * patterns[p * nCols + j];
      }
      let ab = 0;
      for (let a = 0; a < nFree; a++) {
        for (let b = a; b < nFree; b++, ab++) {
          const pa = pi[free[g * nFree + a]];
          const pb = pi[free[g * nFree + b]];
          const w = N * (a === b ? pa - pa * pb : -pa * pb);
          let jk = 0;
          for (let j = 0; j < nCols; j++) for (let k = j; k < nCols; k++, jk++) hm[(g * nPairs + ab) * nTri + jk] += w * patterns[p * nCols + j] * patterns[p * nCols + k];
        }
      }
    }
  }
  return { q, gc, hm };
}

describe('logitPass', () => {
  for (const nCols of [1, 2, 3]) {
    it(`objective, gradient and Hessian equal direct formulas (nCols ${nCols}${nCols === 2 ? ', unrolled path' : ''})`, () => {
      for (let seed = 1; seed <= 4; seed++) {
        const pr = problem(seed * 7 + nCols, nCols);
        const gc = new Float64Array(pr.nGroups * pr.nFree * nCols);
        const hm = new Float64Array(pr.nGroups * pr.nPairs * pr.nTri);
        const scratch = new Float64Array(2 * pr.nOut + pr.nTri + pr.nPairs);
        const q = logitPass(pr.nPatterns, pr.nGroups, pr.nOut, nCols, pr.nFree, pr.patterns, pr.coef, pr.counts, pr.free, gc, hm, scratch);
        const d = direct(pr);
        assertClose(q, d.q, { atol: 1e-10, rtol: 1e-12 }, 'objective');
        assertClose(gc, d.gc, { atol: 1e-10, rtol: 1e-12 }, 'gradient');
        assertClose(hm, d.hm, { atol: 1e-10, rtol: 1e-12 }, 'hessian');
      }
    });

    it(`a given probability table gives the same bits as computing it (nCols ${nCols})`, () => {
      const pr = problem(100 + nCols, nCols);
      const len = pr.nPatterns * pr.nGroups * pr.nOut;
      const scratch = new Float64Array(2 * pr.nOut + pr.nTri + pr.nPairs);
      const mk = () => ({ gc: new Float64Array(pr.nGroups * pr.nFree * nCols), hm: new Float64Array(pr.nGroups * pr.nPairs * pr.nTri) });
      const a = mk();
      const b = mk();
      const probOut = new Float64Array(len);
      const qa = logitPass(pr.nPatterns, pr.nGroups, pr.nOut, nCols, pr.nFree, pr.patterns, pr.coef, pr.counts, pr.free, a.gc, a.hm, scratch, probOut);
      // the table as logitTable computes it equals the pass's own, bit for bit
      const table = new Float64Array(len);
      logitTable(pr.nPatterns, pr.nGroups, pr.nOut, nCols, pr.patterns, pr.coef, false, table, new Float64Array(pr.nOut));
      expect(Array.from(probOut)).toEqual(Array.from(table));
      const qb = logitPass(pr.nPatterns, pr.nGroups, pr.nOut, nCols, pr.nFree, pr.patterns, pr.coef, pr.counts, pr.free, b.gc, b.hm, scratch, null, table);
      expect(qb).toBe(qa);
      expect(Array.from(b.gc)).toEqual(Array.from(a.gc));
      expect(Array.from(b.hm)).toEqual(Array.from(a.hm));
      const gt = new Float64Array(pr.nGroups * pr.nFree * nCols);
      logitGradientFromTable(pr.nPatterns, pr.nGroups, pr.nOut, nCols, pr.nFree, pr.patterns, table, pr.counts, pr.free, gt);
      expect(Array.from(gt)).toEqual(Array.from(a.gc));
      expect(() => logitPass(pr.nPatterns, pr.nGroups, pr.nOut, nCols, pr.nFree, pr.patterns, pr.coef, pr.counts, pr.free, null, null, scratch, probOut, table)).toThrow(RangeError);
      expect(() => logitGradientFromTable(pr.nPatterns, pr.nGroups, pr.nOut, nCols, pr.nFree, pr.patterns, table, pr.counts, pr.free, new Float64Array(1))).toThrow(RangeError);
    });
  }
});
