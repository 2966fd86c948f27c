import { describe, expect, it } from 'vitest';
import { columnRecord, type Panel } from '../../src/data/panel.js';
import { planFit } from '../../src/report/fitLimits.js';
import { makeSpec, simulatedProblem } from '../estimation/fixtures.js';

describe('planFit without keeping the designs', () => {
  const spec = makeSpec({ nStates: 3, formulas: { initial: '~ 1', transition: '~ lag(intervention) + k', emission: '~ stock(intervention, 0.8) + k + lag(intervention, 500) + intervention ++ intervention' } });
  const sim = simulatedProblem(5, makeSpec({ nStates: 3 }), Array.from({ length: 40 }, (_, i) => 5 + (i % 7)), { scale: 1 });
  const withK = (p: Panel, iv?: Float64Array): Panel => ({ ...p, columns: columnRecord({ ...p.columns, k: new Float64Array(p.voice.length).fill(7), ...(iv ? { intervention: iv } : {}) }) });

  it('gives the parameter count and the warnings of the plan that keeps them (one class and a mixture)', () => {
    for (const panel of [withK(sim.panel), withK(sim.panel, new Float64Array(sim.panel.voice.length))]) {
      for (const s of [spec, { ...spec, classes: { count: 2, formula: '~ 1', specific: ['emission' as const] } }]) {
        const kept = planFit(panel, s, 3);
        const lean = planFit(panel, s, 3, { keepDesigns: false });
        expect(lean.nParams).toBe(kept.nParams);
        expect(lean.observations).toBe(kept.observations);
        expect(lean.warnings).toEqual(kept.warnings);
        expect(kept.warnings.length).toBeGreaterThanOrEqual(3); // constant k and lag, identical terms (+ no interventions)
        expect(Object.keys(lean.designs)).toEqual([]);
        expect(kept.designs.emission.values.length).toBe(panel.voice.length * 6);
      }
    }
  });

  it('refuses the same too-large model', () => {
    const small = withK({ ...sim.panel, offsets: sim.panel.offsets.subarray(0, 3) });
    const cut = small.offsets[2];
    const p: Panel = { ...small, period: small.period.subarray(0, cut), voice: small.voice.subarray(0, cut), columns: columnRecord(Object.fromEntries(Object.entries(small.columns).map(([k, v]) => [k, v.subarray(0, cut)]))) };
    const big = makeSpec({ nStates: 6, formulas: spec.formulas });
    expect(() => planFit(p, big, 3)).toThrow(/parameters but/);
    expect(() => planFit(p, big, 3, { keepDesigns: false })).toThrow(/parameters but/);
  });
});
