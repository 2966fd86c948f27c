import { describe, it, expect } from 'vitest';
import { computeEffects } from '../../src/report/computeEffects.js';
import { syntheticDesigns, syntheticHistory } from '../../src/report/scenarios.js';
import { HAND, handParameters, handSpec, logistic } from './handModel.js';
import { createModel } from '../../src/model/hmmModel.js';
import type { ModelSpec, NamedParameters } from '../../src/estimation/spec.js';
import { ModelError, UsageError } from '../../src/errors.js';
import { assertClose } from '../helpers/assert.js';

// The hand-specified K=2 model of handModel.ts, through the real sub-models: the report must
// equal the closed forms when the parameters are set by name.
const { a, b, a1, b1, alpha, gamma, decay, start } = HAND;
const H = 30;
const spec = handSpec();
const parameters = () => handParameters(spec);

describe('computeEffects through the model', () => {
  const fit = { spec, parameters: parameters(), effectsBasis: { complaintStateMix: start, complaintRows: 10, covariateMeans: {} } };
  const r = computeEffects(fit, { horizon: H });
  const lam = 1 - a - b;
  const e0 = alpha.map(logistic);

  it('reproduces the closed-form relationship and propensity channels', () => {
    assertClose(r.relationship.transitionWithout.flat(), [1 - a, a, b, 1 - b], { atol: 1e-14 });
    assertClose(r.relationship.transitionWith.flat(), [1 - a1, a1, b1, 1 - b1], { atol: 1e-14 });
    const d1 = [start[0] * (1 - a1) + start[1] * b1, start[0] * a1 + start[1] * (1 - b1)];
    const d0 = [start[0] * (1 - a) + start[1] * b, start[0] * a + start[1] * (1 - b)];
    const rel = ((d1[0] - d0[0]) * e0[0] + (d1[1] - d0[1]) * e0[1]) * (1 - lam ** H) / (1 - lam);
    assertClose(r.net.effects.complaint.relationship, rel, { atol: 1e-12 });
    const pi = [b / (a + b), a / (a + b)];
    let prop = 0;
    for (let t = 1; t <= H; t++) {
      const d = [0, 1].map((k) => pi[k] + (start[k] - pi[k]) * lam ** t);
      for (let k = 0; k < 2; k++) prop += d[k] * (logistic(alpha[k] + gamma * decay ** (t - 1)) - e0[k]);
    }
    assertClose(r.net.effects.complaint.propensity, prop, { atol: 1e-12 });
  });

  it('a horizon of 1 counts only the next period', () => {
    const r1 = computeEffects(fit, { horizon: 1 });
    const d0 = [start[0] * (1 - a) + start[1] * b, start[0] * a + start[1] * (1 - b)];
    assertClose(r1.net.scenarios.none.complaint, d0[0] * e0[0] + d0[1] * e0[1], { atol: 1e-14 });
  });

  it('rejects parameters that do not belong to the spec, and a bad horizon', () => {
    const bad = { ...fit, parameters: { ...fit.parameters, names: fit.parameters.names.map((n) => n.replace('lag', 'lead')) } };
    expect(() => computeEffects(bad)).toThrow(ModelError);
    expect(() => computeEffects(bad)).toThrow(/should be 'transition\[1->2\]:lag\(intervention\)'/);
    expect(() => computeEffects(fit, { horizon: 0 })).toThrow(UsageError);
    expect(() => computeEffects(fit, { horizon: 0 })).toThrow(/--horizon/);
  });

  it('holds other covariates at their means (and says so when one is missing)', () => {
    const s2: ModelSpec = { ...spec, formulas: { ...spec.formulas, emission: '~ stock(intervention, 0.8) + x' } };
    const noX = { spec: s2, parameters: fit.parameters, effectsBasis: { ...fit.effectsBasis, covariateMeans: {} } };
    expect(() => computeEffects(noX)).toThrow(/sample means[\s\S]*x/);
  });
});

describe('computeEffects with an ordered (ladder) transition model', () => {
  it('a positive intervention slope moves customers up the ladder in every state', () => {
    const ordered: ModelSpec = { ...spec, nStates: 3, transitionType: 'ordered', sharedSlopes: false };
    const history = syntheticHistory(ordered.voiceLabels, {}, 2);
    const model = createModel(ordered, syntheticDesigns(ordered, history), history.offsets);
    const p = model.getParameters();
    const slopes = p.names.filter((n) => n.startsWith('transition') && n.includes('lag(intervention)'));
    expect(slopes.length).toBeGreaterThan(0);
    p.names.forEach((n, i) => {
      if (slopes.includes(n)) p.values[i] = 1;
    });
    const r = computeEffects({ spec: ordered, parameters: p, effectsBasis: { complaintStateMix: [0.5, 0.3, 0.2], complaintRows: 0, covariateMeans: {} } }, { horizon: 5 });
    for (const m of r.relationship.moves) {
      assertClose(m.without.up + m.without.stay + m.without.down, 1, { atol: 1e-12 });
      assertClose(m.with.up + m.with.stay + m.with.down, 1, { atol: 1e-12 });
      if (m.state < 3) expect(m.with.up).toBeGreaterThan(m.without.up);
      if (m.state > 1) expect(m.with.down).toBeLessThan(m.without.down);
    }
    // The emission model has no intervention effect here beyond its own slopes (all 0): no propensity channel.
    expect(r.net.effects.complaint.propensity).toBe(0);
  });
});
