import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/estimation/simulate.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { buildDesign } from '../../src/data/formula.js';
import { createModel } from '../../src/model/hmmModel.js';
import { ModelError, UsageError } from '../../src/errors.js';

const VOICES = ['complaint', 'compliment', 'neutral', 'silent'];

function spec(over: Partial<ModelSpec> = {}): ModelSpec {
  return {
    nStates: 3,
    voiceLabels: VOICES,
    referenceVoice: 'silent',
    formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' },
    transitionType: 'multinomial',
    sharedSlopes: false,
    ...over,
  };
}

/** Parameters by name: a clear worst-to-best structure with strong intervention effects. */
function namedParams(s: ModelSpec) {
  const m = modelFor(s, simulate0(s));
  const names = m.getParameters().names;
  const values = Float64Array.from(names, (n) => {
    let m2: RegExpMatchArray | null;
    if (n.startsWith('initial')) return 0.3;
    if ((m2 = n.match(/^transition\[(\d)->(\d)\]:(.*)$/))) {
      const up = Number(m2[2]) > Number(m2[1]);
      return m2[3] === '(Intercept)' ? -2 : up ? 2.0 : -1.0;
    }
    if ((m2 = n.match(/^transition\[(\d)\]:(.*)$/))) {
      if (m2[2].startsWith('cut')) return [-2.5, 0.5, 3][Number(m2[1]) - 1];
      if (m2[2].startsWith('logstep')) return Math.log(1.5);
      return 1.8;
    }
    if ((m2 = n.match(/^emission\[(\d)\]:(\w+):(.*)$/))) {
      const k = Number(m2[1]);
      if (m2[3] !== '(Intercept)') return m2[2] === 'complaint' ? 0.6 : 0.1;
      if (m2[2] === 'complaint') return [0, -1.5, -3][k - 1];
      if (m2[2] === 'compliment') return [-3, -1.5, 0][k - 1];
      return -1;
    }
    return 0.2;
  });
  return { names, values, blocks: m.getParameters().blocks };
}

/** A two-row panel, only to size the model and read its parameter names. */
function simulate0(s: ModelSpec) {
  return {
    customers: ['a'],
    offsets: Int32Array.from([0, 2]),
    period: Int32Array.from([1, 2]),
    voice: Int32Array.from([0, 1]),
    voiceLabels: s.voiceLabels,
    columns: { intervention: new Float64Array(2) },
  };
}

function modelFor(s: ModelSpec, panel: ReturnType<typeof simulate0>) {
  const designs = {
    initial: buildDesign(panel, s.formulas.initial),
    transition: buildDesign(panel, s.formulas.transition),
    emission: buildDesign(panel, s.formulas.emission),
  };
  return createModel(s, designs, panel.offsets);
}

/**
 * Observed minus expected counts, in standard errors, of every (origin, destination) transition,
 * every (state, voice) emission and every initial state, the expectations computed from the
 * designs of the finished panel (rebuilt independently with buildDesign) and the DESIGN.md time
 * convention.
 */
function zScores(s: ModelSpec, params: Float64Array, panel: ReturnType<typeof simulate0>, states: Int32Array): number[] {
  const m = modelFor(s, panel);
  m.setParameters(params);
  const K = s.nStates;
  const V = s.voiceLabels.length;
  const [ini, tr, em] = m.parts;
  const pi = new Float64Array(ini.design.nPatterns * K);
  ini.probabilities(pi);
  const pt = new Float64Array(tr.design.nPatterns * K * K);
  tr.probabilities(pt);
  const pe = new Float64Array(em.design.nPatterns * K * V);
  em.probabilities(pe);
  const obs = new Map<string, number>();
  const exp = new Map<string, number>();
  const vr = new Map<string, number>();
  const add = (key: string, o: number, p: number) => {
    obs.set(key, (obs.get(key) ?? 0) + o);
    exp.set(key, (exp.get(key) ?? 0) + p);
    vr.set(key, (vr.get(key) ?? 0) + p * (1 - p));
  };
  const nSeq = panel.offsets.length - 1;
  for (let i = 0; i < nSeq; i++) {
    const f = panel.offsets[i];
    for (let k = 0; k < K; k++) add(`init ${k}`, states[f] === k ? 1 : 0, pi[ini.design.index[i] * K + k]);
    for (let r = f; r < panel.offsets[i + 1]; r++) {
      if (r > f) {
        const o = states[r - 1];
        for (let j = 0; j < K; j++) add(`trans ${o}->${j}`, states[r] === j ? 1 : 0, pt[(tr.design.index[r] * K + o) * K + j]);
      }
      if (panel.voice[r] >= 0) {
        const k = states[r];
        for (let c = 0; c < V; c++) add(`emis ${k}:${c}`, panel.voice[r] === c ? 1 : 0, pe[(em.design.index[r] * K + k) * V + c]);
      }
    }
  }
  return [...obs.keys()].map((key) => (obs.get(key)! - exp.get(key)!) / Math.sqrt(Math.max(vr.get(key)!, 1e-12)));
}

