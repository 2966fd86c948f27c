import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/estimation/rng.js';
import type { SubModel } from '../../src/model/subModel.js';
import { createInitialModel } from '../../src/model/initialModel.js';
import { createMultinomialTransitionModel } from '../../src/model/transitionModel.js';
import { OrderedLogit } from '../../src/model/orderedLogit.js';
import { createEmissionModel } from '../../src/model/emissionModel.js';
import { assertClose } from '../helpers/assert.js';
import { fdGradient, fdHessian, maxAbs, randomCounts, randomParams, randomPatternDesign } from './fixtures.js';

interface Case {
  name: string;
  make: (rng: Rng) => SubModel;
  /** State count (for relabelling). */
  K: number;
  /** Where states sit: 'groups+outs' transitions, 'outs' initial, 'groups' emission. */
  states: 'initial' | 'transition' | 'emission';
}

const VOICES = ['complaint', 'compliment', 'neutral', 'silent'];

const CASES: Case[] = [
  ...[2, 3, 4].map<Case>((K) => ({ name: `initial K=${K}`, K, states: 'initial', make: (rng) => createInitialModel(K, randomPatternDesign(rng, 7, 2)) })),
  ...[2, 3, 4].map<Case>((K) => ({
    name: `transition multinomial K=${K}`,
    K,
    states: 'transition',
    make: (rng) => createMultinomialTransitionModel(K, randomPatternDesign(rng, 6, 2)),
  })),
  ...[2, 3, 4, 5].map<Case>((K) => ({ name: `transition ordered K=${K}`, K, states: 'transition', make: (rng) => new OrderedLogit(K, randomPatternDesign(rng, 6, 2)) })),
  { name: 'transition ordered K=3, thresholds only', K: 3, states: 'transition', make: (rng) => new OrderedLogit(3, randomPatternDesign(rng, 1, 0)) },
  { name: 'transition ordered K=3, no intercept column', K: 3, states: 'transition', make: (rng) => new OrderedLogit(3, randomPatternDesign(rng, 5, 1, false)) },
  ...[2, 3].map<Case>((K) => ({
    name: `emission state-specific K=${K}`,
    K,
    states: 'emission',
    make: (rng) => createEmissionModel(K, VOICES, 3, randomPatternDesign(rng, 8, 2), false),
  })),
  ...[2, 3].map<Case>((K) => ({
    name: `emission shared slopes K=${K}`,
    K,
    states: 'emission',
    make: (rng) => createEmissionModel(K, VOICES.slice(0, 3), 0, randomPatternDesign(rng, 8, 2), true),
  })),
];

function probTable(m: SubModel): Float64Array {
  const out = new Float64Array(m.design.nPatterns * m.nGroups * m.nOut);
  m.probabilities(out);
  return out;
}

