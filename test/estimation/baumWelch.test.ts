/**
 * With intercept-only formulas the model is the textbook homogeneous HMM, whose EM update is the
 * closed-form Baum-Welch re-estimation. Here a plain Baum-Welch, written independently in log
 * space, runs from the same start as squeaky's EM; the two must agree iteration by iteration.
 */
import { describe, expect, it } from 'vitest';
import { EStep } from '../../src/estimation/eStep.js';
import { runEm } from '../../src/estimation/em.js';
import { buildModelDesigns, fit } from '../../src/estimation/fit.js';
import { Rng } from '../../src/estimation/rng.js';
import { createModel } from '../../src/model/hmmModel.js';
import { assertClose } from '../helpers/assert.js';
import { covariatePanel, makeSpec, randomParameters, simulatedProblem, simulateVoice } from './fixtures.js';

function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  return m === -Infinity ? m : m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
}

/** One Baum-Welch iteration on sequences `seqs` of voice (-1 missing); returns the log-likelihood before the update. */
function baumWelchStep(seqs: number[][], pi: number[], A: number[][], B: number[][]): number {
  const K = pi.length;
  const lpi = pi.map(Math.log);
  const lA = A.map((r) => r.map(Math.log));
  const le = (k: number, v: number) => (v < 0 ? 0 : Math.log(B[k][v]));
  const nPi = new Array(K).fill(0);
  const nA = A.map((r) => r.map(() => 0));
  const nB = B.map((r) => r.map(() => 0));
  let ll = 0;
  for (const y of seqs) {
    const T = y.length;
    const la: number[][] = [];
    la.push(lpi.map((p, k) => p + le(k, y[0])));
    for (let t = 1; t < T; t++) la.push(Array.from({ length: K }, (_, j) => logSumExp(la[t - 1].map((a, i) => a + lA[i][j])) + le(j, y[t])));
    const lb: number[][] = new Array(T);
    lb[T - 1] = new Array(K).fill(0);
    for (let t = T - 2; t >= 0; t--) lb[t] = Array.from({ length: K }, (_, i) => logSumExp(lb[t + 1].map((b, j) => lA[i][j] + le(j, y[t + 1]) + b)));
    const lz = logSumExp(la[T - 1]);
    ll += lz;
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < K; k++) {
        const g = Math.exp(la[t][k] + lb[t][k] - lz);
        if (t === 0) nPi[k] += g;
        if (y[t] >= 0) nB[k][y[t]] += g;
      }
      if (t > 0) {
        for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) nA[i][j] += Math.exp(la[t - 1][i] + lA[i][j] + le(j, y[t]) + lb[t][j] - lz);
      }
    }
  }
  const norm = (r: number[]) => {
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((x) => x / s);
  };
  const newPi = norm(nPi);
  for (let k = 0; k < K; k++) pi[k] = newPi[k];
  for (let i = 0; i < K; i++) A[i] = norm(nA[i]);
  for (let k = 0; k < K; k++) B[k] = norm(nB[k]);
  return ll;
}

