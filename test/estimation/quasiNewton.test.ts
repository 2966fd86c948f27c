import { describe, expect, it } from 'vitest';
import { EStep } from '../../src/estimation/eStep.js';
import { runEm } from '../../src/estimation/em.js';
import { buildModelDesigns, fit } from '../../src/estimation/fit.js';
import { getFlat, penalisedGradient, penaltyMask, runQuasiNewton, setFlat } from '../../src/estimation/quasiNewton.js';
import { Rng } from '../../src/estimation/rng.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { createModel } from '../../src/model/hmmModel.js';
import { assertClose, assertLogLikIncreasing } from '../helpers/assert.js';
import { covariatePanel, emProblem as problem, makeSpec, randomParameters, simulateVoice } from './fixtures.js';

const mStep = { ridge: 1e-8, maxNewtonIter: 1, newtonTol: 1e-10 };


const variants: Partial<ModelSpec>[] = [
  { nStates: 2 },
  { nStates: 2, transitionType: 'ordered', sharedSlopes: true },
  { nStates: 3, formulas: { initial: '~ x', transition: '~ lag(intervention) + x', emission: '~ intervention' } },
  { nStates: 3, transitionType: 'ordered', formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ intervention + x' } },
];

describe('penalised gradient by Fisher identity', () => {
  it('equals central finite differences of the forward-pass log-likelihood minus the ridge penalty', () => {
    for (const [v, over] of variants.entries()) {
      for (const ridge of [0, 0.3]) {
        const p = problem(100 + v, over);
        const x = randomParameters(p.model, p.rng, 1);
        const parts = p.model.parts;
        const n = x.length;
        // the penalty computed independently: every parameter of these sub-models is penalised
        const f = (y: Float64Array) => {
          setFlat(parts, y);
          let ss = 0;
          for (const t of y) ss += t * t;
          return p.eStep.logLik(parts) - 0.5 * ridge * ss;
        };
        setFlat(parts, x);
        p.eStep.run(parts);
        const g = new Float64Array(n);
        penalisedGradient(parts, p.eStep, ridge, g);
        const fd = new Float64Array(n);
        const h = 1e-5;
        for (let i = 0; i < n; i++) {
          const xp = x.slice();
          const xm = x.slice();
          xp[i] += h;
          xm[i] -= h;
          fd[i] = (f(xp) - f(xm)) / (2 * h);
        }
        assertClose(g, fd, { atol: 1e-6, rtol: 1e-6 }, `variant ${v} ridge ${ridge}`);
      }
    }
  });

  it('penaltyMask reads which parameters the ridge penalises and leaves the parameters alone', () => {
    const p = problem(7, variants[3]);
    const x = randomParameters(p.model, p.rng, 1);
    const mask = penaltyMask(p.model.parts, p.eStep);
    expect(Array.from(mask)).toEqual(new Array(x.length).fill(1));
    const after = new Float64Array(x.length);
    getFlat(p.model.parts, after);
    expect(Array.from(after)).toEqual(Array.from(x));
  });
});

describe('quasi-Newton phase', () => {
  it('climbs to a zero gradient, never lowering the penalised log-likelihood, and ends at the tight-EM maximum', () => {
    let checked = 0;
    let interior = 0;
    for (const [v, over] of variants.entries()) {
      const p = problem(200 + v, over, 300, 20);
      const q = problem(200 + v, over, 300, 20);
      const x0 = randomParameters(p.model, new Rng(v, 3), 0.5);
      setFlat(q.model.parts, x0);
      // EM to a modest tolerance, then quasi-Newton to a tight one
      const em = runEm(p.model.parts, p.eStep, { maxIter: 2000, tol: 1e-5, mStep });
      const seen: number[] = [];
      const r = runQuasiNewton(p.model.parts, p.eStep, em.logLik, { tolAbs: 1e-10, maxSteps: 500, mStep, onStep: (_ll, f) => (seen.push(f), true) });
      assertLogLikIncreasing(seen, 1e-13); // the penalised log-likelihood F never falls
      expect(seen.length).toBe(r.steps);
      expect(r.converged).toBe(true);
      // gradient at the end, recomputed from a fresh E-step
      const n = p.model.nParams;
      const g = new Float64Array(n);
      const ll = p.eStep.run(p.model.parts);
      expect(ll).toBe(r.logLik); // eStep.stats left at the final parameters
      penalisedGradient(p.model.parts, p.eStep, mStep.ridge, g);
      let gn = 0;
      for (const t of g) gn += t * t;
      expect(Math.sqrt(gn)).toBeLessThan(1e-3);
      // independent reference: plain EM (no acceleration, no quasi-Newton) run to a very tight tolerance
      const ref = runEm(q.model.parts, q.eStep, { maxIter: 200000, tol: 1e-15, mStep: { ...mStep, maxNewtonIter: 25 }, accelerate: false });
      // same maximum of F (EM may still be short of the top, never above it)
      const xr = new Float64Array(n);
      getFlat(q.model.parts, xr);
      let ss = 0;
      for (const t of xr) ss += t * t;
      const fRef = ref.logLik - 0.5 * mStep.ridge * ss;
      // where the maximum is interior (no probability driven to the boundary, which makes a
      // direction of F flat out to |theta| ~ 1/ridge), both end at the same maximum
      if (Math.max(...Array.from(xr, Math.abs)) < 8) {
        // EM restarted from the quasi-Newton end (EM never lowers F) finds nothing left to gain
        const xq = new Float64Array(n);
        getFlat(p.model.parts, xq);
        const more = runEm(p.model.parts, p.eStep, { maxIter: 1000, tol: 1e-15, mStep: { ...mStep, maxNewtonIter: 25 }, accelerate: false });
        const xm = new Float64Array(n);
        getFlat(p.model.parts, xm);
        let sm = 0;
        for (const t of xm) sm += t * t;
        expect(more.logLik - 0.5 * mStep.ridge * sm - r.penalised).toBeLessThan(1e-7);
        // EM from the same start may still be short of the top, never clearly above it
        expect(r.penalised).toBeGreaterThan(fRef - 1e-7);
        assertClose(r.penalised, fRef, { atol: 1e-5 });
        interior++;
      }
      checked++;
    }
    expect(checked).toBe(variants.length);
    expect(interior).toBeGreaterThanOrEqual(2);
  });

  it('runEm with quasiNewton reports a converged status, a monotone history and consistent statistics', () => {
    // a panel large enough that no outcome is separated (the ridge then does not move the maximum)
    const p = problem(31, variants[2], 300, 20);
    randomParameters(p.model, new Rng(5), 0.5);
    const r = runEm(p.model.parts, p.eStep, { maxIter: 500, tol: 1e-13, mStep, quasiNewton: true });
    expect(r.converged).toBe(true);
    expect(r.status).toMatch(/^converged: projected further gain .* quasi-Newton/);
    expect(r.quasiNewtonSteps).toBeGreaterThan(0);
    expect(r.iterations).toBe(r.history.length - 1);
    expect(r.logLik).toBe(r.history[r.history.length - 1]);
    assertLogLikIncreasing(r.history, 1e-12);
    assertClose(p.eStep.logLik(p.model.parts), r.logLik, { atol: 1e-9 });
    // the iteration cap counts the quasi-Newton steps too
    expect(r.warnings).toEqual([]);
    const q = problem(31, variants[2], 300, 20);
    randomParameters(q.model, new Rng(5), 0.5);
    const capped = runEm(q.model.parts, q.eStep, { maxIter: r.iterations - 1, tol: 1e-13, mStep, quasiNewton: true });
    expect(capped.converged).toBe(false);
    expect(capped.iterations).toBe(r.iterations - 1);
    expect(capped.state).toBe('max-iterations');
  });

  it('the default fit ends where the gradient of the penalised log-likelihood is zero', () => {
    const spec = makeSpec({ nStates: 2 });
    const rng = new Rng(77);
    const lengths = Array.from({ length: 150 }, () => 5 + rng.int(20));
    const panel = covariatePanel(rng, lengths, spec.voiceLabels);
    const truth = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
    randomParameters(truth, rng, 1.5);
    simulateVoice(panel, spec, truth, rng, 0.05);
    const res = fit(panel, spec, { starts: 2, seed: 3 });
    expect(res.converged).toBe(true);
    const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
    model.setParameters(res.parameters.values);
    const eStep = new EStep(model.parts, 2, spec.voiceLabels.length, panel.offsets, panel.voice);
    assertClose(eStep.run(model.parts), res.logLik, { atol: 1e-9 });
    const g = new Float64Array(model.nParams);
    penalisedGradient(model.parts, eStep, 1e-8, g);
    // gain still available along the gradient, to second order, is negligible
    let gn = 0;
    for (const t of g) gn += t * t;
    expect(Math.sqrt(gn)).toBeLessThan(1e-3);
    // and no coordinate step of the exact log-likelihood improves it beyond 1e-8
    const x = res.parameters.values;
    for (let i = 0; i < x.length; i++) {
      for (const h of [1e-4, -1e-4]) {
        const y = Float64Array.from(x);
        y[i] += h;
        model.setParameters(y);
        expect(eStep.logLik(model.parts)).toBeLessThan(res.logLik + 1e-8);
      }
    }
  });
});
