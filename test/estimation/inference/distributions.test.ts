import { describe, expect, it } from 'vitest';
import { chiSquareSf, gammaQ, logGamma, normalCdf, normalQuantile, normalTwoSidedP, quantileSorted } from '../../../src/estimation/inference/distributions.js';

// Reference values computed independently (R: pchisq(x, df, lower.tail = FALSE), pnorm, qnorm).
describe('distributions', () => {
  it('logGamma matches factorials and Gamma(1/2)', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(30)).toBeCloseTo(71.257038967168, 9);
  });
  it('chi-square tails', () => {
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSf(5.991464547107979, 2)).toBeCloseTo(0.05, 12);
    expect(chiSquareSf(2, 2)).toBeCloseTo(Math.exp(-1), 14); // df 2: exp(-x/2)
    expect(chiSquareSf(18.307038053275146, 10)).toBeCloseTo(0.05, 11);
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(200, 3)).toBeLessThan(1e-40);
  });
  it('gammaQ agrees on both sides of its series/continued-fraction switch', () => {
    for (const a of [0.5, 1, 3.5, 12]) {
      const x = a + 1;
      expect(gammaQ(a, x - 1e-9)).toBeCloseTo(gammaQ(a, x + 1e-9), 8);
    }
  });
  it('normal p-values and quantiles', () => {
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 13);
    expect(normalTwoSidedP(0)).toBe(1);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 13);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 11);
    for (const p of [1e-6, 0.01, 0.3, 0.5, 0.77, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 13);
  });
  it('type-7 sample quantiles', () => {
    const s = [1, 2, 3, 4, 5];
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 0.5)).toBe(3);
    expect(quantileSorted(s, 0.1)).toBeCloseTo(1.4, 14);
    expect(quantileSorted(s, 1)).toBe(5);
  });
});