describe.each(CASES)('$name', ({ make, K, states }) => {
  it('probabilities are a distribution per pattern and group; log table agrees', () => {
    const rng = new Rng(11);
    const m = make(rng);
    randomParams(m, rng, 1.5);
    const p = probTable(m);
    const lp = new Float64Array(p.length);
    m.logProbabilities(lp);
    for (let pg = 0; pg < m.design.nPatterns * m.nGroups; pg++) {
      let s = 0;
      for (let c = 0; c < m.nOut; c++) {
        const v = p[pg * m.nOut + c];
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        s += v;
      }
      assertClose(s, 1, { atol: 1e-14 }, `sum of pattern-group ${pg}`);
    }
    assertClose(lp, Array.from(p, Math.log), { atol: 1e-12 }, 'log probabilities');
    // probabilitiesFor on the model's own rows gives the same table
    const q = new Float64Array(p.length);
    m.probabilitiesFor(m.design.patterns, m.design.nPatterns, q);
    assertClose(q, p, { atol: 0 }, 'probabilitiesFor');
  });

  it('analytic gradient and Hessian equal finite differences (random parameters and weights)', () => {
    for (let rep = 0; rep < 4; rep++) {
      const rng = new Rng(100 + rep);
      const m = make(rng);
      randomParams(m, rng, 0.8);
      const counts = randomCounts(m, rng);
      const ridge = rep % 2 === 0 ? 0 : 0.3;
      const g = new Float64Array(m.nParams);
      m.gradient(counts, ridge, g);
      assertClose(g, fdGradient(m, counts, ridge, 1e-5), { atol: 1e-6, rtol: 1e-6 }, 'gradient');
      const H = new Float64Array(m.nParams * m.nParams);
      m.hessian(counts, ridge, H);
      assertClose(H, fdHessian(m, counts, ridge, 1e-5), { atol: 1e-6, rtol: 1e-6 }, 'Hessian');
      for (let a = 0; a < m.nParams; a++) {
        for (let b = 0; b < a; b++) assertClose(H[a * m.nParams + b], H[b * m.nParams + a], { atol: 1e-10, rtol: 1e-12 }, `symmetry ${a},${b}`);
      }
    }
  });

  it('Newton M-step never lowers the objective and ends at a stationary point', () => {
    for (let rep = 0; rep < 4; rep++) {
      const rng = new Rng(200 + rep);
      const m = make(rng);
      randomParams(m, rng, 2);
      const counts = randomCounts(m, rng, 0);
      const ridge = 1e-3;
      const start = m.objective(counts, ridge);
      const report = m.mStep({ logLik: 0, counts: { initial: counts, transition: counts, emission: counts } }, { ridge, maxNewtonIter: 100, newtonTol: 1e-12, gainTol: 0 });
      expect(report.before).toBe(start);
      expect(report.after).toBeGreaterThanOrEqual(report.before);
      expect(m.objective(counts, ridge)).toBe(report.after);
      const g = new Float64Array(m.nParams);
      m.gradient(counts, ridge, g);
      expect(maxAbs(g)).toBeLessThan(1e-7 * Math.max(1, Math.abs(report.after)));
      // A second M-step from the optimum changes nothing material.
      const again = m.mStep({ logLik: 0, counts: { initial: counts, transition: counts, emission: counts } }, { ridge, maxNewtonIter: 100, newtonTol: 1e-12, gainTol: 0 });
      expect(again.after).toBeGreaterThanOrEqual(again.before);
      assertClose(again.after, report.after, { atol: 1e-9, rtol: 1e-12 }, 'objective at optimum');
    }
  });

  it('probabilities after an M-step (kept from its last pass) equal a fresh computation bit for bit', () => {
    const rng = new Rng(250);
    const m = make(rng);
    randomParams(m, rng, 1);
    const counts = randomCounts(m, rng, 0.3);
    m.mStep({ logLik: 0, counts: { initial: counts, transition: counts, emission: counts } }, { ridge: 1e-6, maxNewtonIter: 5, newtonTol: 1e-10 });
    const fresh = probTable(m.clone());
    expect(Array.from(probTable(m))).toEqual(Array.from(fresh));
    // after the parameters change, the table follows them
    const v = randomParams(m, rng, 1);
    const again = probTable(m);
    const c = m.clone();
    c.setParams(v, 0);
    expect(Array.from(again)).toEqual(Array.from(probTable(c)));
    expect(Array.from(again)).not.toEqual(Array.from(fresh));
  });

  it('M-step recovers the parameters whose probabilities generated the counts', () => {
    const rng = new Rng(300);
    const m = make(rng);
    const truth = randomParams(m, rng, 0.7);
    // Expected counts: 1e4 per pattern and group, spread by the true probabilities.
    const counts = probTable(m).map((v) => 1e4 * v);
    m.setParams(new Float64Array(m.nParams), 0);
    m.mStep({ logLik: 0, counts: { initial: counts, transition: counts, emission: counts } }, { ridge: 0, maxNewtonIter: 200, newtonTol: 1e-12, gainTol: 0 });
    const got = new Float64Array(m.nParams);
    m.getParams(got, 0);
    assertClose(got, truth, { atol: 1e-7 }, 'recovered parameters');
  });

  it('get/set round trip and clone independence', () => {
    const rng = new Rng(400);
    const m = make(rng);
    const v = randomParams(m, rng);
    const out = new Float64Array(m.nParams + 3);
    m.getParams(out, 2);
    assertClose(out.subarray(2, 2 + m.nParams), v, { atol: 0 }, 'round trip');
    expect(m.parameterNames()).toHaveLength(m.nParams);
    expect(new Set(m.parameterNames()).size).toBe(m.nParams);
    const c = m.clone();
    const before = probTable(m);
    randomParams(c, rng);
    assertClose(probTable(m), before, { atol: 0 }, 'original after changing the clone');
    expect(() => m.setParams(new Float64Array(m.nParams - 1), 0)).toThrow(RangeError);
  });

  it('relabelling states leaves every probability identical up to the permutation', () => {
    const rng = new Rng(500);
    const m = make(rng);
    randomParams(m, rng, 1.2);
    const ordered = m instanceof OrderedLogit;
    const perms: Int32Array[] = [Int32Array.from({ length: K }, (_, s) => K - 1 - s)];
    if (!ordered) {
      for (let r = 0; r < 3; r++) {
        const p = Array.from({ length: K }, (_, s) => s);
        for (let i = K - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [p[i], p[j]] = [p[j], p[i]];
        }
        perms.push(Int32Array.from(p));
      }
    }
    for (const perm of perms) {
      const old = probTable(m);
      const c = m.clone();
      c.permuteStates(perm);
      const next = probTable(c);
      const { nGroups, nOut } = m;
      for (let p = 0; p < m.design.nPatterns; p++) {
        for (let g = 0; g < nGroups; g++) {
          for (let o = 0; o < nOut; o++) {
            const og = states === 'initial' ? g : perm[g];
            const oo = states === 'emission' ? o : perm[o];
            assertClose(next[(p * nGroups + g) * nOut + o], old[(p * nGroups + og) * nOut + oo], { atol: 1e-13 }, `perm ${perm} p${p} g${g} o${o}`);
          }
        }
      }
    }
  });
});

