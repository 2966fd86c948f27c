/**
 * The two emission-table representations of the E-step (per pattern, per row with the observed
 * voice only) give the same likelihood, posteriors, counts, M-steps and EM paths, and the per-row
 * one equals enumeration over all state paths.
 */
import { describe, expect, it } from 'vitest';
import { EStep, type EmissionTables } from '../../src/estimation/eStep.js';
import { Rng } from '../../src/estimation/rng.js';
import { randomResponsibilities, startFromResponsibilities } from '../../src/estimation/starts.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import type { HmmModel } from '../../src/model/hmmModel.js';
import type { Panel } from '../../src/data/panel.js';
import { assertClose, assertLogLikIncreasing } from '../helpers/assert.js';
import { bruteForceModel } from './bruteForceModel.js';
import { assertGradientByDifferences, eStepWithLayout, layoutProblem, makeSpec, runEmInLayout } from './fixtures.js';

const cases: [string, Partial<ModelSpec>][] = [
  ['K=2 covariates on every sub-model', { nStates: 2, formulas: { initial: '~ x', transition: '~ lag(intervention) + x', emission: '~ stock(intervention, 0.8) + x' } }],
  ['K=3 multinomial', { nStates: 3, formulas: { initial: '~ x', transition: '~ lag(intervention)', emission: '~ intervention + x' } }],
  ['K=3 ordered, shared slopes, 4 voices', { nStates: 3, transitionType: 'ordered', sharedSlopes: true, voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'], formulas: { initial: '~ 1', transition: '~ lag(intervention) + x', emission: '~ x' } }],
];

const problem = layoutProblem;
const eStepOf = (model: HmmModel, panel: Panel, emission: EmissionTables): EStep => eStepWithLayout(model, panel, emission);

/** Per-row observed-voice weights [r*K + k] summed into the per-pattern layout [(p*K + k)*V + c]. */
function aggregate(perRow: Float64Array, index: Int32Array, voice: Int32Array, nPatterns: number, K: number, V: number): Float64Array {
  const out = new Float64Array(nPatterns * K * V);
  for (let r = 0; r < voice.length; r++) {
    if (voice[r] < 0) continue;
    for (let k = 0; k < K; k++) out[(index[r] * K + k) * V + voice[r]] += perRow[r * K + k];
  }
  return out;
}

describe('per-row emission tables', () => {
  for (const [label, over] of cases) {
    it(`${label}: equal enumeration over all state paths and the per-pattern E-step`, () => {
      const spec = makeSpec(over);
      const K = spec.nStates;
      const V = spec.voiceLabels.length;
      for (let rep = 0; rep < 3; rep++) {
        const { panel, model } = problem(spec, [5, 1, 4, 2, 6], 170 + rep, 0.2);
        const bf = bruteForceModel(panel, spec, model);
        const byPattern = eStepOf(model, panel, 'patterns');
        const byRow = eStepOf(model, panel, 'rows');
        expect(byPattern.emissionPerRow).toBe(false);
        expect(byRow.emissionPerRow).toBe(true);
        expect(byRow.stats.counts.emission.length).toBe(panel.voice.length * K);

        const gP = new Float64Array(panel.voice.length * K);
        const gR = new Float64Array(panel.voice.length * K);
        const llP = byPattern.run(model.parts, gP);
        const llR = byRow.run(model.parts, gR);
        assertClose(llR, bf.logLik, { atol: 1e-10 }, `${label} per-row logLik vs enumeration`);
        assertClose(gR, bf.gamma, { atol: 1e-10 }, `${label} per-row gamma vs enumeration`);
        // the kernel reads the same probability values in both layouts: the same bits
        expect(llR).toBe(llP);
        expect(byRow.logLik(model.parts)).toBe(byPattern.logLik(model.parts));
        expect(Array.from(gR)).toEqual(Array.from(gP));
        expect(Array.from(byRow.stats.counts.transition)).toEqual(Array.from(byPattern.stats.counts.transition));
        expect(Array.from(byRow.stats.counts.initial)).toEqual(Array.from(byPattern.stats.counts.initial));
        // per-row emission counts: posterior weight at rows with observed voice (by enumeration)
        const expected = new Float64Array(panel.voice.length * K);
        for (let r = 0; r < panel.voice.length; r++) {
          if (panel.voice[r] >= 0) for (let k = 0; k < K; k++) expected[r * K + k] = bf.gamma[r * K + k];
        }
        const observed = byRow.stats.counts.emission.slice();
        for (let r = 0; r < panel.voice.length; r++) if (panel.voice[r] < 0) for (let k = 0; k < K; k++) observed[r * K + k] = 0;
        assertClose(observed, expected, { atol: 1e-10 }, `${label} per-row emission counts`);
        const e = model.parts[2].design;
        assertClose(aggregate(byRow.stats.counts.emission, e.index, panel.voice, e.nPatterns, K, V), byPattern.stats.counts.emission, { atol: 1e-12 }, `${label} aggregated emission counts`);
        expect(Array.from(byRow.viterbi(model.parts))).toEqual(Array.from(bf.viterbi));
        expect(Array.from(byRow.viterbi(model.parts))).toEqual(Array.from(byPattern.viterbi(model.parts)));
      }
    });
  }

  it('per-row probabilities are the per-pattern entries of the observed voice, bit for bit (1, log 0, when missing)', () => {
    const spec = makeSpec(cases[2][1]);
    const K = spec.nStates;
    const V = spec.voiceLabels.length;
    const { panel, model } = problem(spec, [400, 700, 300, 900], 9, 0.25); // 2300 rows: several chunks
    const em = model.parts[2];
    const e = em.design;
    for (const log of [false, true]) {
      const table = new Float64Array(e.nPatterns * K * V);
      if (log) em.logProbabilities(table);
      else em.probabilities(table);
      const out = new Float64Array(panel.voice.length * K).fill(NaN);
      em.observedProbabilities!(panel.voice, log, out);
      let missing = 0;
      for (let r = 0; r < panel.voice.length; r++) {
        const v = panel.voice[r];
        if (v < 0) missing++;
        for (let k = 0; k < K; k++) {
          const want = v < 0 ? (log ? 0 : 1) : table[(e.index[r] * K + k) * V + v];
          if (out[r * K + k] !== want) throw new Error(`row ${r} state ${k} (log ${log}): ${out[r * K + k]} != ${want}`);
        }
      }
      expect(missing).toBeGreaterThan(400);
    }
    expect(() => em.observedProbabilities!(panel.voice.subarray(1), false, new Float64Array((panel.voice.length - 1) * K))).toThrow(RangeError);
    expect(() => em.observedProbabilities!(panel.voice, false, new Float64Array(panel.voice.length))).toThrow(RangeError);
  });

  for (const [label, over] of cases) {
    it(`${label}: same M-steps from both count layouts and the same EM path, over several chunks`, () => {
      const spec = makeSpec(over);
      const K = spec.nStates;
      const lengths = Array.from({ length: 160 }, (_, i) => 3 + (i % 23)); // about 2200 rows
      const { panel, model } = problem(spec, lengths, 40 + K, 0.15);
      const mP = model.clone();
      const mR = model.clone();
      const byPattern = eStepOf(mP, panel, 'patterns');
      const byRow = eStepOf(mR, panel, 'rows');
      const mStep = { ridge: 1e-8, maxNewtonIter: 25, newtonTol: 1e-12 };
      // a random start through each layout (starts use the panel's voice, not voice')
      startFromResponsibilities(mP.parts, byPattern, randomResponsibilities(new Rng(3, 1), K, spec.voiceLabels.length), mStep);
      startFromResponsibilities(mR.parts, byRow, randomResponsibilities(new Rng(3, 1), K, spec.voiceLabels.length), mStep);
      assertClose(mR.getParameters().values, mP.getParameters().values, { atol: 1e-9, rtol: 1e-9 }, `${label} start`);
      // the M-step's objective is the same function of the parameters in both layouts
      const llP0 = byPattern.run(mP.parts);
      byRow.run(mP.parts); // statistics at the same (pattern-layout) parameters
      const a = mP.clone();
      const b = mP.clone();
      const ra = a.parts[2].mStep(byPattern.stats, { ...mStep, maxNewtonIter: 1 });
      const rb = b.parts[2].mStep(byRow.stats, { ...mStep, maxNewtonIter: 1 });
      assertClose(rb.before, ra.before, { rtol: 1e-12 }, `${label} M-step objective before`);
      assertClose(rb.after, ra.after, { rtol: 1e-12 }, `${label} M-step objective after`);
      expect(rb.after).toBeGreaterThan(rb.before);
      assertClose(b.getParameters().values, a.getParameters().values, { atol: 1e-10, rtol: 1e-10 }, `${label} one Newton step`);
      // plain EM, 15 iterations from the start, in each layout
      const hP = [llP0];
      const hR = [byRow.run(mR.parts)];
      for (let it = 0; it < 15; it++) {
        for (const part of mP.parts) part.mStep(byPattern.stats, { ...mStep, maxNewtonIter: 1 });
        for (const part of mR.parts) part.mStep(byRow.stats, { ...mStep, maxNewtonIter: 1 });
        hP.push(byPattern.run(mP.parts));
        hR.push(byRow.run(mR.parts));
      }
      assertLogLikIncreasing(hR);
      expect(hR[15] - hR[0]).toBeGreaterThan(1);
      assertClose(hR, hP, { rtol: 1e-11 }, `${label} EM log-likelihoods`);
      assertClose(mR.getParameters().values, mP.getParameters().values, { atol: 1e-8, rtol: 1e-8 }, `${label} EM parameters`);
    });
  }

  it('objective, gradient and Hessian from per-row counts equal the per-pattern ones, and finite differences', () => {
    const spec = makeSpec(cases[2][1]);
    const K = spec.nStates;
    const lengths = Array.from({ length: 120 }, (_, i) => 4 + (i % 17));
    const { panel, model } = problem(spec, lengths, 77, 0.2);
    const byPattern = eStepOf(model, panel, 'patterns');
    const byRow = eStepOf(model, panel, 'rows');
    byPattern.run(model.parts);
    byRow.run(model.parts);
    const em = model.parts[2];
    const P = em.nParams;
    const cP = byPattern.stats.counts.emission;
    const cR = byRow.stats.counts.emission;
    const obs = byRow.stats.observed!.emission!;
    expect(obs).toBe(panel.voice);
    const ridge = 0.01;
    const qP = em.objective(cP, ridge);
    const qR = em.objective(cR, ridge, obs);
    assertClose(qR, qP, { rtol: 1e-12 }, 'objective');
    const gP = new Float64Array(P);
    const gR = new Float64Array(P);
    em.gradient(cP, ridge, gP);
    em.gradient(cR, ridge, gR, obs);
    assertClose(gR, gP, { atol: 1e-9, rtol: 1e-11 }, 'gradient');
    const hP = new Float64Array(P * P);
    const hR = new Float64Array(P * P);
    em.hessian(cP, ridge, hP);
    em.hessian(cR, ridge, hR, obs);
    assertClose(hR, hP, { atol: 1e-9, rtol: 1e-11 }, 'Hessian');
    // finite differences of the per-row objective
    assertGradientByDifferences(em, cR, ridge, obs, gR);
    expect(() => em.gradient(cR, ridge, gR)).toThrow(RangeError); // per-row counts without their outcomes
    expect(() => em.objective(cR.subarray(K), ridge, obs)).toThrow(RangeError);
  });

  it('the EM driver (SQUAREM, then quasi-Newton) reaches the same fit in both layouts', () => {
    const spec = makeSpec(cases[0][1]);
    const lengths = Array.from({ length: 150 }, (_, i) => 5 + (i % 19));
    const { panel, model } = problem(spec, lengths, 91, 0.1);
    const results = (['patterns', 'rows'] as const).map((layout) => runEmInLayout(model, panel, spec, layout));
    const [p, r] = results;
    expect(p.em.converged).toBe(true);
    expect(r.em.converged).toBe(true);
    assertLogLikIncreasing(r.em.history);
    assertClose(r.em.logLik, p.em.logLik, { rtol: 1e-10 }, 'final log-likelihood');
    assertClose(r.params, p.params, { atol: 1e-5, rtol: 1e-5 }, 'final parameters');
  });

  it('boundary counts: every table entry per pattern, the observed voices per row', () => {
    const spec = makeSpec({ ...cases[1][1], formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ x' } });
    const K = spec.nStates;
    const V = spec.voiceLabels.length;
    const { panel, model } = problem(spec, [30, 50, 20], 12, 0.2);
    // a strong slope puts some probabilities near 0 and 1 at the extreme x values
    const p = model.getParameters().values.slice();
    const names = model.getParameters().names;
    names.forEach((n, i) => {
      if (n.startsWith('emission[') && n.endsWith(':x')) p[i] = 9;
    });
    model.setParameters(p);
    const byPattern = eStepOf(model, panel, 'patterns');
    const byRow = eStepOf(model, panel, 'rows');
    byPattern.computeProbabilities(model.parts);
    byRow.computeProbabilities(model.parts);
    const eps = 1e-6;
    const near = (x: number) => x < eps || x > 1 - eps;
    const table = byPattern.probs.emission;
    expect(byPattern.countBoundary('emission', eps)).toBe(Array.from(table).filter(near).length);
    const e = model.parts[2].design;
    let observed = 0;
    for (let r = 0; r < panel.voice.length; r++) {
      const v = panel.voice[r];
      if (v >= 0) for (let k = 0; k < K; k++) if (near(table[(e.index[r] * K + k) * V + v])) observed++;
    }
    expect(observed).toBeGreaterThan(0);
    expect(byRow.countBoundary('emission', eps)).toBe(observed);
    expect(byRow.countBoundary('transition', eps)).toBe(byPattern.countBoundary('transition', eps));
  });

  it('auto keeps small tables per pattern; per-row input errors are RangeErrors', () => {
    const spec = makeSpec(cases[1][1]);
    const { panel, model } = problem(spec, [6, 4, 9], 3, 0.1);
    expect(eStepOf(model, panel, 'auto').emissionPerRow).toBe(false);
    expect(new EStep(model.parts, 3, 3, panel.offsets, panel.voice).emissionPerRow).toBe(false);
    const bad = panel.voice.slice();
    bad[4] = 3;
    expect(() => new EStep(model.parts, 3, 3, panel.offsets, bad, { emission: 'rows' })).toThrow(RangeError);
  });
});
