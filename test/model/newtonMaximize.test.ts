import { describe, expect, it } from 'vitest';
import { newtonMaximize, DEFAULT_GAIN_TOL, type NewtonProblem } from '../../src/model/newtonMaximize.js';

/** A problem from closures over a parameter vector; records every objective value evaluated and accepted. */
function problem(n: number, x0: number[], f: (x: Float64Array, g?: Float64Array, h?: Float64Array) => number) {
  const x = Float64Array.from(x0);
  const values: number[] = [];
  const p: NewtonProblem = {
    n,
    get: (out) => out.set(x),
    set: (y) => x.set(y),
    evaluate: (g, h) => {
      const v = f(x, g, h);
      values.push(v);
      return v;
    },
  };
  return { p, x, values };
}

describe('newtonMaximize', () => {
  it('step-halving keeps the objective from falling when the full Newton step overshoots', () => {
    // f = -sqrt(1 + x^2): from x = 2 the Newton step lands at -8, far worse.
    const { p, x } = problem(1, [2], (y, g, h) => {
      const s = Math.sqrt(1 + y[0] * y[0]);
      if (g) g[0] = -y[0] / s;
      if (h) h[0] = -1 / (s * s * s);
      return -s;
    });
    let prev = -Math.sqrt(5);
    for (let it = 0; it < 40; it++) {
      const r = newtonMaximize(p, { ridge: 0, maxNewtonIter: 1, newtonTol: 0, gainTol: 0 });
      expect(r.before).toBe(prev);
      expect(r.after).toBeGreaterThanOrEqual(r.before);
      prev = r.after;
    }
    expect(Math.abs(x[0])).toBeLessThan(1e-6);
  });

  it('ascends where the Hessian is not negative definite (damped system)', () => {
    // f = -(x^2 - 1)^2 at x = 0.1: f'' > 0, a plain Newton step would go downhill.
    const { p, x } = problem(1, [0.1], (y, g, h) => {
      const u = y[0] * y[0] - 1;
      if (g) g[0] = -4 * y[0] * u;
      if (h) h[0] = -(12 * y[0] * y[0] - 4);
      return -u * u;
    });
    const r = newtonMaximize(p, { ridge: 0, maxNewtonIter: 100, newtonTol: 1e-14, gainTol: 0 });
    expect(r.after).toBeGreaterThan(r.before);
    expect(Math.abs(x[0] - 1)).toBeLessThan(1e-10);
  });

  it('the default gain tolerance stops only when the predicted gain is negligible', () => {
    // A smooth concave function in 3 dimensions: f = -sum(exp(x_i) - a_i x_i) - x'Bx/2.
    const a = [2, 0.5, 3];
    const B = [2, 0.3, 0, 0.3, 1, 0.2, 0, 0.2, 1.5];
    const f = (y: Float64Array, g?: Float64Array, h?: Float64Array) => {
      let v = 0;
      for (let i = 0; i < 3; i++) {
        v -= Math.exp(y[i]) - a[i] * y[i];
        for (let j = 0; j < 3; j++) v -= 0.5 * y[i] * B[i * 3 + j] * y[j];
      }
      if (g) for (let i = 0; i < 3; i++) g[i] = -Math.exp(y[i]) + a[i] - (B[i * 3] * y[0] + B[i * 3 + 1] * y[1] + B[i * 3 + 2] * y[2]);
      if (h) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) h[i * 3 + j] = -B[i * 3 + j] - (i === j ? Math.exp(y[i]) : 0);
      return v;
    };
    const exact = problem(3, [3, -2, 1], f);
    const best = newtonMaximize(exact.p, { ridge: 0, maxNewtonIter: 100, newtonTol: 0, gainTol: 0 }).after;
    const quick = problem(3, [3, -2, 1], f);
    const r = newtonMaximize(quick.p, { ridge: 0, maxNewtonIter: 100, newtonTol: 0 });
    expect(r.after).toBeLessThanOrEqual(best);
    expect(best - r.after).toBeLessThan(10 * DEFAULT_GAIN_TOL * (1 + Math.abs(best)));
    // fewer passes than iterating to the step tolerance
    expect(quick.values.length).toBeLessThan(exact.values.length);
  });

  it('leaves the parameters alone when no step improves the objective', () => {
    // A wrong (sign-flipped) gradient: every step goes downhill, so nothing is accepted.
    const { p, x } = problem(1, [1], (y, g, h) => {
      if (g) g[0] = y[0];
      if (h) h[0] = -1;
      return -y[0] * y[0];
    });
    const r = newtonMaximize(p, { ridge: 0, maxNewtonIter: 5, newtonTol: 0, gainTol: 0 });
    expect(x[0]).toBe(1);
    expect(r.after).toBe(r.before);
  });
});
