import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/estimation/simulate.js';
import { buildModelDesigns, fit } from '../../src/estimation/fit.js';
import { createModel } from '../../src/model/hmmModel.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { specWithoutSelection } from '../../src/report/voiceModelFit.js';
import { TRUTH_SPEC, truthParameters } from '../cli/fixtures.js';

// A firm that answers state-1 customers far more at equal voice (the benchmark's design, one
// smaller panel): the selection model finds the selection and the repair effect; the model that
// takes interventions as given reads the selection as an intervention that sends customers to state 1.
describe('selection model on a panel with a firm that targets the worst state', () => {
  it('recovers the selection and the relationship channel that the model without selection gets wrong', () => {
    const spec: ModelSpec = { ...TRUTH_SPEC, formulas: { ...TRUTH_SPEC.formulas, selection: '~ voice_complaint + lag(intervention)' } };
    const plain = truthParameters();
    const skeleton = simulate(TRUTH_SPEC, plain, { customers: 1, periods: 3, policy: { afterComplaint: 0.5, otherwise: 0.5 }, seed: 1 }).panel;
    const names = createModel(spec, buildModelDesigns(skeleton, spec), skeleton.offsets).getParameters().names;
    const sel: Record<string, number> = { 'selection[1]:(Intercept)': -1.5, 'selection[2]:(Intercept)': -4, 'selection:voice_complaint': 1.5, 'selection:lag(intervention)': -0.5 };
    const values = Float64Array.from(names, (n) => sel[n] ?? plain.values[plain.names.indexOf(n)]);
    const { panel } = simulate(spec, { names, values, blocks: [] }, { customers: 600, periods: 30, policy: { afterComplaint: 0, otherwise: 0 }, seed: 21 });
    const at = (r: { parameters: { names: string[]; values: Float64Array } }, n: string) => r.parameters.values[r.parameters.names.indexOf(n)];
    const joint = fit(panel, spec, { starts: 1, seed: 2 });
    const given = fit(panel, specWithoutSelection(spec), { starts: 1, seed: 2 });
    expect(joint.converged && given.converged).toBe(true);
    expect(at(joint, 'selection[1]:(Intercept)') - at(joint, 'selection[2]:(Intercept)')).toBeGreaterThan(1.9); // truth 2.5
    expect(Math.abs(at(joint, 'selection:voice_complaint') - 1.5)).toBeLessThan(0.3);
    expect(Math.abs(at(joint, 'transition[1->2]:lag(intervention)') - 1.5)).toBeLessThan(0.5);
    // taken as given, interventions look like a cause of relapse into state 1 (truth -0.5)
    expect(at(given, 'transition[2->1]:lag(intervention)')).toBeGreaterThan(1.5);
  }, 60_000);
});