describe('ordered logit specifics', () => {
  it('probabilities equal F(theta_j - x b) - F(theta_{j-1} - x b) with ordered thresholds', () => {
    const rng = new Rng(7);
    const K = 4;
    const d = randomPatternDesign(rng, 5, 2);
    const m = new OrderedLogit(K, d);
    const v = randomParams(m, rng, 1.5);
    const p = new Float64Array(d.nPatterns * K * K);
    m.probabilities(p);
    const F = (u: number) => 1 / (1 + Math.exp(-u));
    const perGroup = K - 1 + 2;
    const thr = new Float64Array(K - 1);
    for (let i = 0; i < K; i++) {
      m.thresholds(i, thr);
      const b = i * perGroup;
      // thresholds by hand from the named parameters
      const byHand = [v[b], v[b] + Math.exp(v[b + 1]), v[b] + Math.exp(v[b + 1]) + Math.exp(v[b + 2])];
      assertClose(thr, byHand, { atol: 1e-14 }, 'thresholds');
      for (let j = 1; j < K - 1; j++) expect(thr[j]).toBeGreaterThan(thr[j - 1]);
      for (let q = 0; q < d.nPatterns; q++) {
        const eta = d.patterns[q * 3 + 1] * v[b + 3] + d.patterns[q * 3 + 2] * v[b + 4];
        const cum = [0, ...byHand.map((t) => F(t - eta)), 1];
        for (let j = 0; j < K; j++) assertClose(p[(q * K + i) * K + j], cum[j + 1] - cum[j], { atol: 1e-14 }, `P(${j}|${i})`);
      }
    }
    expect(m.parameterNames().slice(0, perGroup)).toEqual([
      'transition[1]:cut[1|2]',
      'transition[1]:logstep[2|3]',
      'transition[1]:logstep[3|4]',
      'transition[1]:lag(intervention)',
      'transition[1]:x1',
    ]);
  });

  it('a positive slope moves customers up: every cumulative probability falls', () => {
    const K = 3;
    const d = { names: ['(Intercept)', 'lag(intervention)'], nCols: 2, nPatterns: 2, patterns: Float64Array.from([1, 0, 1, 1]), index: Int32Array.from([0, 1]) };
    const m = new OrderedLogit(K, d);
    const v = new Float64Array(m.nParams);
    for (let i = 0; i < K; i++) {
      v[i * 3] = -1 + i;
      v[i * 3 + 1] = 0.5;
      v[i * 3 + 2] = 0.9; // slope of lag(intervention)
    }
    m.setParams(v, 0);
    const p = new Float64Array(2 * K * K);
    m.probabilities(p);
    for (let i = 0; i < K; i++) {
      let c0 = 0;
      let c1 = 0;
      for (let j = 0; j < K - 1; j++) {
        c0 += p[(0 * K + i) * K + j];
        c1 += p[(1 * K + i) * K + j];
        expect(c1).toBeLessThan(c0);
      }
    }
  });

  it('only identity or reversal relabel a ladder; probabilities stay exact under extreme thresholds', () => {
    const rng = new Rng(8);
    const m = new OrderedLogit(3, randomPatternDesign(rng, 3, 1));
    randomParams(m, rng);
    expect(() => m.permuteStates(Int32Array.from([1, 0, 2]))).toThrow(/keeping or reversing/);
    const v = new Float64Array(m.nParams);
    v[0] = 40; // cumulative probabilities all ~1: P(3) = F(-theta_2) must not cancel to 0
    v[1] = 0;
    m.setParams(v, 0);
    const p = new Float64Array(3 * 9);
    m.probabilities(p);
    assertClose(p[2], 1 / (1 + Math.exp(41)), { rtol: 1e-12, atol: 0 }, 'tail probability');
    assertClose(p[1], 1 / (1 + Math.exp(40)) - 1 / (1 + Math.exp(41)), { rtol: 1e-10, atol: 0 }, 'middle probability');
  });
});

