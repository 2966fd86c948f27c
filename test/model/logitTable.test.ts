import { describe, expect, it } from 'vitest';
import { logitTable } from '../../src/model/logitTable.js';
import { Rng } from '../../src/estimation/rng.js';

/** The table by plain loops (the reference the compiled shapes must match to the last bit). */
function reference(nPatterns: number, nGroups: number, nOut: number, nCols: number, rows: Float64Array, coef: Float64Array, log: boolean): Float64Array {
  const out = new Float64Array(nPatterns * nGroups * nOut);
  const eta = new Float64Array(nOut);
  for (let p = 0; p < nPatterns; p++) {
    for (let g = 0; g < nGroups; g++) {
      const o = (p * nGroups + g) * nOut;
      let max = -Infinity;
      for (let c = 0; c < nOut; c++) {
        let v = 0;
        for (let j = 0; j < nCols; j++) v += rows[p * nCols + j] * coef[(g * nOut + c) * nCols + j];
        eta[c] = v;
        if (v > max) max = v;
      }
      const shift = max > 700 ? max : 0;
      let sum = 0;
      for (let c = 0; c < nOut; c++) {
        const d = eta[c] - shift;
        out[o + c] = d === 0 ? 1 : Math.exp(d);
        sum += out[o + c];
      }
      if (log) for (let c = 0; c < nOut; c++) out[o + c] = eta[c] - (shift + Math.log(sum));
      else for (let c = 0; c < nOut; c++) out[o + c] *= 1 / sum;
    }
  }
  return out;
}

describe('logitTable', () => {
  it('compiled shapes give the plain loops\' table to the last bit (probabilities and logs, large logits too)', () => {
    const rng = new Rng(3);
    for (const [G, O, J] of [[1, 2, 1], [3, 4, 2], [3, 3, 3], [5, 4, 5], [2, 8, 8], [3, 9, 8]]) {
      const P = 50;
      const rows = Float64Array.from({ length: P * J }, (_, i) => (i % J === 0 ? 1 : Math.round(rng.normal() * 8) / 4));
      const coef = new Float64Array(G * O * J);
      for (let g = 0; g < G; g++) for (let c = 1; c < O; c++) for (let j = 0; j < J; j++) coef[(g * O + c) * J + j] = (g === 1 && c === 1 ? 400 : 2) * rng.normal();
      for (const log of [false, true]) {
        const out = new Float64Array(P * G * O);
        logitTable(P, G, O, J, rows, coef, log, out, new Float64Array(O));
        expect(Array.from(out), `${G}x${O}x${J} ${log ? 'log' : 'prob'}`).toEqual(Array.from(reference(P, G, O, J, rows, coef, log)));
      }
    }
  });
});