describe('simulate', () => {
  const policy = { afterComplaint: 0.6, otherwise: 0.05 };

  it('is reproducible: same seed, same panel; another seed, another panel', () => {
    const s = spec();
    const p = namedParams(s);
    const a = simulate(s, p, { customers: 40, periods: 25, policy, seed: 7 });
    const b = simulate(s, p, { customers: 40, periods: 25, policy, seed: 7 });
    const c = simulate(s, p, { customers: 40, periods: 25, policy, seed: 8 });
    expect(Array.from(a.panel.voice)).toEqual(Array.from(b.panel.voice));
    expect(Array.from(a.panel.columns.intervention)).toEqual(Array.from(b.panel.columns.intervention));
    expect(Array.from(a.states)).toEqual(Array.from(b.states));
    expect(Array.from(a.panel.voice)).not.toEqual(Array.from(c.panel.voice));
  });

  it('builds a well-formed balanced panel', () => {
    const s = spec();
    const { panel, states } = simulate(s, namedParams(s), { customers: 12, periods: 9, policy, seed: 1 });
    expect(panel.customers).toHaveLength(12);
    expect(panel.customers[0]).toBe('c01');
    expect(Array.from(panel.offsets)).toEqual(Array.from({ length: 13 }, (_, i) => 9 * i));
    expect(Array.from(panel.period.subarray(0, 9))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(panel.voiceLabels).toEqual(VOICES);
    expect(states).toHaveLength(108);
    for (let r = 0; r < 108; r++) {
      expect(panel.voice[r]).toBeGreaterThanOrEqual(0);
      expect(panel.voice[r]).toBeLessThan(4);
      expect([0, 1]).toContain(panel.columns.intervention[r]);
      expect(states[r]).toBeGreaterThanOrEqual(0);
      expect(states[r]).toBeLessThan(3);
    }
  });

  for (const transitionType of ['multinomial', 'ordered'] as const) {
    it(`${transitionType}: states, voices and transitions follow the model at the recomputed lag/stock rows`, () => {
      const s = spec({ transitionType });
      const p = namedParams(s);
      const { panel, states } = simulate(s, p, { customers: 1500, periods: 30, policy, seed: 21 });
      const z = zScores(s, p.values, panel, states);
      expect(z.length).toBeGreaterThan(20);
      // 4.5 standard errors over ~40 cells: a false alarm has probability ~3e-4.
      for (const v of z) expect(Math.abs(v)).toBeLessThan(4.5);
    });
  }

  it('the expected counts under the wrong time convention (row t-1) are rejected by the same check', () => {
    // Guards the check above: shifting the transition design by one period must be detectable.
    const s = spec();
    const p = namedParams(s);
    const { panel, states } = simulate(s, p, { customers: 1500, periods: 30, policy, seed: 21 });
    const shifted = { ...s, formulas: { ...s.formulas, transition: '~ lag(intervention, 2)' } };
    const z = zScores(shifted, p.values, panel, states);
    expect(Math.max(...z.map(Math.abs))).toBeGreaterThan(6);
  });

  it('the firm follows the policy: intervention rates after complaints and after other voice', () => {
    const s = spec();
    const { panel } = simulate(s, namedParams(s), { customers: 800, periods: 30, policy, seed: 3 });
    let nc = 0;
    let ic = 0;
    let no = 0;
    let io = 0;
    for (let r = 0; r < panel.voice.length; r++) {
      if (panel.voice[r] === 0) {
        nc++;
        ic += panel.columns.intervention[r];
      } else {
        no++;
        io += panel.columns.intervention[r];
      }
    }
    expect(Math.abs(ic / nc - 0.6)).toBeLessThan(4 * Math.sqrt((0.6 * 0.4) / nc));
    expect(Math.abs(io / no - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / no));
  });

  it('missing voice: about the requested share, still intervened on at the other-voice rate', () => {
    const s = spec();
    const { panel } = simulate(s, namedParams(s), { customers: 500, periods: 20, policy, seed: 4, missing: 0.2 });
    const n = panel.voice.length;
    const miss = panel.voice.filter((v) => v === -1).length;
    expect(Math.abs(miss / n - 0.2)).toBeLessThan(4 * Math.sqrt(0.16 / n));
  });

  it('parameters by name in any order equal the flat vector', () => {
    const s = spec();
    const p = namedParams(s);
    const order = p.names.map((_, i) => i).reverse();
    const shuffled = { names: order.map((i) => p.names[i]), values: Float64Array.from(order, (i) => p.values[i]), blocks: [] };
    const a = simulate(s, shuffled, { customers: 30, periods: 10, policy, seed: 5 });
    const b = simulate(s, p.values, { customers: 30, periods: 10, policy, seed: 5 });
    expect(Array.from(a.panel.voice)).toEqual(Array.from(b.panel.voice));
    const bad = { ...p, names: p.names.map((n, i) => (i === 0 ? 'initial[9]:(Intercept)' : n)) };
    expect(() => simulate(s, bad, { customers: 3, periods: 3, policy, seed: 5 })).toThrow(/missing initial\[2\]:\(Intercept\).*not in the model initial\[9\]/);
    expect(() => simulate(s, p.values.subarray(1), { customers: 3, periods: 3, policy, seed: 5 })).toThrow(ModelError);
  });

  it('exogenous covariates are used as given', () => {
    const s = spec({ formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8) + price' } });
    const sized = { ...simulate0(s), columns: { intervention: new Float64Array(2), price: new Float64Array(2) } };
    const m = modelFor(s, sized);
    const v = new Float64Array(m.nParams);
    m.getParameters().names.forEach((n, i) => (v[i] = n === 'emission[1]:complaint:price' ? 3 : 0));
    const { panel, states } = simulate(s, v, {
      customers: 300,
      periods: 10,
      policy,
      seed: 9,
      covariates: { price: (_c, t) => (t % 2 === 0 ? 1 : -1) },
    });
    expect(Array.from(panel.columns.price.subarray(0, 4))).toEqual([-1, 1, -1, 1]);
    const rate = (parity: number) => {
      let n = 0;
      let c = 0;
      for (let r = 0; r < panel.voice.length; r++) {
        if (states[r] === 0 && panel.period[r] % 2 === parity) {
          n++;
          if (panel.voice[r] === 0) c++;
        }
      }
      return c / n;
    };
    expect(rate(0)).toBeGreaterThan(rate(1) + 0.3);
  });

  it('a formula mixing lagged interventions with a whole-panel scale() of a covariate simulates consistently', () => {
    const s = spec({ formulas: { initial: '~ 1', transition: '~ lag(intervention) + scale(price)', emission: '~ stock(intervention, 0.8)' } });
    const sized = { ...simulate0(s), columns: { intervention: new Float64Array(2), price: Float64Array.from([1, 2]) } };
    const m = modelFor(s, sized);
    const v = Float64Array.from(m.getParameters().names, (n) => (n.includes('scale') ? 0.8 : n.includes('lag') ? 1 : n.startsWith('transition') ? -2 : 0));
    // the simulator checks at the end that the finished panel's designs are the ones it used
    const { panel } = simulate(s, v, { customers: 50, periods: 12, policy, seed: 2, covariates: { price: (c, t) => c + t * t } });
    expect(panel.columns.price[13]).toBe(1 + 4);
  });

  it('refuses circular and future-looking formulas, and bad options', () => {
    const circular = spec({ formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ intervention' } });
    expect(() => simulate(circular, new Float64Array(100), { customers: 2, periods: 3, policy, seed: 1 })).toThrow(/current period's intervention.*circular/);
    const cum = spec({ formulas: { initial: '~ 1', transition: '~ cumsum(intervention)', emission: '~ 1' } });
    expect(() => simulate(cum, new Float64Array(100), { customers: 2, periods: 3, policy, seed: 1 })).toThrow(ModelError);
    const future = spec({ formulas: { initial: '~ 1', transition: '~ scale(intervention)', emission: '~ 1' } });
    expect(() => simulate(future, new Float64Array(100), { customers: 2, periods: 8, policy, seed: 1 })).toThrow(/later periods/);
    const s = spec();
    const p = namedParams(s);
    expect(() => simulate(s, p, { customers: 0, periods: 3, policy, seed: 1 })).toThrow(UsageError);
    expect(() => simulate(s, p, { customers: 2, periods: 3, policy: { afterComplaint: 1.5, otherwise: 0 }, seed: 1 })).toThrow(UsageError);
  });
});