describe('emission parametrisations', () => {
  it('names follow the contract, reference voice fixed at 0, shared slopes are one parameter', () => {
    const rng = new Rng(9);
    const d = randomPatternDesign(rng, 4, 1);
    const own = createEmissionModel(2, ['complaint', 'neutral', 'silent'], 2, d, false);
    expect(own.parameterNames()).toEqual([
      'emission[1]:complaint:(Intercept)',
      'emission[1]:complaint:lag(intervention)',
      'emission[1]:neutral:(Intercept)',
      'emission[1]:neutral:lag(intervention)',
      'emission[2]:complaint:(Intercept)',
      'emission[2]:complaint:lag(intervention)',
      'emission[2]:neutral:(Intercept)',
      'emission[2]:neutral:lag(intervention)',
    ]);
    const shared = createEmissionModel(2, ['complaint', 'neutral', 'silent'], 2, d, true);
    expect(shared.parameterNames()).toEqual([
      'emission[1]:complaint:(Intercept)',
      'emission[1]:neutral:(Intercept)',
      'emission[2]:complaint:(Intercept)',
      'emission[2]:neutral:(Intercept)',
      'emission:complaint:lag(intervention)',
      'emission:neutral:lag(intervention)',
    ]);
    // Shared slopes: the log-odds of complaint vs silent change by the same amount in both states.
    shared.setParams(Float64Array.from([-1, 0.3, 2, -0.5, 0.7, -0.2]), 0);
    const rows = Float64Array.from([1, 0, 1, 1]);
    const p = new Float64Array(2 * 2 * 3);
    shared.probabilitiesFor(rows, 2, p);
    for (let k = 0; k < 2; k++) {
      const lo0 = Math.log(p[(0 * 2 + k) * 3 + 0] / p[(0 * 2 + k) * 3 + 2]);
      const lo1 = Math.log(p[(1 * 2 + k) * 3 + 0] / p[(1 * 2 + k) * 3 + 2]);
      assertClose(lo1 - lo0, 0.7, { atol: 1e-12 }, `state ${k + 1} slope`);
    }
  });

  it('shared slopes without an intercept are refused', () => {
    const rng = new Rng(10);
    expect(() => createEmissionModel(2, ['complaint', 'silent'], 1, randomPatternDesign(rng, 3, 1, false), true)).toThrow(/intercept/);
  });
});

describe('multinomial logit extremes', () => {
  it('linear predictors beyond exp overflow still give exact probabilities and a finite objective', () => {
    const d = { names: ['(Intercept)'], nCols: 1, nPatterns: 1, patterns: Float64Array.from([1]), index: Int32Array.from([0]) };
    const m = createEmissionModel(1, ['complaint', 'neutral', 'silent'], 2, d, false);
    m.setParams(Float64Array.from([800, 799]), 0);
    const p = new Float64Array(3);
    m.probabilities(p);
    const e = Math.exp(-1);
    assertClose(p, [1 / (1 + e), e / (1 + e), 0], { atol: 1e-15 }, 'probabilities');
    const lp = new Float64Array(3);
    m.logProbabilities(lp);
    assertClose(lp[2], -800 - Math.log1p(e), { atol: 1e-12 }, 'log of the reference');
    const q = m.objective(Float64Array.from([1, 1, 1]), 0);
    assertClose(q, -Math.log1p(e) + (-1 - Math.log1p(e)) + (-800 - Math.log1p(e)), { atol: 1e-10 }, 'objective');
  });
});

describe('multinomial transition names', () => {
  it('reference is staying; names read transition[i->j]:column', () => {
    const rng = new Rng(12);
    const m = createMultinomialTransitionModel(3, randomPatternDesign(rng, 2, 1));
    expect(m.parameterNames().slice(0, 4)).toEqual([
      'transition[1->2]:(Intercept)',
      'transition[1->2]:lag(intervention)',
      'transition[1->3]:(Intercept)',
      'transition[1->3]:lag(intervention)',
    ]);
    expect(m.parameterNames()[4]).toBe('transition[2->1]:(Intercept)');
    const p = new Float64Array(2 * 9);
    m.probabilities(p); // all parameters 0: uniform
    assertClose(p, new Float64Array(18).fill(1 / 3), { atol: 1e-15 }, 'uniform at zero');
  });
});