describe('EM with intercept-only formulas equals Baum-Welch', () => {
  for (const K of [2, 3]) {
    it(`K=${K}: same log-likelihood at every iteration`, () => {
      const spec = makeSpec({ nStates: K, formulas: { initial: '~ 1', transition: '~ 1', emission: '~ 1' } });
      const sim = simulatedProblem(40 + K, spec, Array.from({ length: 60 }, (_, i) => 1 + (i % 15)), { scale: 1.5, missing: 0.1 });
      const model = createModel(spec, buildModelDesigns(sim.panel, spec), sim.panel.offsets);
      randomParameters(model, new Rng(3, K), 0.7);
      const V = spec.voiceLabels.length;
      // the start as plain probability tables
      const t0 = new Float64Array(K);
      model.parts[0].probabilities(t0);
      const pi = Array.from(t0);
      const tA = new Float64Array(model.parts[1].design.nPatterns * K * K);
      model.parts[1].probabilities(tA);
      const A = Array.from({ length: K }, (_, i) => Array.from(tA.subarray(i * K, (i + 1) * K)));
      const tB = new Float64Array(K * V);
      model.parts[2].probabilities(tB);
      const B = Array.from({ length: K }, (_, k) => Array.from(tB.subarray(k * V, (k + 1) * V)));
      expect(model.parts[1].design.nPatterns).toBe(1);

      const seqs: number[][] = [];
      for (let s = 0; s + 1 < sim.panel.offsets.length; s++) seqs.push(Array.from(sim.panel.voice.subarray(sim.panel.offsets[s], sim.panel.offsets[s + 1])));
      const bw: number[] = [];
      let B15: number[][] = [];
      let A15: number[][] = [];
      for (let it = 0; it <= 15; it++) {
        if (it === 15) {
          B15 = B.map((r) => r.slice()); // the tables after 15 updates
          A15 = A.map((r) => r.slice());
        }
        bw.push(baumWelchStep(seqs, pi, A, B));
      }

      const eStep = new EStep(model.parts, K, V, sim.panel.offsets, sim.panel.voice);
      // exact M-steps: no ridge, Newton to full convergence
      const em = runEm(model.parts, eStep, { maxIter: 15, tol: 1e-15, accelerate: false, mStep: { ridge: 0, maxNewtonIter: 50, newtonTol: 1e-13, gainTol: 0 } });
      expect(em.history).toHaveLength(16);
      assertClose(em.history, bw, { rtol: 1e-10 }, `K=${K} log-likelihood by iteration`);
      // and the parameters after 15 updates
      model.parts[2].probabilities(tB);
      assertClose(tB, B15.flat(), { atol: 1e-9 }, `K=${K} emission probabilities`);
      model.parts[1].probabilities(tA);
      assertClose(tA, A15.flat(), { atol: 1e-9 }, `K=${K} transition probabilities`);
    });
  }

  it('a fit is a Baum-Welch fixed point: 200 more Baum-Welch updates gain less than 1e-6', () => {
    const K = 2;
    const spec = makeSpec({ nStates: K, formulas: { initial: '~ 1', transition: '~ 1', emission: '~ 1' } });
    // an interior maximum: truth with no probability near 0 or 1
    const rng = new Rng(77);
    const panel = covariatePanel(rng, Array.from({ length: 300 }, (_, i) => 5 + (i % 20)), spec.voiceLabels);
    const truth = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
    expect(truth.getParameters().names).toEqual([
      'initial[2]:(Intercept)',
      'transition[1->2]:(Intercept)',
      'transition[2->1]:(Intercept)',
      'emission[1]:complaint:(Intercept)',
      'emission[1]:compliment:(Intercept)',
      'emission[2]:complaint:(Intercept)',
      'emission[2]:compliment:(Intercept)',
    ]);
    truth.setParameters(Float64Array.from([-0.4, -2.2, -2.2, 1.0, -1.0, -1.5, 0.8]));
    simulateVoice(panel, spec, truth, rng, 0.05);
    const sim = { panel };
    const f = fit(sim.panel, spec, { seed: 1, starts: 2, tol: 1e-13, maxIter: 5000, ridge: 0 });
    expect(f.converged).toBe(true);
    const model = createModel(spec, buildModelDesigns(sim.panel, spec), sim.panel.offsets);
    model.setParameters(f.parameters.values);
    const V = spec.voiceLabels.length;
    const t0 = new Float64Array(K);
    model.parts[0].probabilities(t0);
    const tA = new Float64Array(K * K);
    model.parts[1].probabilities(tA);
    const tB = new Float64Array(K * V);
    model.parts[2].probabilities(tB);
    const pi = Array.from(t0);
    const A = Array.from({ length: K }, (_, i) => Array.from(tA.subarray(i * K, (i + 1) * K)));
    const B = Array.from({ length: K }, (_, k) => Array.from(tB.subarray(k * V, (k + 1) * V)));
    const seqs: number[][] = [];
    for (let s = 0; s + 1 < sim.panel.offsets.length; s++) seqs.push(Array.from(sim.panel.voice.subarray(sim.panel.offsets[s], sim.panel.offsets[s + 1])));
    const first = baumWelchStep(seqs, pi, A, B);
    assertClose(first, f.logLik, { atol: 1e-8 }, 'Baum-Welch log-likelihood at the fitted parameters');
    let last = first;
    for (let it = 0; it < 200; it++) last = baumWelchStep(seqs, pi, A, B);
    expect(last - f.logLik).toBeLessThan(1e-6);
    expect(last - f.logLik).toBeGreaterThan(-1e-9);
  });
});
