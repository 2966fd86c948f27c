import { describe, expect, it } from 'vitest';
import { fit, logLikelihood, modelAt } from '../../../src/estimation/fit.js';
import { observedCovariance } from '../../../src/estimation/inference/observedCovariance.js';
import { HALF_CHI2_95, PROFILE_CAP, profileIntervals, profileLogLik } from '../../../src/estimation/inference/profileLikelihood.js';
import { profileCandidates } from '../../../src/estimation/inference/profileSelection.js';
import { standardErrors } from '../../../src/estimation/inference/covariance.js';
import { boundarySlopeProblem, makeSpec, simulatedProblem } from '../fixtures.js';

/**
 * Maximum of f over R^m by Nelder-Mead with restarts (no derivatives, nothing shared with the
 * quasi-Newton code): the brute-force constrained maxima the profile is checked against.
 */
function nelderMeadMax(f: (x: Float64Array) => number, x0: Float64Array, restarts = 4, iters = 4000): number {
  const m = x0.length;
  let best = Float64Array.from(x0);
  let fBest = f(best);
  for (let rs = 0; rs < restarts; rs++) {
    const simplex: { x: Float64Array; v: number }[] = [{ x: Float64Array.from(best), v: fBest }];
    for (let i = 0; i < m; i++) {
      const x = Float64Array.from(best);
      x[i] += rs === 0 ? 0.5 : 0.1;
      simplex.push({ x, v: f(x) });
    }
    for (let it = 0; it < iters; it++) {
      simplex.sort((a, b) => b.v - a.v);
      if (simplex[0].v - simplex[m].v < 1e-10) break;
      const c = new Float64Array(m);
      for (let k = 0; k < m; k++) for (let i = 0; i < m; i++) c[i] += simplex[k].x[i] / m;
      const at = (t: number) => Float64Array.from(c, (ci, i) => ci + t * (simplex[m].x[i] - ci));
      const r = at(-1);
      const fr = f(r);
      if (fr > simplex[0].v) {
        const e = at(-2);
        const fe = f(e);
        simplex[m] = fe > fr ? { x: e, v: fe } : { x: r, v: fr };
      } else if (fr > simplex[m - 1].v) simplex[m] = { x: r, v: fr };
      else {
        const k = at(0.5);
        const fk = f(k);
        if (fk > simplex[m].v) simplex[m] = { x: k, v: fk };
        else for (let s = 1; s <= m; s++) simplex[s] = { x: Float64Array.from(simplex[s].x, (xi, i) => simplex[0].x[i] + 0.5 * (xi - simplex[0].x[i])), v: NaN };
        for (const s of simplex) if (Number.isNaN(s.v)) s.v = f(s.x);
      }
    }
    simplex.sort((a, b) => b.v - a.v);
    best = simplex[0].x;
    fBest = simplex[0].v;
  }
  return fBest;
}

