import { describe, expect, it } from 'vitest';
import { checkMixtureInputs, createMixtureWork, mixtureEStep, type MixtureInputs } from '../../src/kernels/compileMixtureKernel.js';
import { forwardBackward, createFbWork } from '../../src/kernels/forwardBackward.js';
import { Rng } from '../../src/estimation/rng.js';
import { assertClose } from '../helpers/assert.js';
import { bruteForceMixture, randomMixtureProblem } from './bruteForceMixture.js';
import { randomProblem } from './bruteForce.js';

function counts(p: MixtureInputs) {
  return { member: new Float64Array(p.memberProb.length), init: new Float64Array(p.initProb.length), trans: new Float64Array(p.transProb.length), emis: new Float64Array(p.emisProb.length) };
}

const shapes = [
  { label: 'C=2 K=2, every block class-specific', C: 2, K: 2, shared: [] as ('init' | 'trans' | 'emis')[] },
  { label: 'C=3 K=2, transition shared', C: 3, K: 2, shared: ['trans'] as ('init' | 'trans' | 'emis')[] },
  { label: 'C=2 K=3, initial and emission shared', C: 2, K: 3, shared: ['init', 'emis'] as ('init' | 'trans' | 'emis')[] },
];

describe('mixture kernel equals enumeration over every class x state path', () => {
  for (const sh of shapes) {
    it(sh.label, () => {
      for (let rep = 0; rep < 3; rep++) {
        const rng = new Rng(300 + rep, sh.C * 10 + sh.K);
        const lengths = sh.K === 3 ? [4, 1, 5, 2] : [6, 1, 3, 5, 2];
        const p = randomMixtureProblem(rng, { ...sh, V: 3, lengths, nInit: 2, nTrans: 3, nEmis: 3, nMember: 2, missing: 0.2 });
        const maxLen = checkMixtureInputs(p);
        const bf = bruteForceMixture(p);
        const work = createMixtureWork(sh.C, sh.K, maxLen);
        const c = counts(p);
        const nSeq = p.offsets.length - 1;
        const classPost = new Float64Array(nSeq * sh.C);
        const gamma = new Float64Array(p.voice.length * sh.K);
        const perSeq = new Float64Array(nSeq);
        const ll = mixtureEStep(p, work, c, { classPost, gamma, perSeq });
        assertClose(ll, bf.logLik, { atol: 1e-10 }, 'logLik');
        assertClose(perSeq, bf.perSequence, { atol: 1e-10 }, 'perSeq');
        assertClose(classPost, bf.classPost, { atol: 1e-10 }, 'class posteriors');
        assertClose(gamma, bf.gamma, { atol: 1e-10 }, 'gamma');
        assertClose(c.member, bf.member, { atol: 1e-10 }, 'membership counts');
        assertClose(c.init, bf.init, { atol: 1e-10 }, 'initial counts');
        assertClose(c.trans, bf.trans, { atol: 1e-10 }, 'transition counts');
        assertClose(c.emis, bf.emis, { atol: 1e-10 }, 'emission counts');
        // the forward pass alone gives the same log-likelihood, to the bit
        const perSeq2 = new Float64Array(nSeq);
        expect(mixtureEStep(p, work, null, { perSeq: perSeq2 })).toBe(ll);
        expect(Array.from(perSeq2)).toEqual(Array.from(perSeq));
        // sequence ranges (shards) add up to the whole
        const c2 = counts(p);
        const post2 = new Float64Array(nSeq * sh.C);
        const split = mixtureEStep(p, work, c2, { classPost: post2 }, 0, 2) + mixtureEStep(p, work, c2, { classPost: post2 }, 2, nSeq);
        assertClose(split, ll, { atol: 1e-12 }, 'shards logLik');
        assertClose(post2, classPost, { atol: 0 }, 'shards class posteriors');
        assertClose(c2.emis, c.emis, { atol: 1e-14 }, 'shards emission counts');
      }
    });
  }

  it('one class is the one-class kernel to the last bit', () => {
    const rng = new Rng(9);
    const q = randomProblem(rng, { K: 3, V: 4, lengths: [7, 1, 4, 9], nInit: 2, nTrans: 3, nEmis: 4, missing: 0.25 });
    const p: MixtureInputs = { ...q, nClasses: 1, memberIndex: new Int32Array(4), memberProb: Float64Array.of(1), initStride: 0, transStride: 0, emisStride: 0 };
    const one = { init: new Float64Array(q.initProb.length), trans: new Float64Array(q.transProb.length), emis: new Float64Array(q.emisProb.length) };
    const g1 = new Float64Array(q.voice.length * 3);
    const ll1 = forwardBackward(q, createFbWork(3, 9), one, g1);
    const c = counts(p);
    const g2 = new Float64Array(q.voice.length * 3);
    const ll2 = mixtureEStep(p, createMixtureWork(1, 3, 9), c, { gamma: g2 });
    expect(ll2).toBe(ll1);
    expect(Array.from(c.trans)).toEqual(Array.from(one.trans));
    expect(Array.from(c.emis)).toEqual(Array.from(one.emis));
    expect(Array.from(c.init)).toEqual(Array.from(one.init));
    expect(Array.from(g2)).toEqual(Array.from(g1));
  });

  it('an impossible sequence in one class leaves it to the others; in every class -Infinity', () => {
    const rng = new Rng(4);
    const p = randomMixtureProblem(rng, { C: 2, K: 2, V: 2, lengths: [3, 2], nInit: 1, nTrans: 1, nEmis: 1, nMember: 1, missing: 0, shared: [] });
    p.voice.fill(0);
    // class 1 never emits voice 0
    for (let k = 0; k < 2; k++) {
      p.emisProb[k * 2] = 0;
      p.emisProb[k * 2 + 1] = 1;
    }
    const bf = bruteForceMixture(p);
    const c = counts(p);
    const post = new Float64Array(4);
    assertClose(mixtureEStep(p, createMixtureWork(2, 2, 3), c, { classPost: post }), bf.logLik, { atol: 1e-12 });
    expect(Array.from(post)).toEqual([0, 1, 0, 1]);
    for (let k = 0; k < 2; k++) p.emisProb[4 + k * 2] = 0;
    expect(mixtureEStep(p, createMixtureWork(2, 2, 3), counts(p))).toBe(-Infinity);
  });

  it('rejects bad sizes with RangeError', () => {
    const rng = new Rng(2);
    const p = randomMixtureProblem(rng, { C: 2, K: 2, V: 3, lengths: [3, 2], nInit: 1, nTrans: 2, nEmis: 2, nMember: 1, missing: 0, shared: [] });
    expect(() => checkMixtureInputs({ ...p, initProb: p.initProb.subarray(1) })).toThrow(RangeError);
    expect(() => checkMixtureInputs({ ...p, memberIndex: Int32Array.of(0, 3) })).toThrow(RangeError);
    expect(() => checkMixtureInputs({ ...p, transStride: 3 })).toThrow(RangeError);
    expect(() => mixtureEStep(p, createMixtureWork(3, 2, 3), counts(p))).toThrow(RangeError);
    expect(() => mixtureEStep(p, createMixtureWork(2, 2, 3), counts(p), { classPost: new Float64Array(3) })).toThrow(RangeError);
  });
});
