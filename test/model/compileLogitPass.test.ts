/**
 * The compiled M-step pass gives logitPass's bits (objective, gradient, Hessian, probability table)
 * for every shape and mode, from per-pattern counts and from the same counts as grouped units.
 */
import { describe, expect, it } from 'vitest';
import { compileLogitPass, type LogitPassShape } from '../../src/model/compileLogitPass.js';
import { logitPass } from '../../src/model/logitPass.js';
import { logitTable } from '../../src/model/logitTable.js';
import { Rng } from '../../src/estimation/rng.js';

/** A random problem; group g's reference outcome is refOf(g) (transition-like when it varies). */
function problem(seed: number, nCols: number, nGroups: number, nOut: number, refOf: (g: number) => number) {
  const rng = new Rng(seed);
  const nPatterns = 50;
  const patterns = new Float64Array(nPatterns * nCols);
  for (let p = 0; p < nPatterns; p++) {
    patterns[p * nCols] = 1;
    for (let j = 1; j < nCols; j++) patterns[p * nCols + j] = p % 7 === 0 ? 0 : rng.normal() * 2;
  }
  const coef = new Float64Array(nGroups * nOut * nCols);
  for (let g = 0; g < nGroups; g++) for (let c = 0; c < nOut; c++) if (c !== refOf(g)) for (let j = 0; j < nCols; j++) coef[(g * nOut + c) * nCols + j] = rng.normal();
  // counts as an E-step leaves them: each pattern sees a few outcomes, every group weighs each seen outcome
  const counts = new Float64Array(nPatterns * nGroups * nOut);
  for (let p = 0; p < nPatterns; p++) {
    if (p % 9 === 4) continue; // a pattern with no observed outcome
    for (let c = 0; c < nOut; c++) {
      if (rng.uniform() < 0.5) continue;
      for (let g = 0; g < nGroups; g++) counts[(p * nGroups + g) * nOut + c] = p % 11 === 3 && g === 1 ? 0 : rng.uniform() * 3;
    }
  }
  const nFree = nOut - 1;
  const free = new Int32Array(nGroups * nFree);
  const fixed = new Uint8Array(nGroups * nOut);
  for (let g = 0; g < nGroups; g++) {
    fixed[g * nOut + refOf(g)] = 1;
    for (let a = 0, c = 0; c < nOut; c++) if (c !== refOf(g)) free[g * nFree + a++] = c;
  }
  // the same counts as grouped units: one unit per (pattern, outcome) with any weight
  const start = new Int32Array(nPatterns + 1);
  const outcome: number[] = [];
  const unitCounts: number[] = [];
  for (let p = 0; p < nPatterns; p++) {
    for (let c = 0; c < nOut; c++) {
      let any = false;
      for (let g = 0; g < nGroups; g++) any = any || counts[(p * nGroups + g) * nOut + c] !== 0;
      if (!any) continue;
      outcome.push(c);
      for (let g = 0; g < nGroups; g++) unitCounts.push(counts[(p * nGroups + g) * nOut + c]);
    }
    start[p + 1] = outcome.length;
  }
  return { nPatterns, nGroups, nOut, nCols, nFree, patterns, coef, counts, free, fixed, start, outcome: Int32Array.from(outcome), unitCounts: Float64Array.from(unitCounts) };
}

const shapes: [string, number, number, number, (g: number) => number][] = [
  ['emission-like, 2 columns', 2, 3, 4, () => 2],
  ['transition-like (reference = staying), 3 columns', 3, 3, 3, (g) => g],
  ['one column', 1, 2, 4, () => 0],
  ['initial-like, 1 group', 2, 1, 3, () => 0],
];

