import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { formatTable, parameterTable, TABLE_FORMATS } from '../../src/report/parameterTable.js';
import { parseParameterName } from '../../src/report/parameterName.js';
import { fixedFit, fixedOrderedFit } from './fixedFit.js';
import { assertClose } from '../helpers/assert.js';

const golden = (name: string): string => readFileSync(fileURLToPath(new URL(`./golden/${name}`, import.meta.url)), 'utf8');

describe('parseParameterName', () => {
  it('splits every naming form', () => {
    expect(parseParameterName('initial[2]:(Intercept)')).toEqual({ block: 'initial', state: '', outcome: '2', term: '(Intercept)' });
    expect(parseParameterName('transition[2->3]:lag(intervention)')).toEqual({ block: 'transition', state: '2', outcome: '3', term: 'lag(intervention)' });
    expect(parseParameterName('transition[2]:cut[1|2]')).toEqual({ block: 'transition', state: '2', outcome: '', term: 'cut[1|2]' });
    expect(parseParameterName('transition:lag(intervention)')).toEqual({ block: 'transition', state: '', outcome: '', term: 'lag(intervention)' });
    expect(parseParameterName('emission[1]:complaint:(Intercept)')).toEqual({ block: 'emission', state: '1', outcome: 'complaint', term: '(Intercept)' });
    expect(parseParameterName('emission:complaint:stock(intervention, 0.8)')).toEqual({ block: 'emission', state: '', outcome: 'complaint', term: 'stock(intervention, 0.8)' });
    expect(parseParameterName('beta')).toBeUndefined();
  });
});

describe('parameter table', () => {
  const fit = fixedFit();
  const table = parameterTable(fit, { warnings: ['first warning', 'second | with pipe & ampersand'] });

  it('CSV parses back to the same names and doubles', () => {
    const rows = parse(formatTable(table, 'csv'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['name', 'block', 'state', 'outcome', 'term', 'estimate']);
    expect(rows.map((r) => r.name)).toEqual(fit.parameters.names);
    expect(rows.map((r) => Number(r.estimate))).toEqual(Array.from(fit.parameters.values));
    expect(rows[9]).toMatchObject({ block: 'emission', state: '', outcome: 'complaint', term: 'stock(intervention, 0.8)' });
  });

  it('JSON parses back to the same rows and carries the warnings', () => {
    const j = JSON.parse(formatTable(table, 'json'));
    expect(j.columns).toEqual(['name', 'block', 'state', 'outcome', 'term', 'estimate']);
    expect(j.rows.map((r: { estimate: number }) => r.estimate)).toEqual(Array.from(fit.parameters.values));
    expect(j.rows[2]).toEqual({ name: 'transition[1->2]:lag(intervention)', block: 'transition', state: '1', outcome: '2', term: 'lag(intervention)', estimate: 1.5 });
    expect(j.warnings).toEqual(table.warnings);
  });

  it('Markdown and LaTeX match the golden files', () => {
    expect(formatTable(table, 'markdown')).toBe(golden('table.md'));
    expect(formatTable(table, 'latex')).toBe(golden('table.tex'));
  });

  it('ordered thresholds, escaping and inference columns match the golden files', () => {
    const { fit: ordered, stdErrors } = fixedOrderedFit();
    const t = parameterTable(ordered, { stdErrors, warnings: ['not converged: 10% of ~iterations_left'] });
    expect(formatTable(t, 'markdown')).toBe(golden('table-ordered.md'));
    expect(formatTable(t, 'latex')).toBe(golden('table-ordered.tex'));
    const rows = parse(formatTable(t, 'csv'), { columns: true }) as Record<string, string>[];
    expect(rows[1]).toMatchObject({ name: 'transition[1]:cut[1|2]', block: 'transition', state: '1', outcome: '', term: 'cut[1|2]', estimate: '-1.25', std_error: '0.25', z: '-5' });
  });

  it('text groups by block and state with a numbered warnings footer', () => {
    const text = formatTable(table, 'text');
    const order = ['Initial state', 'Transition from state 1', 'Transition from state 2', 'Emission in state 1', 'Emission in state 2', 'Emission (slopes shared across states)', 'Warnings', '1. first warning', '2. second'];
    let at = -1;
    for (const s of order) {
      const i = text.indexOf(s);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
    expect(text).toContain('-> 2: lag(intervention)');
    expect(text).toContain('1.5000');
  });

  it('with standard errors: z, two-sided p and 95% interval columns', () => {
    const se = fit.parameters.values.map((_, i) => 0.1 * (i + 1));
    const t = parameterTable(fit, { stdErrors: se });
    const r = t.rows[2];
    assertClose(r.z as number, 1.5 / 0.3, { atol: 1e-12 });
    // p = 2 (1 - Phi(5)) = 5.733e-7
    assertClose(r.p as number, 5.733031437583878e-7, { rtol: 1e-6 });
    assertClose([r.ciLow as number, r.ciHigh as number], [1.5 - 1.959963984540054 * 0.3, 1.5 + 1.959963984540054 * 0.3], { atol: 1e-12 });
    const rows = parse(formatTable(t, 'csv'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['name', 'block', 'state', 'outcome', 'term', 'estimate', 'std_error', 'z', 'p', 'ci_low', 'ci_high', 'ci_method']);
    expect(Number(rows[2].std_error)).toBe(se[2]);
    expect(formatTable(t, 'text')).toContain('95% interval');
    expect(() => parameterTable(fit, { stdErrors: [1, 2] })).toThrow(RangeError);
  });

  it('every format is produced', () => {
    for (const f of TABLE_FORMATS) expect(formatTable(table, f).length).toBeGreaterThan(100);
  });
});
