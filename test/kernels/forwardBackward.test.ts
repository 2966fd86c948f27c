import { describe, expect, it } from 'vitest';
import { createFbWork, forwardBackward } from '../../src/kernels/forwardBackward.js';
import { checkHmmInputs, type HmmInputs } from '../../src/kernels/hmmInputs.js';
import { Rng } from '../../src/estimation/rng.js';
import { assertClose } from '../helpers/assert.js';
import { bruteForce, randomProblem, type ProblemShape } from './bruteForce.js';

function runFb(p: HmmInputs) {
  const maxLen = checkHmmInputs(p);
  const work = createFbWork(p.nStates, maxLen);
  const counts = {
    init: new Float64Array(p.initProb.length),
    trans: new Float64Array(p.transProb.length),
    emis: new Float64Array(p.emisProb.length),
  };
  const gamma = new Float64Array(p.voice.length * p.nStates);
  const logLik = forwardBackward(p, work, counts, gamma);
  return { logLik, counts, gamma, work };
}

const shapes: [string, ProblemShape][] = [
  ['K=1', { K: 1, V: 3, lengths: [1, 4, 3], nInit: 1, nTrans: 1, nEmis: 2, missing: 0.2 }],
  ['K=2 no covariates', { K: 2, V: 3, lengths: [5, 1, 3, 6], nInit: 1, nTrans: 1, nEmis: 1, missing: 0 }],
  ['K=2 patterns everywhere, missing voice', { K: 2, V: 4, lengths: [7, 1, 0, 4, 2], nInit: 2, nTrans: 3, nEmis: 3, missing: 0.3 }],
  ['K=3 patterns everywhere, missing voice', { K: 3, V: 3, lengths: [5, 1, 4, 6, 2], nInit: 2, nTrans: 4, nEmis: 3, missing: 0.25 }],
  ['K=3 all voice missing in a sequence', { K: 3, V: 2, lengths: [3, 4], nInit: 1, nTrans: 2, nEmis: 2, missing: 1 }],
  ['K=4 short sequences', { K: 4, V: 3, lengths: [4, 3, 1, 5], nInit: 3, nTrans: 2, nEmis: 2, missing: 0.1 }],
  ['K=5', { K: 5, V: 4, lengths: [4, 1, 3], nInit: 2, nTrans: 3, nEmis: 2, missing: 0.1 }],
  ['K=6', { K: 6, V: 2, lengths: [3, 4], nInit: 1, nTrans: 2, nEmis: 2, missing: 0.2 }],
];

describe('forwardBackward equals enumeration over all state paths', () => {
  for (const [label, shape] of shapes) {
    it(label, () => {
      for (let rep = 0; rep < 5; rep++) {
        const p = randomProblem(new Rng(11, rep + 100 * shape.K), shape);
        const bf = bruteForce(p);
        const fb = runFb(p);
        assertClose(fb.logLik, bf.logLik, { atol: 1e-10 }, `${label} logLik`);
        assertClose(fb.gamma, bf.gamma, { atol: 1e-10 }, `${label} gamma`);
        assertClose(fb.counts.init, bf.init, { atol: 1e-10 }, `${label} init counts`);
        assertClose(fb.counts.trans, bf.trans, { atol: 1e-10 }, `${label} transition counts (xi)`);
        assertClose(fb.counts.emis, bf.emis, { atol: 1e-10 }, `${label} emission counts`);
      }
    });
  }

  it('a sequence whose rows all miss voice has likelihood 1 and prior posteriors', () => {
    const p = randomProblem(new Rng(3), { K: 3, V: 2, lengths: [4], nInit: 1, nTrans: 1, nEmis: 1, missing: 1 });
    const fb = runFb(p);
    expect(Math.abs(fb.logLik)).toBeLessThan(1e-14);
    // gamma at t=0 is the initial distribution
    assertClose(fb.gamma.subarray(0, 3), p.initProb, { atol: 1e-14 });
  });

  it('adds to the counts it is given (the caller zeroes them)', () => {
    const p = randomProblem(new Rng(5), shapes[3][1]);
    const a = runFb(p);
    const counts = { init: a.counts.init.slice(), trans: a.counts.trans.slice(), emis: a.counts.emis.slice() };
    forwardBackward(p, a.work, counts);
    assertClose(counts.trans, a.counts.trans.map((x) => 2 * x), { atol: 1e-12 });
    assertClose(counts.emis, a.counts.emis.map((x) => 2 * x), { atol: 1e-12 });
  });

  it('counts sum to the number of transitions, observed rows and sequences', () => {
    const shape = shapes[3][1];
    const p = randomProblem(new Rng(8), shape);
    const fb = runFb(p);
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    const nonEmpty = shape.lengths.filter((l) => l > 0).length;
    const nTransitions = shape.lengths.reduce((a, l) => a + Math.max(0, l - 1), 0);
    const observed = Array.from(p.voice).filter((v) => v >= 0).length;
    assertClose(sum(fb.counts.init), nonEmpty, { atol: 1e-12 });
    assertClose(sum(fb.counts.trans), nTransitions, { atol: 1e-12 });
    assertClose(sum(fb.counts.emis), observed, { atol: 1e-12 });
  });
});

