import { describe, expect, it } from 'vitest';
import { buildModelDesigns, modelAt } from '../../src/estimation/fit.js';
import { createModel } from '../../src/model/hmmModel.js';
import { penalisedGradient, getFlat, setFlat } from '../../src/estimation/quasiNewton.js';
import { runEm } from '../../src/estimation/em.js';
import { assertClose, assertLogLikIncreasing } from '../helpers/assert.js';
import { bruteForceJoint, randomValues, tinyPanel, tinySpec } from './selectionFixtures.js';

const cases = [
  { name: '2 states, observed voice', K: 2, lengths: [3, 4, 1, 5], missing: 0, missingD: 0, type: 'multinomial' as const },
  { name: '3 states, missing voice', K: 3, lengths: [4, 2, 5], missing: 0.35, missingD: 0, type: 'multinomial' as const },
  { name: '2 states, ordered, missing voice and interventions', K: 2, lengths: [5, 3, 6], missing: 0.3, missingD: 0.2, type: 'ordered' as const },
  { name: '3 states, shared slopes, missing voice', K: 3, lengths: [5, 4], missing: 0.4, missingD: 0, type: 'multinomial' as const, shared: true },
];

describe('E-step with the selection outcome', () => {
  for (const c of cases) {
    it(`matches enumeration over all state paths: ${c.name}`, () => {
      const panel = tinyPanel(11 + c.K, c.lengths, c.missing, c.missingD);
      const spec = tinySpec(c.K, c.type, c.shared ?? false);
      const { model: m2, eStep } = modelAt(panel, spec, randomValuesFor(panel, spec));
      const brute = bruteForceJoint(panel, spec, m2);
      const gamma = new Float64Array(panel.voice.length * c.K);
      const ll = eStep.run(m2.parts, gamma);
      assertClose(ll, brute.logLik, { atol: 1e-10 }, 'log-likelihood');
      assertClose(gamma, brute.gamma, { atol: 1e-10 }, 'posterior');
      assertClose(eStep.logLik(m2.parts), brute.logLik, { atol: 1e-10 }, 'forward log-likelihood');
      expect(Array.from(eStep.viterbi(m2.parts))).toEqual(Array.from(brute.viterbi));
      expect(m2.parts.length).toBe(4);
    });

    it(`score by Fisher's identity equals finite differences of the log-likelihood: ${c.name}`, () => {
      const panel = tinyPanel(31 + c.K, c.lengths, c.missing, c.missingD);
      const spec = tinySpec(c.K, c.type, c.shared ?? false);
      const { model, eStep } = modelAt(panel, spec, randomValuesFor(panel, spec));
      const n = model.nParams;
      const theta = new Float64Array(n);
      getFlat(model.parts, theta);
      eStep.run(model.parts);
      const g = new Float64Array(n);
      penalisedGradient(model.parts, eStep, 0, g);
      const fd = new Float64Array(n);
      const x = theta.slice();
      const h = 1e-5;
      for (let j = 0; j < n; j++) {
        x[j] = theta[j] + h;
        setFlat(model.parts, x);
        const up = eStep.logLik(model.parts);
        x[j] = theta[j] - h;
        setFlat(model.parts, x);
        const down = eStep.logLik(model.parts);
        x[j] = theta[j];
        fd[j] = (up - down) / (2 * h);
      }
      assertClose(g, fd, { atol: 1e-6, rtol: 1e-6 }, 'score');
      // the selection block is really in the score
      const names = model.getParameters().names;
      expect(names.filter((nm) => nm.startsWith('selection')).length).toBe(c.K + 2);
      expect(Math.max(...names.map((nm, i) => (nm.startsWith('selection') ? Math.abs(g[i]) : 0)))).toBeGreaterThan(1e-3);
    });

    it(`EM never lowers the joint log-likelihood: ${c.name}`, () => {
      const panel = tinyPanel(51 + c.K, c.lengths.map((L) => L * 3), c.missing, c.missingD);
      const spec = tinySpec(c.K, c.type, c.shared ?? false);
      const { model, eStep } = modelAt(panel, spec, randomValuesFor(panel, spec));
      const em = runEm(model.parts, eStep, { maxIter: 40, tol: 1e-12, accelerate: false, mStep: { ridge: 1e-8, maxNewtonIter: 1, newtonTol: 1e-10 } });
      expect(em.history.length).toBeGreaterThan(5);
      assertLogLikIncreasing(em.history);
      expect(em.history[em.history.length - 1]).toBeGreaterThan(em.history[0] + 1e-3);
    });
  }
});