describe('profile-likelihood intervals', () => {
  it('match a brute-force grid of constrained maxima (Nelder-Mead on the forward log-likelihood) on a tiny problem', () => {
    const spec = makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ 1' } });
    const p = simulatedProblem(13, spec, Array.from({ length: 40 }, () => 10), { scale: 1.2 });
    const r = fit(p.panel, spec, { startParams: { ...p.truth.getParameters(), values: p.params }, starts: 0 });
    const cov = observedCovariance(p.panel, spec, r.parameters);
    const names = r.parameters.names;
    const n = names.length;
    const j = names.indexOf('transition[2->1]:(Intercept)');
    const se = standardErrors(cov)[j];
    const { model, eStep } = modelAt(p.panel, spec, r.parameters);
    const [iv] = profileIntervals(model.parts, eStep, [j], Float64Array.from({ length: n }, (_, i) => 1.96 * standardErrors(cov)[i]), cov.matrix);
    expect(iv.low).not.toBeNull();
    expect(iv.high).not.toBeNull();
    const theta = Float64Array.from(r.parameters.values);
    // brute force: fall of the maximum over the others with theta_j = b by Nelder-Mead on the
    // forward pass, from the estimates and from the profile's own maximiser (the likelihood has
    // several local maxima here, so either start alone can stall; the best of both is the maximum)
    const fall = (b: number) => {
      const own = new Float64Array(n);
      profileLogLik(model.parts, eStep, j, b, theta, own);
      const full = new Float64Array(n);
      const ll = (x: Float64Array) => {
        for (let i = 0, k = 0; i < n; i++) full[i] = i === j ? b : x[k++];
        return logLikelihood(p.panel, spec, full);
      };
      const from = (x: Float64Array) => nelderMeadMax(ll, Float64Array.from(x.filter((_, i) => i !== j)));
      return r.logLik - Math.max(from(theta), from(own));
    };
    for (const bound of [iv.low!, iv.high!]) expect(Math.abs(fall(bound) - HALF_CHI2_95)).toBeLessThan(0.07); // the search stops within ~0.06 of 1.92
    // a grid across both bounds: inside the interval exactly where the brute-force fall is below 1.92
    const width = iv.high! - iv.low!;
    for (let k = 0; k <= 8; k++) {
      const b = iv.low! - 0.3 * width + (k / 8) * 1.6 * width;
      if (Math.abs(b - iv.low!) < 0.02 * width || Math.abs(b - iv.high!) < 0.02 * width) continue;
      expect(fall(b) <= HALF_CHI2_95).toBe(b >= iv.low! && b <= iv.high!);
    }
    // and the profile interval is not the Wald one (the problem is small enough to be skewed)
    expect(Math.abs(iv.high! - theta[j] - (theta[j] - iv.low!))).toBeGreaterThan(0.05 * 1.96 * se);
  }, 120_000);

  it('reports an unbounded side for a slope driven to the boundary, and a bounded other side', () => {
    const { panel, spec, result: r } = boundarySlopeProblem();
    const p = { panel };
    const cov = observedCovariance(p.panel, spec, r.parameters);
    const name = 'emission[1]:complaint:z';
    const j = r.parameters.names.indexOf(name);
    expect(cov.unavailable).toContain(name);
    const iv = cov.profile?.intervals[name];
    expect(iv).toBeDefined();
    expect(iv![0]).toBeNull(); // the probability driven to 0 below: unbounded
    expect(iv![1]).not.toBeNull();
    expect(iv![1]!).toBeGreaterThan(r.parameters.values[j]);
    // independently: at the upper bound the others fixed give a fall of at least 1.92 (the profile's
    // fall is at most that), and at the cap below the others fixed give less than 1.92
    const x = Float64Array.from(r.parameters.values);
    x[j] = iv![1]!;
    expect(r.logLik - logLikelihood(p.panel, spec, x)).toBeGreaterThan(HALF_CHI2_95 - 0.07);
    x[j] = r.parameters.values[j] - PROFILE_CAP;
    expect(r.logLik - logLikelihood(p.panel, spec, x)).toBeLessThan(HALF_CHI2_95);
    expect(cov.notes.join('\n')).toMatch(/95% interval of emission\[1\]:complaint:z from the profile likelihood, \[-inf, [0-9.-]+\] \(no standard error\): unbounded below/);
  }, 60_000);

  it('selects parameters without a standard error, with an unbounded side, or with a fall far below 1.92 at a Wald bound', () => {
    const n = 4;
    const falls = Float64Array.from([1.9, 1.95, NaN, NaN, 1.9, 1.3, 3.5, 1.9]);
    const alone = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1]);
    const c = profileCandidates([1], falls, alone, n);
    expect(c.map((x) => x.index)).toEqual([1, 2, 3]);
    expect(c[0].reason).toBe('no standard error');
    expect(c[1].reason).toMatch(/falls by only 1\.90 and 1\.30 at the Wald bounds/);
    expect(c[2]).toMatchObject({ unboundedLow: false, unboundedHigh: true });
    // a fall above 1.92 + tolerance alone is no reason (the line overstates the profile's fall)
    expect(profileCandidates([], Float64Array.from([1.92, 9, 1.92, 1.92]), new Uint8Array(4), 2)).toEqual([]);
  });
});
