import { describe, expect, it } from 'vitest';
import { createViterbiWork, viterbi } from '../../src/kernels/viterbi.js';
import { checkHmmInputs } from '../../src/kernels/hmmInputs.js';
import { Rng } from '../../src/estimation/rng.js';
import { assertClose } from '../helpers/assert.js';
import { bruteForce, logTables, randomProblem } from './bruteForce.js';

describe('viterbi', () => {
  it('equals the brute-force argmax over all state paths', () => {
    for (const K of [1, 2, 3, 4]) {
      for (let rep = 0; rep < 6; rep++) {
        const p = randomProblem(new Rng(41 + K, rep), { K, V: 3, lengths: [5, 1, 0, 4, 3], nInit: 2, nTrans: 3, nEmis: 2, missing: 0.2 });
        const bf = bruteForce(p);
        const out = new Int32Array(p.voice.length);
        const lp = viterbi(logTables(p), createViterbiWork(K, checkHmmInputs(p)), out);
        expect(Array.from(out), `K=${K} rep ${rep}`).toEqual(Array.from(bf.viterbi));
        assertClose(lp, bf.viterbiLogProb, { atol: 1e-10 });
      }
    }
  });
  it('rejects bad sizes', () => {
    const p = logTables(randomProblem(new Rng(1), { K: 2, V: 3, lengths: [3, 2], nInit: 1, nTrans: 1, nEmis: 1, missing: 0 }));
    expect(() => viterbi(p, createViterbiWork(2, 3), new Int32Array(4))).toThrow(RangeError);
    expect(() => viterbi(p, createViterbiWork(2, 2), new Int32Array(5))).toThrow(RangeError);
    expect(() => viterbi(p, createViterbiWork(3, 3), new Int32Array(5))).toThrow(RangeError);
  });
});
