import { describe, it, expect } from 'vitest';
import { effectsFromProbabilities, formatEffectsText } from '../../src/report/effects.js';
import { scenarioProbabilities, syntheticDesigns, syntheticHistory, type ProbabilitySource } from '../../src/report/scenarios.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { assertClose } from '../helpers/assert.js';

/**
 * A hand-specified K=2 model whose channel sizes are known in closed form:
 *   transition: row (1, lag(intervention)); without: T0 = [[1-a, a], [b, 1-b]]; with: T1 = [[1-a1, a1], [b1, 1-b1]]
 *   emission:   voices (complaint, neutral); P(complaint | k) = logistic(alpha_k + gamma * stock(intervention, d))
 * With one intervention in period 0, lag(intervention) = 1 only in period 1 and stock = d^(t-1) in period t.
 */
const a = 0.1, b = 0.05, a1 = 0.4, b1 = 0.01;
const alpha = [0.5, -2];
const gamma = 1.2;
const decay = 0.8;
const H = 30;
const start = [0.7, 0.3];
const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

const spec: ModelSpec = {
  nStates: 2,
  voiceLabels: ['complaint', 'neutral'],
  referenceVoice: 'neutral',
  formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: `~ stock(intervention, ${decay})` },
  transitionType: 'multinomial',
  sharedSlopes: true,
};

function columnIndex(names: string[], name: string): number {
  const i = names.indexOf(name);
  if (i < 0) throw new Error(`column ${name} not in ${names.join(', ')}`);
  return i;
}

function sources(trNames: string[], emNames: string[]): { tr: ProbabilitySource; em: ProbabilitySource } {
  const lagCol = columnIndex(trNames, 'lag(intervention)');
  const stockCol = columnIndex(emNames, `stock(intervention, ${decay})`);
  const tr: ProbabilitySource = {
    nGroups: 2,
    nOut: 2,
    probabilitiesFor(rows, n, out) {
      for (let p = 0; p < n; p++) {
        const lag = rows[p * trNames.length + lagCol];
        const [x, y] = lag === 1 ? [a1, b1] : lag === 0 ? [a, b] : [NaN, NaN];
        out.set([1 - x, x, y, 1 - y], p * 4);
      }
    },
  };
  const em: ProbabilitySource = {
    nGroups: 2,
    nOut: 2,
    probabilitiesFor(rows, n, out) {
      for (let p = 0; p < n; p++) {
        const s = rows[p * emNames.length + stockCol];
        for (let k = 0; k < 2; k++) {
          const c = logistic(alpha[k] + gamma * s);
          out[p * 4 + k * 2] = c;
          out[p * 4 + k * 2 + 1] = 1 - c;
        }
      }
    },
  };
  return { tr, em };
}

function report() {
  const history = syntheticHistory(spec.voiceLabels, {}, H);
  const designs = syntheticDesigns(spec, history);
  const { tr, em } = sources(designs.transition.names, designs.emission.names);
  return effectsFromProbabilities(scenarioProbabilities(spec, designs, tr, em, H), start, 123);
}

