import { describe, expect, it } from 'vitest';
import { dropTermsReading } from '../../src/data/dropTerms.js';
import { compileFormula } from '../../src/data/formula.js';
import { FormulaError } from '../../src/errors.js';

const cols = ['intervention', 'x', 'interventions_seen'];

describe('dropTermsReading', () => {
  it('drops every term whose expression reads the column, whatever function wraps it', () => {
    expect(dropTermsReading('~ lag(intervention)', 'intervention', cols)).toEqual({ formula: '~ 1', removed: ['lag(intervention)'], kept: [], intercept: true });
    const r = dropTermsReading('~ stock(intervention, 0.8) + log1p(x)', 'intervention', cols);
    expect(r.removed).toEqual(['stock(intervention, 0.8)']);
    expect(r.formula).toBe('~ log1p(x)');
    const s = dropTermsReading('~ x + (intervention * x) - 1', 'intervention', cols);
    expect(s.removed).toHaveLength(1);
    expect(s.formula).toBe('~ x - 1');
    expect(compileFormula(s.formula, cols).names).toEqual(['x']);
  });

  it('keeps a column merely named like it and a formula without it unchanged', () => {
    const r = dropTermsReading('~ interventions_seen + lag(intervention, 2)', 'intervention', cols);
    expect(r.kept).toEqual(['interventions_seen']);
    expect(r.removed).toEqual(['lag(intervention, 2)']);
    expect(dropTermsReading('~ x', 'intervention', cols)).toEqual({ formula: '~ x', removed: [], kept: ['x'], intercept: true });
  });

  it('the kept terms name the same design columns as in the full formula', () => {
    const full = compileFormula('~ log1p(x) + stock(intervention, 0.8) + sqrt(x)', cols).names;
    const r = dropTermsReading('~ log1p(x) + stock(intervention, 0.8) + sqrt(x)', 'intervention', cols);
    expect(compileFormula(r.formula, cols).names).toEqual(full.filter((n) => !n.includes('intervention')));
  });

  it('a bad formula is a FormulaError', () => {
    expect(() => dropTermsReading('~ lag(nope)', 'intervention', cols)).toThrow(FormulaError);
  });
});
