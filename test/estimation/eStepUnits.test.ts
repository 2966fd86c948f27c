/**
 * Per-unit emission tables (the distinct (pattern, observed voice) pairs, grouped by pattern) hold
 * the same sums as the per-pattern tables' non-zero entries, so they give the same likelihood,
 * posteriors, counts, M-steps and EM paths bit for bit, and equal enumeration over state paths.
 */
import { describe, expect, it } from 'vitest';
import { EStep, emissionUnits, type EmissionTables } from '../../src/estimation/eStep.js';
import { Rng } from '../../src/estimation/rng.js';
import { randomResponsibilities, startFromResponsibilities } from '../../src/estimation/starts.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import type { HmmModel } from '../../src/model/hmmModel.js';
import type { GroupedUnits } from '../../src/model/subModel.js';
import type { Panel } from '../../src/data/panel.js';
import { assertClose, assertLogLikIncreasing } from '../helpers/assert.js';
import { bruteForceModel } from './bruteForceModel.js';
import { assertGradientByDifferences, eStepWithLayout, layoutProblem, makeSpec, runEmInLayout } from './fixtures.js';

const cases: [string, Partial<ModelSpec>][] = [
  ['K=2 stock and a covariate', { nStates: 2, formulas: { initial: '~ x', transition: '~ lag(intervention) + x', emission: '~ stock(intervention, 0.8) + x' } }],
  ['K=3 stock alone (two columns)', { nStates: 3, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' } }],
  ['K=3 ordered, shared slopes, 4 voices', { nStates: 3, transitionType: 'ordered', sharedSlopes: true, voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'], formulas: { initial: '~ 1', transition: '~ lag(intervention) + x', emission: '~ x' } }],
];

const problem = layoutProblem;
const eStepOf = (model: HmmModel, panel: Panel, emission: EmissionTables): EStep => eStepWithLayout(model, panel, emission);

/** Per-unit [u*K + k] spread into the per-pattern layout [(p*K + k)*V + c]. */
function spread(perUnit: Float64Array, units: GroupedUnits, K: number, V: number): Float64Array {
  const nP = units.start.length - 1;
  const out = new Float64Array(nP * K * V);
  for (let p = 0; p < nP; p++) {
    for (let u = units.start[p]; u < units.start[p + 1]; u++) {
      for (let k = 0; k < K; k++) out[(p * K + k) * V + units.outcome[u]] = perUnit[u * K + k];
    }
  }
  return out;
}

describe('per-unit emission tables', () => {
  it('units are the distinct (pattern, voice) pairs, grouped by pattern in voice order', () => {
    const index = Int32Array.from([0, 2, 0, 1, 2, 0, 2, 0]);
    const voice = Int32Array.from([1, 0, 1, -1, 2, 0, 0, -1]);
    const { units, rowUnit } = emissionUnits(index, 4, voice, 3);
    // pattern 0: voices {0, 1}; pattern 1: none; pattern 2: {0, 2}; pattern 3: none
    expect(Array.from(units.start)).toEqual([0, 2, 2, 4, 4]);
    expect(Array.from(units.outcome)).toEqual([0, 1, 0, 2]);
    expect(Array.from(rowUnit)).toEqual([1, 2, 1, -1, 3, 0, 2, -1]);
    expect(() => emissionUnits(index, 4, Int32Array.from([1, 0, 1, -1, 3, 0, 0, -1]), 3)).toThrow(RangeError);
  });

  for (const [label, over] of cases) {
    it(`${label}: same bits as the per-pattern E-step, and enumeration over all state paths`, () => {
      const spec = makeSpec(over);
      const K = spec.nStates;
      const V = spec.voiceLabels.length;
      for (let rep = 0; rep < 3; rep++) {
        const { panel, model } = problem(spec, [5, 1, 4, 2, 6], 370 + rep, 0.2);
        const bf = bruteForceModel(panel, spec, model);
        const byPattern = eStepOf(model, panel, 'patterns');
        const byUnit = eStepOf(model, panel, 'units');
        expect(byUnit.emissionLayout).toBe('units');
        const units = byUnit.emissionUnits!;
        expect(byUnit.stats.observed!.emission).toBe(units);
        const gP = new Float64Array(panel.voice.length * K);
        const gU = new Float64Array(panel.voice.length * K);
        const llP = byPattern.run(model.parts, gP);
        const llU = byUnit.run(model.parts, gU);
        assertClose(llU, bf.logLik, { atol: 1e-10 }, `${label} logLik vs enumeration`);
        assertClose(gU, bf.gamma, { atol: 1e-10 }, `${label} gamma vs enumeration`);
        expect(llU).toBe(llP);
        expect(byUnit.logLik(model.parts)).toBe(byPattern.logLik(model.parts));
        expect(Array.from(gU)).toEqual(Array.from(gP));
        expect(Array.from(byUnit.stats.counts.transition)).toEqual(Array.from(byPattern.stats.counts.transition));
        // unit counts are the per-pattern table's entries, and every other entry of that table is 0
        expect(Array.from(spread(byUnit.stats.counts.emission, units, K, V))).toEqual(Array.from(byPattern.stats.counts.emission));
        expect(Array.from(byUnit.viterbi(model.parts))).toEqual(Array.from(bf.viterbi));
      }
    });
  }

  it('grouped probabilities are the per-pattern entries of the unit voice, bit for bit, over several chunks', () => {
    const spec = makeSpec(cases[0][1]);
    const K = spec.nStates;
    const V = spec.voiceLabels.length;
    const { panel, model } = problem(spec, [400, 700, 300, 900], 9, 0.25);
    const em = model.parts[2];
    const { units } = emissionUnits(em.design.index, em.design.nPatterns, panel.voice, V);
    expect(em.design.nPatterns).toBeGreaterThan(2048);
    for (const log of [false, true]) {
      const table = new Float64Array(em.design.nPatterns * K * V);
      if (log) em.logProbabilities(table);
      else em.probabilities(table);
      const out = new Float64Array(units.outcome.length * K).fill(NaN);
      em.groupedProbabilities!(units, log, out);
      for (let p = 0; p < em.design.nPatterns; p++) {
        for (let u = units.start[p]; u < units.start[p + 1]; u++) {
          for (let k = 0; k < K; k++) {
            const want = table[(p * K + k) * V + units.outcome[u]];
            if (out[u * K + k] !== want) throw new Error(`unit ${u} state ${k} (log ${log}): ${out[u * K + k]} != ${want}`);
          }
        }
      }
    }
    expect(() => em.groupedProbabilities!(units, false, new Float64Array(3))).toThrow(RangeError);
  });

  for (const [label, over] of cases) {
    it(`${label}: the same M-steps and EM path, bit for bit`, () => {
      const spec = makeSpec(over);
      const K = spec.nStates;
      const lengths = Array.from({ length: 160 }, (_, i) => 3 + (i % 23));
      const { panel, model } = problem(spec, lengths, 40 + K, 0.15);
      const mP = model.clone();
      const mU = model.clone();
      const byPattern = eStepOf(mP, panel, 'patterns');
      const byUnit = eStepOf(mU, panel, 'units');
      const mStep = { ridge: 1e-8, maxNewtonIter: 25, newtonTol: 1e-12 };
      startFromResponsibilities(mP.parts, byPattern, randomResponsibilities(new Rng(3, 1), K, spec.voiceLabels.length), mStep);
      startFromResponsibilities(mU.parts, byUnit, randomResponsibilities(new Rng(3, 1), K, spec.voiceLabels.length), mStep);
      expect(Array.from(mU.getParameters().values)).toEqual(Array.from(mP.getParameters().values));
      const hP = [byPattern.run(mP.parts)];
      const hU = [byUnit.run(mU.parts)];
      for (let it = 0; it < 15; it++) {
        for (const part of mP.parts) part.mStep(byPattern.stats, { ...mStep, maxNewtonIter: 1 });
        for (const part of mU.parts) part.mStep(byUnit.stats, { ...mStep, maxNewtonIter: 1 });
        hP.push(byPattern.run(mP.parts));
        hU.push(byUnit.run(mU.parts));
      }
      assertLogLikIncreasing(hU);
      expect(hU[15] - hU[0]).toBeGreaterThan(1);
      expect(hU).toEqual(hP);
      expect(Array.from(mU.getParameters().values)).toEqual(Array.from(mP.getParameters().values));
    });
  }

  it('objective, gradient and Hessian from unit counts equal the per-pattern ones and finite differences', () => {
    const spec = makeSpec(cases[0][1]);
    const lengths = Array.from({ length: 120 }, (_, i) => 4 + (i % 17));
    const { panel, model } = problem(spec, lengths, 77, 0.2);
    const byPattern = eStepOf(model, panel, 'patterns');
    const byUnit = eStepOf(model, panel, 'units');
    byPattern.run(model.parts);
    byUnit.run(model.parts);
    const em = model.parts[2];
    const P = em.nParams;
    const cP = byPattern.stats.counts.emission;
    const cU = byUnit.stats.counts.emission;
    const obs = byUnit.stats.observed!.emission!;
    const ridge = 0.01;
    expect(em.objective(cU, ridge, obs)).toBe(em.objective(cP, ridge));
    const gP = new Float64Array(P);
    const gU = new Float64Array(P);
    em.gradient(cP, ridge, gP);
    em.gradient(cU, ridge, gU, obs);
    expect(Array.from(gU)).toEqual(Array.from(gP));
    const hP = new Float64Array(P * P);
    const hU = new Float64Array(P * P);
    em.hessian(cP, ridge, hP);
    em.hessian(cU, ridge, hU, obs);
    expect(Array.from(hU)).toEqual(Array.from(hP));
    assertGradientByDifferences(em, cU, ridge, obs, gU);
    expect(() => em.objective(cU.subarray(1), ridge, obs)).toThrow(RangeError);
  });

  it('the EM driver (SQUAREM, then quasi-Newton) takes the same path in both layouts', () => {
    const spec = makeSpec(cases[1][1]);
    const lengths = Array.from({ length: 150 }, (_, i) => 5 + (i % 19));
    const { panel, model } = problem(spec, lengths, 91, 0.1);
    const results = (['patterns', 'units'] as const).map((layout) => runEmInLayout(model, panel, spec, layout));
    const [p, u] = results;
    expect(u.em.converged).toBe(true);
    expect(u.em.history).toEqual(p.em.history);
    expect(Array.from(u.params)).toEqual(Array.from(p.params));
  });

  it("the M-step's last pass fills the E-step's unit table at its parameters, and a table at other parameters is recomputed", () => {
    const spec = makeSpec(cases[1][1]);
    const K = spec.nStates;
    const V = spec.voiceLabels.length;
    const lengths = Array.from({ length: 120 }, (_, i) => 4 + (i % 17));
    const { panel, model } = problem(spec, lengths, 91, 0.2);
    const byUnit = eStepOf(model, panel, 'units');
    const units = byUnit.emissionUnits!;
    const em = model.parts[2];
    const nP = em.design.nPatterns;
    /** The unit table at the emission model's current parameters, from its own per-pattern table. */
    const expected = (): Float64Array => {
      const table = new Float64Array(nP * K * V);
      em.probabilitiesFor(em.design.patterns, nP, table);
      const want = new Float64Array(units.outcome.length * K);
      for (let p = 0; p < nP; p++) for (let u = units.start[p]; u < units.start[p + 1]; u++) for (let k = 0; k < K; k++) want[u * K + k] = table[(p * K + k) * V + units.outcome[u]];
      return want;
    };
    byUnit.run(model.parts);
    const before = byUnit.probs.emission.slice();
    for (const part of model.parts) part.mStep(byUnit.stats, { ridge: 1e-8, maxNewtonIter: 1, newtonTol: 1e-12 });
    // filled by the M-step's pass at the new parameters (before the next E-step computes anything)
    const filled = byUnit.probs.emission.slice();
    expect(Array.from(filled)).not.toEqual(Array.from(before));
    expect(Array.from(filled)).toEqual(Array.from(expected()));
    // another table for the same units is gathered, not taken as filled
    const other = new Float64Array(filled.length).fill(NaN);
    em.groupedProbabilities!(units, false, other);
    expect(Array.from(other)).toEqual(Array.from(filled));
    // at other parameters the table is recomputed
    const theta = new Float64Array(em.nParams);
    em.getParams(theta, 0);
    for (let a = 0; a < theta.length; a++) theta[a] += 0.1 * ((a % 3) - 1);
    em.setParams(theta, 0);
    // (into the table gathered last, the one marked as holding the gather)
    em.groupedProbabilities!(units, false, other);
    expect(Array.from(other)).toEqual(Array.from(expected()));
    expect(Array.from(other)).not.toEqual(Array.from(filled));
    em.groupedProbabilities!(units, false, byUnit.probs.emission);
    expect(Array.from(byUnit.probs.emission)).toEqual(Array.from(other));
  });
});