function randomValuesFor(panel: ReturnType<typeof tinyPanel>, spec: ReturnType<typeof tinySpec>): Float64Array {
  return randomValues(createModel(spec, buildModelDesigns(panel, spec), panel.offsets), 7);
}

describe('E-step with the selection outcome on shards and threads', () => {
  it('1 and 2 threads give the same bits; sharded equals unsharded to rounding', async () => {
    const { EStep } = await import('../../src/estimation/eStep.js');
    const panel = tinyPanel(77, Array.from({ length: 40 }, (_, i) => 3 + (i % 5)), 0.3, 0.1);
    const spec = tinySpec(3);
    const { model } = modelAt(panel, spec, randomValuesFor(panel, spec));
    const make = (threads: number, shardRows?: number) => new EStep(model.parts, 3, 3, panel.offsets, panel.voice, { threads, shardRows, selection: model.selectionRows });
    const one = make(1, 30);
    const two = make(2, 30);
    const whole = make(1);
    try {
      expect(one.seq.length - 1).toBeGreaterThan(2);
      const l1 = one.run(model.parts);
      const l2 = two.run(model.parts);
      const lw = whole.run(model.parts);
      expect(l2).toBe(l1);
      for (const b of ['initial', 'transition', 'emission', 'selection'] as const) {
        expect(Array.from(two.stats.counts[b])).toEqual(Array.from(one.stats.counts[b]));
        assertClose(one.stats.counts[b], whole.stats.counts[b], { atol: 1e-10 }, b);
      }
      assertClose(l1, lw, { atol: 1e-10 }, 'log-likelihood');
    } finally {
      two.close();
    }
  });
});

describe('simulate with a selection model', () => {
  it('draws interventions from the selection model of the true state (not the policy), reproducibly', async () => {
    const { simulate } = await import('../../src/estimation/simulate.js');
    const spec = tinySpec(2);
    const skeleton = tinyPanel(1, [3], 0);
    const model = createModel(spec, buildModelDesigns(skeleton, spec), skeleton.offsets);
    const names = model.getParameters().names;
    const given: Record<string, number> = { 'selection[1]:(Intercept)': -0.5, 'selection[2]:(Intercept)': -3, 'selection:voice_complaint': 1.2, 'selection:lag(intervention)': -1 };
    const values = Float64Array.from(names, (n) => given[n] ?? (n.includes('Intercept') ? -1 : 0));
    const params = { names, values, blocks: [] };
    const opts = { customers: 3000, periods: 6, policy: { afterComplaint: 1, otherwise: 1 }, seed: 9, missing: 0.2 };
    const a = simulate(spec, params, opts);
    const b = simulate(spec, params, opts);
    expect(Array.from(b.panel.columns.intervention)).toEqual(Array.from(a.panel.columns.intervention));
    expect(Object.keys(a.panel.columns)).toEqual(['intervention']);
    // empirical intervention rates by state and voice, in periods whose previous period had none
    const iv = a.panel.columns.intervention;
    const T = 6;
    const tally = new Map<string, [number, number]>();
    for (let r = 0; r < iv.length; r++) {
      if (r % T === 0 || iv[r - 1] !== 0 || a.panel.voice[r] < 0) continue;
      const key = `${a.states[r]}|${a.panel.voice[r] === 0 ? 1 : 0}`;
      const t = tally.get(key) ?? [0, 0];
      t[0] += iv[r];
      t[1] += 1;
      tally.set(key, t);
    }
    for (const [key, [hits, n]] of tally) {
      const [k, vc] = key.split('|').map(Number);
      const p = 1 / (1 + Math.exp(-(given[`selection[${k + 1}]:(Intercept)`] + given['selection:voice_complaint'] * vc)));
      expect(n).toBeGreaterThan(300);
      expect(Math.abs(hits / n - p), `${key}: ${hits}/${n} vs ${p}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n) + 1e-3);
    }
  });
});