describe('forwardBackward on long sequences (scaling)', () => {
  it('matches an independent log-space forward recursion where the raw likelihood underflows', () => {
    const K = 3;
    const p = randomProblem(new Rng(21), { K, V: 4, lengths: [3000, 1500], nInit: 1, nTrans: 2, nEmis: 2, missing: 0.05 });
    const fb = runFb(p);
    // log-space forward with log-sum-exp, written independently of the kernel
    let ll = 0;
    for (let s = 0; s + 1 < p.offsets.length; s++) {
      const r0 = p.offsets[s];
      const r1 = p.offsets[s + 1];
      let la = new Array<number>(K);
      for (let k = 0; k < K; k++) {
        const v = p.voice[r0];
        la[k] = Math.log(p.initProb[k]) + (v >= 0 ? Math.log(p.emisProb[(p.emisIndex[r0] * K + k) * p.nVoice + v]) : 0);
      }
      for (let r = r0 + 1; r < r1; r++) {
        const next = new Array<number>(K);
        for (let j = 0; j < K; j++) {
          const terms = la.map((a, i) => a + Math.log(p.transProb[(p.transIndex[r] * K + i) * K + j]));
          const m = Math.max(...terms);
          const v = p.voice[r];
          next[j] = m + Math.log(terms.reduce((acc, x) => acc + Math.exp(x - m), 0)) + (v >= 0 ? Math.log(p.emisProb[(p.emisIndex[r] * K + j) * p.nVoice + v]) : 0);
        }
        la = next;
      }
      const m = Math.max(...la);
      ll += m + Math.log(la.reduce((acc, x) => acc + Math.exp(x - m), 0));
    }
    expect(fb.logLik).toBeLessThan(-3000); // far below what a raw product could represent
    assertClose(fb.logLik, ll, { rtol: 1e-12 }, 'long-sequence logLik');
    for (let r = 0; r < p.voice.length; r++) {
      const g = fb.gamma[r * K] + fb.gamma[r * K + 1] + fb.gamma[r * K + 2];
      if (Math.abs(g - 1) > 1e-10) throw new Error(`gamma row ${r} sums to ${g}`);
    }
  });

  it('returns -Infinity when the data are impossible under the parameters', () => {
    const p = randomProblem(new Rng(2), { K: 2, V: 2, lengths: [3], nInit: 1, nTrans: 1, nEmis: 1, missing: 0 });
    p.emisProb.set([1, 0, 1, 0]); // voice 1 impossible in every state
    p.voice.set([0, 1, 0]);
    expect(runFb(p).logLik).toBe(-Infinity);
  });
});

describe('forwardBackward size checks', () => {
  const base = () => randomProblem(new Rng(1), { K: 2, V: 3, lengths: [3, 2], nInit: 1, nTrans: 2, nEmis: 2, missing: 0 });
  const counts = (p: HmmInputs) => ({
    init: new Float64Array(p.initProb.length),
    trans: new Float64Array(p.transProb.length),
    emis: new Float64Array(p.emisProb.length),
  });
  it('rejects mismatched lengths with RangeError', () => {
    const p = base();
    const w = createFbWork(2, 3);
    expect(() => forwardBackward({ ...p, voice: new Int32Array(4) }, w, counts(p))).toThrow(RangeError);
    expect(() => forwardBackward({ ...p, transIndex: new Int32Array(2) }, w, counts(p))).toThrow(RangeError);
    expect(() => forwardBackward({ ...p, emisProb: new Float64Array(5) }, w, counts(p))).toThrow(RangeError);
    expect(() => forwardBackward({ ...p, initIndex: new Int32Array(1) }, w, counts(p))).toThrow(RangeError);
    expect(() => forwardBackward(p, w, { ...counts(p), trans: new Float64Array(3) })).toThrow(RangeError);
    expect(() => forwardBackward(p, w, counts(p), new Float64Array(3))).toThrow(RangeError);
    expect(() => forwardBackward(p, createFbWork(3, 3), counts(p))).toThrow(RangeError);
    expect(() => forwardBackward(p, createFbWork(2, 2), counts(p))).toThrow(RangeError);
  });
  it('checkHmmInputs rejects out-of-range contents', () => {
    const p = base();
    expect(checkHmmInputs(p)).toBe(3);
    expect(() => checkHmmInputs({ ...p, voice: Int32Array.from([0, 1, 3, 0, 0]) })).toThrow(RangeError);
    expect(() => checkHmmInputs({ ...p, emisIndex: Int32Array.from([0, 0, 2, 0, 0]) })).toThrow(RangeError);
    expect(() => checkHmmInputs({ ...p, transIndex: Int32Array.from([0, 0, 0, 0, -1]) })).toThrow(RangeError);
    expect(() => checkHmmInputs({ ...p, initIndex: Int32Array.from([0, 1]) })).toThrow(RangeError);
    expect(() => checkHmmInputs({ ...p, offsets: Int32Array.from([0, 4, 5]) })).not.toThrow();
    expect(() => checkHmmInputs({ ...p, offsets: Int32Array.from([0, 4, 3]), voice: new Int32Array(3), transIndex: new Int32Array(3), emisIndex: new Int32Array(3) })).toThrow(RangeError);
    // first-row transition pattern is never used, so any value is accepted there
    expect(() => checkHmmInputs({ ...p, transIndex: Int32Array.from([99, 0, 0, -5, 1]) })).not.toThrow();
  });
});
