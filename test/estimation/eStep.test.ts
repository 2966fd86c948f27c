import { describe, expect, it } from 'vitest';
import { EStep } from '../../src/estimation/eStep.js';
import { buildModelDesigns, logLikelihood, posterior, viterbi } from '../../src/estimation/fit.js';
import { Rng } from '../../src/estimation/rng.js';
import { createModel } from '../../src/model/hmmModel.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { assertClose } from '../helpers/assert.js';
import { bruteForceModel } from './bruteForceModel.js';
import { covariatePanel, makeSpec, randomParameters, simulateVoice } from './fixtures.js';

const cases: [string, Partial<ModelSpec>][] = [
  ['K=1', { nStates: 1, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ x' } }],
  ['K=2 covariates on every sub-model', { nStates: 2, formulas: { initial: '~ x', transition: '~ lag(intervention) + x', emission: '~ stock(intervention, 0.8) + x' } }],
  ['K=3 multinomial', { nStates: 3, formulas: { initial: '~ x', transition: '~ lag(intervention)', emission: '~ intervention + x' } }],
  ['K=3 ordered, shared slopes', { nStates: 3, transitionType: 'ordered', sharedSlopes: true, formulas: { initial: '~ 1', transition: '~ lag(intervention) + x', emission: '~ x' } }],
];

describe('E-step on a model equals enumeration over all state paths', () => {
  for (const [label, over] of cases) {
    it(label, () => {
      const spec = makeSpec(over);
      const K = spec.nStates;
      const lengths = K === 3 ? [5, 1, 4, 2, 6] : [6, 1, 3, 7, 2];
      for (let rep = 0; rep < 3; rep++) {
        const rng = new Rng(70 + rep, K);
        const panel = covariatePanel(rng, lengths, spec.voiceLabels);
        const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
        const params = randomParameters(model, rng, 1.2);
        simulateVoice(panel, spec, model, rng, 0.2);
        const bf = bruteForceModel(panel, spec, model);

        const eStep = new EStep(model.parts, K, spec.voiceLabels.length, panel.offsets, panel.voice);
        const gamma = new Float64Array(panel.voice.length * K);
        assertClose(eStep.run(model.parts, gamma), bf.logLik, { atol: 1e-10 }, `${label} E-step logLik`);
        assertClose(eStep.logLik(model.parts), bf.logLik, { atol: 1e-10 }, `${label} forward logLik`);
        assertClose(gamma, bf.gamma, { atol: 1e-10 }, `${label} gamma`);
        // transition counts: brute-force per-row xi summed by the row's transition pattern
        const tIndex = model.parts[1].design.index;
        const xi = new Float64Array(eStep.stats.counts.transition.length);
        for (let s = 0; s + 1 < panel.offsets.length; s++) {
          for (let r = panel.offsets[s] + 1; r < panel.offsets[s + 1]; r++) {
            for (let ij = 0; ij < K * K; ij++) xi[tIndex[r] * K * K + ij] += bf.xiPerRow[r * K * K + ij];
          }
        }
        assertClose(eStep.stats.counts.transition, xi, { atol: 1e-10 }, `${label} transition counts`);
        // the library functions agree
        assertClose(logLikelihood(panel, spec, params), bf.logLik, { atol: 1e-10 }, `${label} logLikelihood()`);
        assertClose(posterior(panel, spec, params), bf.gamma, { atol: 1e-10 }, `${label} posterior()`);
        expect(Array.from(viterbi(panel, spec, params)), `${label} viterbi()`).toEqual(Array.from(bf.viterbi));
      }
    });
  }

  it('emission and initial counts add up to observed rows and customers', () => {
    const spec = makeSpec({ nStates: 3, formulas: { initial: '~ x', transition: '~ lag(intervention)', emission: '~ x' } });
    const rng = new Rng(5);
    const panel = covariatePanel(rng, [8, 3, 1, 9], spec.voiceLabels);
    const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
    randomParameters(model, rng);
    simulateVoice(panel, spec, model, rng, 0.3);
    const eStep = new EStep(model.parts, 3, 3, panel.offsets, panel.voice);
    eStep.run(model.parts);
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    assertClose(sum(eStep.stats.counts.initial), 4, { atol: 1e-12 });
    assertClose(sum(eStep.stats.counts.transition), 7 + 2 + 0 + 8, { atol: 1e-12 });
    assertClose(sum(eStep.stats.counts.emission), Array.from(panel.voice).filter((v) => v >= 0).length, { atol: 1e-12 });
    // running twice gives the same statistics (counts are zeroed, not accumulated)
    const first = eStep.stats.counts.emission.slice();
    eStep.run(model.parts);
    assertClose(eStep.stats.counts.emission, first, { atol: 0 });
  });

  it('rejects sub-models of the wrong shape', () => {
    const spec = makeSpec({ nStates: 2 });
    const panel = covariatePanel(new Rng(1), [3, 2], spec.voiceLabels);
    const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
    expect(() => new EStep(model.parts, 3, 3, panel.offsets, panel.voice)).toThrow(RangeError);
    expect(() => new EStep(model.parts, 2, 4, panel.offsets, panel.voice)).toThrow(RangeError);
    expect(() => new EStep(model.parts, 2, 3, panel.offsets, Int32Array.from([0, 1, 5, 0, 0]))).toThrow(RangeError);
  });
});
