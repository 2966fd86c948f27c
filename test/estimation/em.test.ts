import { describe, expect, it } from 'vitest';
import { runEm } from '../../src/estimation/em.js';
import { Rng } from '../../src/estimation/rng.js';
import { randomResponsibilities, startFromResponsibilities } from '../../src/estimation/starts.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { assertClose, assertLogLikIncreasing } from '../helpers/assert.js';
import { emProblem as problem, randomParameters } from './fixtures.js';

const mStep = { ridge: 1e-8, maxNewtonIter: 25, newtonTol: 1e-10 };


const variants: Partial<ModelSpec>[] = [
  { nStates: 1 },
  { nStates: 2 },
  { nStates: 2, transitionType: 'ordered', sharedSlopes: true },
  { nStates: 3, formulas: { initial: '~ x', transition: '~ lag(intervention) + x', emission: '~ intervention' } },
  { nStates: 3, transitionType: 'ordered', formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ intervention + x' } },
];

describe('EM', () => {
  it('never lets the log-likelihood fall, across many random problems and starts', () => {
    let problems = 0;
    let extrapolated = 0;
    for (let seed = 1; seed <= 6; seed++) {
      for (const over of variants) {
        const p = problem(seed * 17, over);
        // a random start, and random parameters as a start
        const accelerate = seed % 2 === 0; // plain EM and SQUAREM alike
        startFromResponsibilities(p.model.parts, p.eStep, randomResponsibilities(new Rng(seed, 1), p.spec.nStates, 3), mStep);
        const a = runEm(p.model.parts, p.eStep, { maxIter: 25, tol: 1e-12, mStep, accelerate });
        assertLogLikIncreasing(a.history);
        randomParameters(p.model, p.rng, 2);
        const b = runEm(p.model.parts, p.eStep, { maxIter: 25, tol: 1e-12, mStep, accelerate });
        assertLogLikIncreasing(b.history);
        if (accelerate) extrapolated += b.extrapolations.kept;
        expect(a.warnings).toEqual([]);
        expect(b.warnings).toEqual([]);
        expect(b.history.length).toBeGreaterThan(1);
        problems++;
      }
    }
    expect(problems).toBe(30);
    expect(extrapolated).toBeGreaterThan(0); // the accelerated runs did take extrapolated steps
  });

  it('leaves parts and statistics at the final parameters', () => {
    const p = problem(3, { nStates: 2 });
    const r = runEm(p.model.parts, p.eStep, { maxIter: 200, tol: 1e-10, mStep });
    expect(r.converged).toBe(true);
    expect(r.status).toMatch(/^converged/);
    expect(r.iterations).toBe(r.history.length - 1);
    expect(r.logLik).toBe(r.history[r.history.length - 1]);
    assertClose(p.eStep.logLik(p.model.parts), r.logLik, { atol: 1e-10 });
    // at a fixed point another EM step changes nothing material
    const again = runEm(p.model.parts, p.eStep, { maxIter: 1, tol: 1e-14, mStep });
    assertClose(again.logLik, r.logLik, { atol: 1e-6 * Math.abs(r.logLik) * 1e-3 });
  });

  it('SQUAREM reaches the plain-EM optimum in fewer iterations', () => {
    const p = problem(11, { nStates: 3, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ intervention' } }, 120, 30);
    const q = problem(11, { nStates: 3, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ intervention' } }, 120, 30);
    const start = (m: typeof p) => startFromResponsibilities(m.model.parts, m.eStep, randomResponsibilities(new Rng(2, 1), 3, 3), mStep);
    start(p);
    start(q);
    const plain = runEm(p.model.parts, p.eStep, { maxIter: 5000, tol: 1e-11, mStep, accelerate: false });
    const fast = runEm(q.model.parts, q.eStep, { maxIter: 5000, tol: 1e-11, mStep, accelerate: true });
    expect(plain.converged).toBe(true);
    expect(fast.converged).toBe(true);
    assertLogLikIncreasing(fast.history);
    assertClose(fast.logLik, plain.logLik, { rtol: 1e-8 });
    expect(fast.iterations).toBeLessThan(plain.iterations);
    expect(fast.extrapolations.kept).toBeGreaterThan(0);
  });

  it('continuing a run from its history equals running it uninterrupted', () => {
    for (const accelerate of [false, true]) {
      const p = problem(6, { nStates: 2 });
      const q = problem(6, { nStates: 2 });
      randomParameters(p.model, new Rng(1), 1);
      randomParameters(q.model, new Rng(1), 1);
      const whole = runEm(p.model.parts, p.eStep, { maxIter: 10, tol: 1e-15, mStep, accelerate });
      const first = runEm(q.model.parts, q.eStep, { maxIter: 4, tol: 1e-15, mStep, accelerate });
      const rest = runEm(q.model.parts, q.eStep, { maxIter: 10, tol: 1e-15, mStep, accelerate, previous: first.resume });
      expect(rest.history).toEqual(whole.history);
      expect(rest.iterations).toBe(10);
      expect(rest.status).toBe(whole.status);
    }
  });

  it('maxIter 0 only evaluates the start; onIteration sees every iteration', () => {
    const p = problem(4, { nStates: 2 });
    randomParameters(p.model, p.rng);
    const r0 = runEm(p.model.parts, p.eStep, { maxIter: 0, tol: 1e-8, mStep });
    expect(r0.iterations).toBe(0);
    expect(r0.history).toEqual([r0.logLik]);
    expect(r0.converged).toBe(false);
    const seen: number[] = [];
    const r = runEm(p.model.parts, p.eStep, { maxIter: 7, tol: 1e-15, mStep, onIteration: (i, ll) => seen.push(i, ll) });
    expect(r.iterations).toBe(7);
    expect(seen.filter((_, i) => i % 2 === 0)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen.filter((_, i) => i % 2 === 1)).toEqual(r.history.slice(1));
  });
});
