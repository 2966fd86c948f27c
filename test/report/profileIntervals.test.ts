import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { fitToJson, parseFit, type SavedFit } from '../../src/report/fitFile.js';
import { formatTable, parameterTable } from '../../src/report/parameterTable.js';
import { InputError } from '../../src/errors.js';
import type { Covariance } from '../../src/estimation/inference/covariance.js';
import { fixedFit } from './fixedFit.js';
import { thrown } from '../helpers/assert.js';

/**
 * A fixed fit whose covariance has profile intervals: parameter 3 has no SE and a profile interval
 * unbounded below, parameter 1 keeps its SE but reports a bounded profile interval.
 */
function fitWithProfile(): SavedFit {
  const fit = fixedFit();
  const names = fit.parameters.names;
  const n = names.length;
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) matrix[i * n + i] = ((i + 1) / 10) ** 2;
  matrix[3 * n + 3] = 0;
  const cov: Covariance = {
    method: 'observed',
    names: [...names],
    matrix,
    unavailable: [names[3]],
    notes: [`95% interval of ${names[3]} from the profile likelihood, [-inf, 0.5000] (no standard error)`],
    profile: { cap: 30, intervals: { [names[3]]: [null, 0.5], [names[1]]: [-2.25, 0.125] } },
  };
  fit.covariance = cov;
  return fit;
}

describe('profile-likelihood intervals in tables and fit.json', () => {
  it('round-trip through fit.json, an unbounded side stored as null, never NaN or Infinity', () => {
    const fit = fitWithProfile();
    const text = fitToJson(fit);
    expect(text).not.toMatch(/NaN|Infinity/);
    const raw = JSON.parse(text);
    expect(raw.covariance.profile).toEqual({ cap: 30, intervals: { [fit.parameters.names[3]]: [null, 0.5], [fit.parameters.names[1]]: [-2.25, 0.125] } });
    const back = parseFit(text, 'fit.json');
    expect(back).toEqual(fit);
    expect(back.covariance!.profile!.intervals[fit.parameters.names[3]]).toEqual([null, 0.5]);
  });

  it('rejects a malformed profile naming its JSON path', () => {
    const raw = JSON.parse(fitToJson(fitWithProfile()));
    raw.covariance.profile.intervals['not a parameter'] = [1, 2];
    raw.covariance.profile.intervals[raw.parameters.names[1]] = [3, 'x'];
    const msg = JSON.stringify(thrown(() => parseFit(JSON.stringify(raw), 'f.json'), InputError).issues);
    expect(msg).toContain('covariance.profile.intervals[\\"not a parameter\\"]');
    expect(msg).toContain('.high');
  });

  it('fill the 95% interval column of every format; std. error, z and p stay the Wald ones or n/a', () => {
    const fit = fitWithProfile();
    const names = fit.parameters.names;
    const t = parameterTable(fit, { warnings: fit.warnings });
    expect([t.rows[3].ciLow, t.rows[3].ciHigh, t.rows[3].ciMethod]).toEqual([-Infinity, 0.5, 'profile']);
    expect([t.rows[1].ciLow, t.rows[1].ciHigh, t.rows[1].ciMethod]).toEqual([-2.25, 0.125, 'profile']);
    expect(t.rows[1].stdError).toBeCloseTo(0.2, 15);
    expect(t.rows[1].z).toBeCloseTo(fit.parameters.values[1] / 0.2, 12);
    expect(Number.isNaN(t.rows[3].stdError)).toBe(true);
    expect(t.rows[0].ciMethod).toBe('wald');
    for (const format of ['text', 'markdown', 'latex', 'csv', 'json'] as const) expect(formatTable(t, format), format).not.toMatch(/NaN|Infinity/);
    const text = formatTable(t, 'text');
    expect(text).toContain('[-inf, 0.5000]*');
    expect(text).toContain('[-2.2500, 0.1250]*');
    expect(text).toContain('95% interval from the profile likelihood');
    expect(formatTable(t, 'markdown')).toContain('[-inf, 0.5000]\\*');
    expect(formatTable(t, 'latex')).toContain('[-inf, 0.5000]*');
    const csv = parse(formatTable(t, 'csv'), { columns: true }) as Record<string, string>[];
    expect([csv[3].ci_low, csv[3].ci_high, csv[3].ci_method, csv[3].std_error]).toEqual(['NA', '0.5', 'profile', 'NA']);
    expect([csv[1].ci_low, csv[1].ci_high, csv[1].ci_method]).toEqual(['-2.25', '0.125', 'profile']);
    expect(csv[0].ci_method).toBe('wald');
    const json = JSON.parse(formatTable(t, 'json'));
    expect(json.columns).toContain('ci_method');
    expect(json.rows[3]).toMatchObject({ name: names[3], ci_low: null, ci_high: 0.5, ci_method: 'profile', std_error: null });
  });

  it('give way to bootstrap percentiles when the covariance has replicates', () => {
    const f = fitWithProfile();
    const reps = Array.from({ length: 101 }, (_, k) => Array.from(f.parameters.values, (x) => x + (k - 50) / 100));
    f.covariance = { ...f.covariance!, method: 'bootstrap', bootstrap: { type: 'nonparametric', requested: 101, seed: 1, replicates: reps, failed: 0, notConverged: 0 } };
    const t = parameterTable(f);
    expect(t.rows[1].ciMethod).toBe('bootstrap');
    expect(t.rows[1].ciLow).toBeCloseTo(f.parameters.values[1] - 0.475, 12);
  });
});
