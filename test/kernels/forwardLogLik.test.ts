import { describe, expect, it } from 'vitest';
import { createFbWork, forwardBackward } from '../../src/kernels/forwardBackward.js';
import { forwardLogLik } from '../../src/kernels/forwardLogLik.js';
import { checkHmmInputs } from '../../src/kernels/hmmInputs.js';
import { Rng } from '../../src/estimation/rng.js';
import { assertClose } from '../helpers/assert.js';
import { bruteForce, randomProblem } from './bruteForce.js';

describe('forwardLogLik', () => {
  it('equals enumeration, in total and per sequence', () => {
    for (const K of [1, 2, 3]) {
      for (let rep = 0; rep < 4; rep++) {
        const p = randomProblem(new Rng(31 + K, rep), { K, V: 3, lengths: [4, 1, 0, 5, 3], nInit: 2, nTrans: 3, nEmis: 2, missing: 0.2 });
        const bf = bruteForce(p);
        const per = new Float64Array(5);
        const ll = forwardLogLik(p, createFbWork(K, checkHmmInputs(p)), per);
        assertClose(ll, bf.logLik, { atol: 1e-10 }, `K=${K} logLik`);
        assertClose(per, bf.perSequence, { atol: 1e-10 }, `K=${K} per sequence`);
      }
    }
  });
  it('gives bit-for-bit the log-likelihood of forward-backward (one numeric path)', () => {
    for (const K of [1, 2, 3, 5]) {
      const p = randomProblem(new Rng(9, K), { K, V: 4, lengths: [50, 1, 0, 200, 37], nInit: 2, nTrans: 3, nEmis: 5, missing: 0.1 });
      const work = createFbWork(K, checkHmmInputs(p));
      const counts = { init: new Float64Array(p.initProb.length), trans: new Float64Array(p.transProb.length), emis: new Float64Array(p.emisProb.length) };
      expect(forwardLogLik(p, work)).toBe(forwardBackward(p, work, counts));
    }
  });

  it('rejects bad sizes', () => {
    const p = randomProblem(new Rng(1), { K: 2, V: 3, lengths: [3, 2], nInit: 1, nTrans: 1, nEmis: 1, missing: 0 });
    expect(() => forwardLogLik(p, createFbWork(2, 3), new Float64Array(3))).toThrow(RangeError);
    expect(() => forwardLogLik(p, createFbWork(2, 1))).toThrow(RangeError);
    expect(() => forwardLogLik({ ...p, nStates: 0 }, createFbWork(2, 3))).toThrow(RangeError);
  });
});
