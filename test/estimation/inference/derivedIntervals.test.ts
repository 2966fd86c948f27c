import { describe, expect, it } from 'vitest';
import { derivedIntervals } from '../../../src/estimation/inference/derivedIntervals.js';
import type { Covariance } from '../../../src/estimation/inference/covariance.js';
import { standardErrors } from '../../../src/estimation/inference/covariance.js';
import { likelihoodRatioTest } from '../../../src/estimation/inference/likelihoodRatio.js';

const cov: Covariance = { method: 'observed', names: ['a', 'b'], matrix: Float64Array.from([0.04, 0.01, 0.01, 0.09]), unavailable: [], notes: [] };

describe('derivedIntervals', () => {
  it('delta method equals the exact variance of a linear function', () => {
    const theta = Float64Array.from([1, 2]);
    const [r] = derivedIntervals((t) => [2 * t[0] - 3 * t[1]], theta, cov);
    // var = 4*0.04 + 9*0.09 - 2*2*3*0.01 = 0.16 + 0.81 - 0.12
    expect(r.se).toBeCloseTo(Math.sqrt(0.85), 9);
    expect(r.estimate).toBe(-4);
    expect(r.high - r.low).toBeCloseTo(2 * 1.959963984540054 * Math.sqrt(0.85), 8);
  });
  it('delta method uses the gradient of a nonlinear function', () => {
    const theta = Float64Array.from([0.5, 0]);
    const [r] = derivedIntervals((t) => [Math.exp(t[0])], theta, cov);
    expect(r.se).toBeCloseTo(Math.exp(0.5) * 0.2, 8);
  });
  it('unavailable parameters carry no variance', () => {
    const c = { ...cov, unavailable: ['b'], matrix: Float64Array.from([0.04, 0, 0, 0]) };
    expect(Array.from(standardErrors(c)).map((x) => Number.isNaN(x))).toEqual([false, true]);
    const [r] = derivedIntervals((t) => [t[0] + t[1]], Float64Array.from([0, 0]), c);
    expect(r.se).toBeCloseTo(0.2, 9);
  });
  it('bootstrap replicates give percentile intervals', () => {
    const replicates = Array.from({ length: 101 }, (_, i) => [i / 100, 0]);
    const c: Covariance = { ...cov, method: 'bootstrap', bootstrap: { type: 'nonparametric', requested: 101, seed: 1, replicates, failed: 0, notConverged: 0 } };
    const [r] = derivedIntervals((t) => [t[0]], Float64Array.from([0.5, 0]), c);
    expect(r.method).toBe('bootstrap');
    expect(r.low).toBeCloseTo(0.025, 12);
    expect(r.high).toBeCloseTo(0.975, 12);
  });
});

describe('likelihoodRatioTest', () => {
  it('statistic, df and p', () => {
    const t = likelihoodRatioTest(-100, -101.9207294103470, 1);
    expect(t.statistic).toBeCloseTo(3.841458820694, 9);
    expect(t.p).toBeCloseTo(0.05, 9);
    expect(likelihoodRatioTest(-100, -99.9999, 2).statistic).toBe(0);
    expect(() => likelihoodRatioTest(-1, -2, 0)).toThrow(RangeError);
  });
});
