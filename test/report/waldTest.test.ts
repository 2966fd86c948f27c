import { describe, expect, it } from 'vitest';
import { matchParameters, splitPatterns, waldTest } from '../../src/report/waldTest.js';
import { chiSquareSf } from '../../src/estimation/inference/distributions.js';
import { UsageError } from '../../src/errors.js';
import type { SavedFit } from '../../src/report/fitFile.js';
import { fixedFit } from './fixedFit.js';

function withCovariance(): SavedFit {
  const fit = fixedFit();
  const n = fit.parameters.names.length;
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) matrix[i * n + i] = 0.04 * (i + 1);
  // correlate the two lag(intervention) slopes (indices 2 and 4)
  matrix[2 * n + 4] = matrix[4 * n + 2] = 0.05;
  fit.covariance = { method: 'observed', names: [...fit.parameters.names], matrix, unavailable: [fit.parameters.names[7]], notes: [] };
  return fit;
}

describe('Wald test', () => {
  it('splits comma lists outside parentheses and brackets', () => {
    expect(splitPatterns(['a,b', 'emission:complaint:stock(intervention, 0.8), transition[*]:x'])).toEqual(['a', 'b', 'emission:complaint:stock(intervention, 0.8)', 'transition[*]:x']);
  });

  it('matches globs literally except * and ?', () => {
    const names = fixedFit().parameters.names;
    expect(matchParameters(names, ['transition[*]:lag(intervention)'])).toEqual([2, 4]);
    expect(matchParameters(names, ['transition[?->2]:*'])).toEqual([1, 2]);
    expect(matchParameters(names, ['emission:*:stock(intervention,0.8)'])).toEqual([9, 10]);
    expect(() => matchParameters(names, ['transition[1->3]*'])).toThrow(UsageError);
  });

  it('one parameter: W = z^2 on 1 df', () => {
    const fit = withCovariance();
    const r = waldTest(fit, ['transition[1->2]:lag(intervention)']);
    const z = fit.parameters.values[2] / Math.sqrt(0.12);
    expect(r.df).toBe(1);
    expect(r.statistic).toBeCloseTo(z * z, 10);
    expect(r.p).toBeCloseTo(chiSquareSf(z * z, 1), 12);
  });

  it('two correlated parameters: W = b\' V^-1 b (2 x 2 inverse by hand)', () => {
    const fit = withCovariance();
    const r = waldTest(fit, ['transition[*]:lag(intervention)']);
    const [a, b] = [fit.parameters.values[2], fit.parameters.values[4]];
    const [v11, v22, v12] = [0.12, 0.2, 0.05];
    const det = v11 * v22 - v12 * v12;
    const w = (a * a * v22 - 2 * a * b * v12 + b * b * v11) / det;
    expect(r.df).toBe(2);
    expect(r.statistic).toBeCloseTo(w, 10);
    expect(r.parameters.map((p) => p.name)).toEqual(['transition[1->2]:lag(intervention)', 'transition[2->1]:lag(intervention)']);
  });

  it('refuses parameters without a standard error and fits without a covariance', () => {
    const fit = withCovariance();
    expect(() => waldTest(fit, ['emission[2]:complaint:(Intercept)'], 'f.json')).toThrow(/emission\[2\]:complaint:\(Intercept\).*no standard error/);
    expect(() => waldTest(fixedFit(), ['transition[*]:lag(intervention)'], 'f.json')).toThrow(/--se none/);
  });
});
