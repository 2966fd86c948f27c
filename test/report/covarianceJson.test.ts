import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { fitToJson, parseFit, type SavedFit } from '../../src/report/fitFile.js';
import { formatTable, parameterTable } from '../../src/report/parameterTable.js';
import { InputError } from '../../src/errors.js';
import type { Covariance } from '../../src/estimation/inference/covariance.js';
import { fixedFit } from './fixedFit.js';
import { thrown } from '../helpers/assert.js';

/** A fixed fit with a covariance: SE of parameter i is (i + 1) / 10, parameter 3 unavailable, one correlation. */
function fitWithCovariance(): SavedFit {
  const fit = fixedFit();
  const names = fit.parameters.names;
  const n = names.length;
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) matrix[i * n + i] = ((i + 1) / 10) ** 2;
  matrix[0 * n + 1] = matrix[1 * n + 0] = 0.5 * 0.1 * 0.2;
  matrix[3 * n + 3] = 0;
  const cov: Covariance = { method: 'robust', names: [...names], matrix, unavailable: [names[3]], notes: [`no standard error for ${names[3]}: at the boundary`] };
  fit.covariance = cov;
  return fit;
}

const issues = (f: () => unknown): string => JSON.stringify(thrown(f, InputError).issues);

describe('covariance in fit.json', () => {
  it('round-trips exactly, with the matrix stored as rows', () => {
    const fit = fitWithCovariance();
    fit.covariance!.bootstrap = { type: 'nonparametric', requested: 3, seed: 7, replicates: [Array.from(fit.parameters.values), Array.from(fit.parameters.values, (x) => x + 0.1)], failed: 1, notConverged: 0 };
    const text = fitToJson(fit);
    const raw = JSON.parse(text);
    expect(raw.covariance.matrix.length).toBe(fit.parameters.names.length);
    expect(raw.covariance.matrix[1][0]).toBeCloseTo(0.01, 15);
    expect(text).not.toContain('NaN');
    const back = parseFit(text, 'fit.json');
    expect(back).toEqual(fit);
    expect(back.covariance!.matrix).toBeInstanceOf(Float64Array);
  });

  it('is optional: a fit without it loads without a covariance', () => {
    const back = parseFit(fitToJson(fixedFit()), 'fit.json');
    expect(back.covariance).toBeUndefined();
    expect(JSON.parse(fitToJson(fixedFit())).covariance).toBeUndefined();
  });

  it('rejects a covariance that does not fit the parameters, naming the JSON path', () => {
    const raw = JSON.parse(fitToJson(fitWithCovariance()));
    raw.covariance.method = 'sandwich';
    raw.covariance.matrix[2] = [1, 2];
    raw.covariance.unavailable = ['nope'];
    const text = issues(() => parseFit(JSON.stringify(raw), 'f.json'));
    expect(text).toContain('covariance.method');
    expect(text).toContain('covariance.matrix[2]');
    expect(text).toContain('covariance.unavailable[0]');
    const renamed = JSON.parse(fitToJson(fitWithCovariance()));
    renamed.covariance.names[0] = 'other';
    expect(issues(() => parseFit(JSON.stringify(renamed), 'f.json'))).toContain('covariance.names');
  });
});

describe('parameter table from the covariance', () => {
  const fit = fitWithCovariance();
  const table = parameterTable(fit, { warnings: fit.warnings });

  it('fills std. error, z, p and the 95% interval from the covariance; none for the unavailable parameter', () => {
    expect(table.hasStdErrors).toBe(true);
    const r0 = table.rows[0];
    expect(r0.stdError).toBeCloseTo(0.1, 15);
    expect(r0.z).toBeCloseTo(fit.parameters.values[0] / 0.1, 12);
    // two-sided normal p computed independently: z = -4.0546..., p = 2 * (1 - Phi(|z|))
    expect(r0.p).toBeCloseTo(5.0212e-5, 8);
    expect(r0.ciLow).toBeCloseTo(fit.parameters.values[0] - 1.959963984540054 * 0.1, 12);
    expect(Number.isNaN(table.rows[3].stdError)).toBe(true);
    expect(table.seMethod).toMatch(/cluster-robust/);
  });

  it('prints n/a in text, Markdown and LaTeX, NA in CSV and null in JSON, never NaN', () => {
    for (const format of ['text', 'markdown', 'latex', 'csv', 'json'] as const) {
      const out = formatTable(table, format);
      expect(out, format).not.toMatch(/NaN|Infinity/);
    }
    const text = formatTable(table, 'text');
    const line = text.split('\n').find((l) => l.includes('-> 1: (Intercept)'))!;
    expect(line.match(/n\/a/g)?.length).toBe(4);
    expect(text).toContain('Standard errors: cluster-robust');
    const csv = parse(formatTable(table, 'csv'), { columns: true }) as Record<string, string>[];
    expect(csv[3].std_error).toBe('NA');
    expect(Number(csv[0].std_error)).toBe(0.1);
    const json = JSON.parse(formatTable(table, 'json'));
    expect(json.rows[3].std_error).toBeNull();
    expect(json.rows[3].ci_low).toBeNull();
    expect(json.seMethod).toMatch(/robust/);
    expect(formatTable(table, 'markdown')).toContain('| n/a |');
  });

  it('takes bootstrap percentile intervals when the covariance has replicates', () => {
    const f = fitWithCovariance();
    const reps = Array.from({ length: 101 }, (_, k) => Array.from(f.parameters.values, (x) => x + (k - 50) / 100));
    f.covariance = { ...f.covariance!, method: 'bootstrap', bootstrap: { type: 'nonparametric', requested: 101, seed: 1, replicates: reps, failed: 0, notConverged: 0 } };
    const t = parameterTable(f);
    expect(t.rows[0].ciLow).toBeCloseTo(f.parameters.values[0] - 0.475, 12);
    expect(t.rows[0].ciHigh).toBeCloseTo(f.parameters.values[0] + 0.475, 12);
    expect(t.seMethod).toMatch(/percentiles/);
  });
});