describe('compiled logit pass', () => {
  for (const [label, nCols, nGroups, nOut, refOf] of shapes) {
    it(`${label}: same bits as logitPass in every mode and both count layouts`, () => {
      const pr = problem(11 + nCols + nGroups, nCols, nGroups, nOut, refOf);
      const { nPatterns, nFree, patterns, coef, counts, free, fixed } = pr;
      const nTri = (nCols * (nCols + 1)) / 2;
      const nPairs = (nFree * (nFree + 1)) / 2;
      const table = new Float64Array(nPatterns * nGroups * nOut);
      logitTable(nPatterns, nGroups, nOut, nCols, patterns, coef, false, table, new Float64Array(nOut));
      const scratch = new Float64Array(2 * nOut + nTri + nPairs);
      const nb = new Float64Array(nOut);
      for (const probs of ['exp', 'in', 'out'] as const) {
        for (const [grad, hess] of [[true, true], [true, false], [false, false]] as const) {
          const gcRef = new Float64Array(nGroups * nFree * nCols);
          const hmRef = new Float64Array(nGroups * nPairs * nTri);
          const outRef = new Float64Array(table.length).fill(NaN);
          const qRef = logitPass(nPatterns, nGroups, nOut, nCols, nFree, patterns, coef, counts, free, grad ? gcRef : null, hess ? hmRef : null, scratch, probs === 'out' ? outRef : null, probs === 'in' ? table : null);
          for (const layout of ['patterns', 'units'] as const) {
            const shape: LogitPassShape = { nGroups, nOut, nCols, free, nFree, fixed, layout, grad, hess, probs };
            const gc = new Float64Array(gcRef.length).fill(NaN);
            const hm = new Float64Array(hmRef.length).fill(NaN);
            const out = new Float64Array(table.length).fill(NaN);
            const units = layout === 'units';
            const q = compileLogitPass(shape)(nPatterns, patterns, coef, units ? pr.unitCounts : counts, units ? pr.start : null, units ? pr.outcome : null, grad ? gc : null, hess ? hm : null, probs === 'in' ? table : null, probs === 'out' ? out : null, nb);
            const what = `${probs} grad=${grad} hess=${hess} ${layout}`;
            expect(q, what).toBe(qRef);
            expect(Number.isFinite(q) && q < 0, what).toBe(true);
            if (grad) expect(Array.from(gc), what).toEqual(Array.from(gcRef));
            if (hess) expect(Array.from(hm), what).toEqual(Array.from(hmRef));
            if (probs === 'out') {
              expect(Array.from(out), what).toEqual(Array.from(outRef));
              expect(Array.from(out), what).toEqual(Array.from(table));
            }
          }
        }
      }
    });

    it(`${label}: keeping the log-sum-exps and filling the unit table keep logitPass's bits`, () => {
      const pr = problem(23 + nCols + nGroups, nCols, nGroups, nOut, refOf);
      const { nPatterns, nFree, patterns, coef, counts, free, fixed } = pr;
      const nTri = (nCols * (nCols + 1)) / 2;
      const nPairs = (nFree * (nFree + 1)) / 2;
      const scratch = new Float64Array(2 * nOut + nTri + nPairs);
      const nb = new Float64Array(nOut);
      const gcRef = new Float64Array(nGroups * nFree * nCols);
      const hmRef = new Float64Array(nGroups * nPairs * nTri);
      const table = new Float64Array(nPatterns * nGroups * nOut);
      const qRef = logitPass(nPatterns, nGroups, nOut, nCols, nFree, patterns, coef, counts, free, gcRef, hmRef, scratch, table, null);
      // the log-sum-exp of the likeliest outcome, as logitPass computes it
      const lseRef = new Float64Array(nPatterns * nGroups);
      for (let p = 0; p < nPatterns; p++) {
        for (let g = 0; g < nGroups; g++) {
          const o = (p * nGroups + g) * nOut;
          let best = 0;
          for (let c = 1; c < nOut; c++) if (table[o + c] > table[o + best]) best = c;
          let eta = 0;
          for (let j = 0; j < nCols; j++) eta += patterns[p * nCols + j] * coef[(g * nOut + best) * nCols + j];
          lseRef[p * nGroups + g] = eta - Math.log(table[o + best]);
        }
      }
      for (const layout of ['patterns', 'units'] as const) {
        const units = layout === 'units';
        const args = (probIn: Float64Array | null, probOut: Float64Array | null, gc: Float64Array | null, hm: Float64Array | null) =>
          [nPatterns, patterns, coef, units ? pr.unitCounts : counts, units ? pr.start : null, units ? pr.outcome : null, gc, hm, probIn, probOut, nb] as const;
        // 'out' keeping: the table, every pattern-group's log-sum-exp, the unit table
        const lse = new Float64Array(nPatterns * nGroups).fill(NaN);
        const out = new Float64Array(table.length).fill(NaN);
        const unitOut = units ? new Float64Array(pr.outcome.length * nGroups).fill(NaN) : null;
        const outShape: LogitPassShape = { nGroups, nOut, nCols, free, nFree, fixed, layout, grad: false, hess: false, probs: 'out', keep: true, gather: units };
        const qOut = compileLogitPass(outShape)(...args(null, out, null, null), lse, unitOut);
        expect(qOut, layout).toBe(qRef);
        expect(Array.from(out), layout).toEqual(Array.from(table));
        expect(Array.from(lse), layout).toEqual(Array.from(lseRef));
        if (unitOut !== null) {
          for (let p = 0; p < nPatterns; p++) {
            for (let u = pr.start[p]; u < pr.start[p + 1]; u++) {
              for (let g = 0; g < nGroups; g++) expect(unitOut[u * nGroups + g]).toBe(table[(p * nGroups + g) * nOut + pr.outcome[u]]);
            }
          }
        }
        // 'in' reading them back: logitPass's objective, gradient and Hessian
        const gc = new Float64Array(gcRef.length).fill(NaN);
        const hm = new Float64Array(hmRef.length).fill(NaN);
        const inShape: LogitPassShape = { ...outShape, grad: true, hess: true, probs: 'in' };
        const qIn = compileLogitPass(inShape)(...args(out, null, gc, hm), lse, null);
        expect(qIn, layout).toBe(qRef);
        expect(Array.from(gc), layout).toEqual(Array.from(gcRef));
        expect(Array.from(hm), layout).toEqual(Array.from(hmRef));
        // the 'in' pass really reads the kept values (a changed one changes the objective)
        const bent = lse.slice();
        for (let e = 0; e < bent.length; e++) bent[e] += 1;
        expect(compileLogitPass(inShape)(...args(out, null, gc, hm), bent, null), layout).not.toBe(qRef);
      }
    });
  }
});