describe('intervention-effect report on a hand-specified model', () => {
  const r = report();
  // Closed forms for a two-state chain T0: eigenvalue lam = 1 - a - b, d_t = pi + (d_1 - pi) lam^(t-1).
  const lam = 1 - a - b;
  const pi = [b / (a + b), a / (a + b)];
  const e0 = alpha.map((x) => logistic(x));
  const step = (d: number[], x: number, y: number): number[] => [d[0] * (1 - x) + d[1] * y, d[0] * x + d[1] * (1 - y)];

  it('relationship channel: next-period moves and long-run shares', () => {
    expect(r.relationship.moves[0]).toEqual({ state: 1, without: { up: a, stay: 1 - a, down: 0 }, with: { up: a1, stay: 1 - a1, down: 0 } });
    assertClose(r.relationship.moves[1].with.down, b1, { atol: 1e-15 });
    assertClose(r.relationship.longRunWithout, pi, { atol: 1e-12 });
    assertClose(r.relationship.longRunWith, [b1 / (a1 + b1), a1 / (a1 + b1)], { atol: 1e-12 });
  });

  it('propensity channel: next-period voice probabilities with stock = 1', () => {
    assertClose(r.propensity.emissionWithout.map((row) => row[0]), e0, { atol: 1e-15 });
    assertClose(r.propensity.emissionWith.map((row) => row[0]), alpha.map((x) => logistic(x + gamma)), { atol: 1e-15 });
  });

  it('relationship-only effect equals (s T1 - s T0) . e0 (1 - lam^H) / (1 - lam)', () => {
    const d1 = step(start, a1, b1);
    const d0 = step(start, a, b);
    const expected = ((d1[0] - d0[0]) * e0[0] + (d1[1] - d0[1]) * e0[1]) * (1 - lam ** H) / (1 - lam);
    assertClose(r.net.effects.complaint.relationship, expected, { atol: 1e-12 });
    assertClose(r.net.effects.neutral.relationship, -expected, { atol: 1e-12 });
  });

  it('no-intervention baseline and propensity-only effect from the closed-form state path', () => {
    let none = 0;
    let prop = 0;
    for (let t = 1; t <= H; t++) {
      const d = [0, 1].map((k) => pi[k] + (start[k] - pi[k]) * lam ** t);
      none += d[0] * e0[0] + d[1] * e0[1];
      for (let k = 0; k < 2; k++) prop += d[k] * (logistic(alpha[k] + gamma * decay ** (t - 1)) - e0[k]);
    }
    assertClose(r.net.scenarios.none.complaint, none, { atol: 1e-12 });
    assertClose(r.net.effects.complaint.propensity, prop, { atol: 1e-12 });
    expect(r.net.effects.complaint.propensity).toBeGreaterThan(0);
    expect(r.net.effects.complaint.relationship).toBeLessThan(0);
  });

  it('net = both channels together; interaction is the remainder', () => {
    // Both: period-1 transition T1, then T0; stock decays. Computed by explicit recursion on the state vector.
    let d = start;
    let both = 0;
    for (let t = 1; t <= H; t++) {
      d = t === 1 ? step(d, a1, b1) : step(d, a, b);
      for (let k = 0; k < 2; k++) both += d[k] * logistic(alpha[k] + gamma * decay ** (t - 1));
    }
    const e = r.net.effects.complaint;
    assertClose(r.net.scenarios.both.complaint, both, { atol: 1e-12 });
    assertClose(e.net, both - r.net.scenarios.none.complaint, { atol: 1e-12 });
    assertClose(e.interaction, e.net - e.relationship - e.propensity, { atol: 1e-15 });
    expect(Math.abs(e.interaction)).toBeGreaterThan(1e-6);
  });

  it('says it in plain words and prints every part', () => {
    const e = r.net.effects.complaint;
    expect(r.summary[0]).toContain(`Over the next ${H} periods, interventions raise expected complaints by ${e.propensity.toFixed(3)} through propensity`);
    expect(r.summary[0]).toContain(`lower them by ${Math.abs(e.relationship).toFixed(3)} through relationship`);
    const text = formatEffectsText(r);
    for (const s of ['Relationship channel', 'Propensity channel', 'Net effect', '123 complaint rows', 'long-run share']) expect(text).toContain(s);
    expect(r.startMix).toEqual(start);
  });

  it('zero intervention coefficients give zero channels', () => {
    const history = syntheticHistory(spec.voiceLabels, {}, H);
    const designs = syntheticDesigns(spec, history);
    const { tr, em } = sources(designs.transition.names, designs.emission.names);
    const flat: ProbabilitySource = { ...tr, probabilitiesFor: (rows, n, out) => tr.probabilitiesFor(rows.map(() => 0).map((_, i) => (i % designs.transition.names.length === 0 ? 1 : 0)), n, out) };
    const noEm: ProbabilitySource = { ...em, probabilitiesFor: (rows, n, out) => em.probabilitiesFor(new Float64Array(rows.length).map((_, i) => (i % designs.emission.names.length === 0 ? 1 : 0)), n, out) };
    const z = effectsFromProbabilities(scenarioProbabilities(spec, designs, flat, noEm, H), start);
    expect(z.net.effects.complaint).toEqual({ relationship: 0, propensity: 0, net: 0, interaction: 0 });
    expect(z.summary[0]).toContain('Over the next 30 periods, interventions leave expected complaints unchanged through propensity');
  });
});
