import { describe, it, expect } from 'vitest';
import { effectsFigures } from '../../src/report/effectsCore.js';
import { computeEffects } from '../../src/report/computeEffects.js';
import { SCENARIOS, type ScenarioName, type ScenarioProbabilities } from '../../src/report/effectsTypes.js';
import { Rng } from '../../src/estimation/rng.js';
import { syntheticDesigns, syntheticHistory, scenarioProbabilities } from '../../src/report/scenarios.js';
import { modelWithParameters } from '../../src/report/computeEffects.js';
import { randomStochastic } from '../kernels/bruteForce.js';
import { assertClose } from '../helpers/assert.js';
import { enumeratePaths } from './enumeratePaths.js';
import { handFit, handSpec } from './handModel.js';

const ARM: Record<ScenarioName, [keyof ScenarioProbabilities['transition'], keyof ScenarioProbabilities['emission']]> = {
  none: ['without', 'without'],
  relationshipOnly: ['with', 'without'],
  propensityOnly: ['without', 'with'],
  both: ['with', 'with'],
};

/** P(voice v in period h) in scenario s, by enumerating every state path. */
function enumerate(p: ScenarioProbabilities, start: number[], s: ScenarioName): number[][] {
  const [ta, ea] = ARM[s];
  return enumeratePaths(p.nStates, p.voiceLabels.length, p.horizon, start, p.transition[ta], p.emission[ea]);
}

describe('the report over time', () => {
  it('per-period expected voices of every scenario equal enumeration over state paths', () => {
    const rng = new Rng(3);
    for (const [K, V, H] of [
      [2, 3, 5],
      [3, 4, 4],
    ]) {
      const rand = (rows: number, n: number) => Float64Array.from(randomStochastic(rng, rows, n));
      const probs: ScenarioProbabilities = {
        nStates: K,
        voiceLabels: Array.from({ length: V }, (_, v) => `v${v}`),
        horizon: H,
        transition: { without: rand(H * K, K), with: rand(H * K, K) },
        emission: { without: rand(H * K, V), with: rand(H * K, V) },
      };
      const start = Array.from(randomStochastic(rng, 1, K));
      const { figures } = effectsFigures({ probs, startMix: start, horizon: H, settled: false });
      for (const s of SCENARIOS) {
        const want = enumerate(probs, start, s);
        probs.voiceLabels.forEach((l, v) => {
          assertClose(figures.overTime.expected[s][l], want.map((row) => row[v]), { atol: 1e-14 }, `${s} ${l}`);
          let run = 0;
          assertClose(figures.overTime.cumulative[s][l], want.map((row) => (run += row[v])), { atol: 1e-14 });
        });
      }
      for (const l of probs.voiceLabels) {
        const e = figures.overTime.effects[l];
        const x = figures.overTime.expected;
        for (let h = 0; h < H; h++) {
          assertClose(e.net[h], x.both[l][h] - x.none[l][h], { atol: 1e-15 });
          assertClose(e.relationship[h] + e.propensity[h] + e.interaction[h], e.net[h], { atol: 1e-15 });
        }
        assertClose(figures.net.effects[l].net, figures.overTime.cumulativeEffects[l].net[H - 1], { atol: 0 });
      }
      // State shares: probability distributions in every period.
      for (let h = 0; h < H; h++) assertClose(figures.overTime.stateShares.with.reduce((a, sh) => a + sh[h], 0), 1, { atol: 1e-14 });
    }
  });

  it('cumulative expected complaints over 150 periods match a Monte Carlo simulation of the customer', () => {
    const fit = handFit();
    const H = 150;
    const r = computeEffects(fit, { horizon: H });
    // Simulate the hypothetical customer from the model's own probabilities (drawn per period).
    const spec = handSpec();
    const history = syntheticHistory(spec.voiceLabels, {}, H);
    const designs = syntheticDesigns(spec, history);
    const model = modelWithParameters(spec, fit.parameters, designs, history.offsets);
    const p = scenarioProbabilities(spec, designs, model.parts[1], model.parts[2], H);
    const rng = new Rng(2024);
    const paths = 20000;
    for (const s of ['none', 'both'] as const) {
      const [ta, ea] = ARM[s];
      let sum = 0;
      let sum2 = 0;
      for (let i = 0; i < paths; i++) {
        let k = rng.uniform() < fit.effectsBasis.complaintStateMix[0] ? 0 : 1;
        let n = 0;
        for (let h = 0; h < H; h++) {
          k = rng.uniform() < p.transition[ta][h * 4 + k * 2] ? 0 : 1;
          if (rng.uniform() < p.emission[ea][h * 4 + k * 2]) n++;
        }
        sum += n;
        sum2 += n * n;
      }
      const mean = sum / paths;
      const se = Math.sqrt((sum2 / paths - mean * mean) / paths);
      expect(Math.abs(mean - r.overTime.cumulative[s].complaint[H - 1]), `${s}: MC ${mean} +- ${se}`).toBeLessThan(4 * se);
    }
  });

  it('the headline numbers add up exactly and the ratio uses the same decomposition', () => {
    const r = computeEffects(handFit(), { horizon: 30 });
    const s = r.summary[0];
    const num = (re: RegExp) => {
      const m = re.exec(s);
      expect(m, `${re} in ${s}`).not.toBeNull();
      return Math.round(Number(m![1].replace('+', '')) * 1000);
    };
    const sign = (word: string) => (word === 'raise' ? 1 : -1);
    const prop = /interventions (raise|lower) expected complaints by ([\d.]+) through propensity/.exec(s)!;
    const rel = /and (raise|lower) them by ([\d.]+) through relationship/.exec(s)!;
    const P = sign(prop[1]) * Math.round(Number(prop[2]) * 1000);
    const R = sign(rel[1]) * Math.round(Number(rel[2]) * 1000);
    const I = num(/the two channels interact by ([+-][\d.]+)/);
    const N = num(/: net ([+-][\d.]+) per customer/);
    expect(P + R + I).toBe(N);
    const lr = r.longRun.effects!.complaint;
    expect(N).toBe(Math.round(lr.net * 1000));
    expect(s).toMatch(/^In the long run/);
    expect(s).toContain(`over the next 30 periods, net ${r.net.effects.complaint.net >= 0 ? '+' : ''}${r.net.effects.complaint.net.toFixed(3)}`);
    const ratio = Math.abs(lr.propensity) / Math.abs(lr.relationship);
    const big = ratio >= 1 ? `The propensity channel is ${ratio.toFixed(2)}` : `The relationship channel is ${(1 / ratio).toFixed(2)}`;
    expect(s).toContain(big);
  });
});
