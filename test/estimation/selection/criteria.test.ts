import { describe, expect, it } from 'vitest';
import { buildModelDesigns, pathEntropy } from '../../../src/estimation/fit.js';
import { Rng } from '../../../src/estimation/rng.js';
import { criterionPicks, informationCriteria } from '../../../src/estimation/selection/criteria.js';
import type { ModelSpec } from '../../../src/estimation/spec.js';
import { createModel } from '../../../src/model/hmmModel.js';
import { assertClose } from '../../helpers/assert.js';
import { bruteForceModel } from '../bruteForceModel.js';
import { covariatePanel, makeSpec, randomParameters, simulateVoice } from '../fixtures.js';

const cases: [string, Partial<ModelSpec>][] = [
  ['K=1', { nStates: 1 }],
  ['K=2 multinomial', { nStates: 2, formulas: { initial: '~ x', transition: '~ lag(intervention) + x', emission: '~ stock(intervention, 0.8) + x' } }],
  ['K=3 ordered, shared slopes', { nStates: 3, transitionType: 'ordered', sharedSlopes: true, formulas: { initial: '~ 1', transition: '~ lag(intervention) + x', emission: '~ x' } }],
];

describe('pathEntropy', () => {
  for (const [label, over] of cases) {
    it(`equals the entropy of the state-path posterior by enumeration (${label})`, () => {
      const spec = makeSpec(over);
      for (let rep = 0; rep < 2; rep++) {
        const rng = new Rng(90 + rep, spec.nStates);
        const panel = covariatePanel(rng, [5, 1, 4, 2, 6], spec.voiceLabels);
        const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
        const params = randomParameters(model, rng, 1.2);
        simulateVoice(panel, spec, model, rng, 0.2);
        const bf = bruteForceModel(panel, spec, model);
        assertClose(pathEntropy(panel, spec, params), bf.pathEntropy, { atol: 1e-9 }, label);
        if (spec.nStates === 1) expect(bf.pathEntropy).toBe(0);
        else expect(bf.pathEntropy).toBeGreaterThan(0.1);
      }
    });
  }
});

describe('informationCriteria', () => {
  it('AIC, both BICs and the ICL by their formulas', () => {
    const c = informationCriteria({ logLik: -1000, nParams: 7, observations: 500, customers: 40, entropy: 12.5 });
    assertClose(c.aic, 2000 + 14, { atol: 1e-12 });
    assertClose(c.bicVoices, 2000 + 7 * Math.log(500), { atol: 1e-12 });
    assertClose(c.bicCustomers, 2000 + 7 * Math.log(40), { atol: 1e-12 });
    assertClose(c.icl, 2000 + 7 * Math.log(500) + 25, { atol: 1e-12 });
  });

  it('each criterion picks its smallest value, the first on ties, skipping non-finite values', () => {
    const row = (aic: number, bicVoices: number, bicCustomers: number, icl: number) => ({ aic, bicVoices, bicCustomers, icl, entropy: 0 });
    const picks = criterionPicks([row(10, 5, NaN, 3), row(9, 6, 7, 3), row(11, 4, 8, 2.5)]);
    expect(picks).toEqual({ aic: 1, bicVoices: 2, bicCustomers: 1, icl: 2 });
    expect(criterionPicks([row(1, 1, 1, 1), row(1, 1, 1, 1)])).toEqual({ aic: 0, bicVoices: 0, bicCustomers: 0, icl: 0 });
  });
});
