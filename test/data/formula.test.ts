import { describe, expect, it } from 'vitest';
import { buildDesign, compileFormula } from '../../src/data/formula.js';
import { FormulaError } from '../../src/errors.js';
import { assertClose } from '../helpers/assert.js';
import { makePanel } from './panelFixture.js';

// Customer A: 3 periods, B: 2 periods, C: 1 period.
const panel = makePanel([
  { id: 'A', columns: { intervention: [1, 0, 1], x: [1, 2, 3] } },
  { id: 'B', firstPeriod: 4, columns: { intervention: [0, 1], x: [10, 20] } },
  { id: 'C', columns: { intervention: [1], x: [5] } },
]);
const COLS = ['intervention', 'x'];

/** Column j of a design, as a plain array. */
function col(d: { names: string[]; values: Float64Array }, j: number): number[] {
  const k = d.names.length;
  const out: number[] = [];
  for (let r = 0; r < d.values.length / k; r++) out.push(d.values[r * k + j]);
  return out;
}

function formulaError(f: () => unknown): FormulaError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FormulaError);
    return e as FormulaError;
  }
  throw new Error('expected a FormulaError');
}

describe('compileFormula: structure', () => {
  it('intercept only for "~ 1" and "~"', () => {
    for (const f of ['~ 1', '~', '~   ']) {
      const c = compileFormula(f, COLS);
      expect(c.names).toEqual(['(Intercept)']);
      expect(c.intercept).toBe(true);
      expect(c.variables).toEqual([]);
      expect(Array.from(c.evaluate(panel).values)).toEqual([1, 1, 1, 1, 1, 1]);
    }
  });

  it('names terms by mathjs normalisation, intercept first', () => {
    const c = compileFormula('~ lag(intervention) + stock(intervention,0.8) + log1p(x)', COLS);
    expect(c.names).toEqual(['(Intercept)', 'lag(intervention)', 'stock(intervention, 0.8)', 'log1p(x)']);
    expect(c.variables).toEqual(['intervention', 'x']);
  });

  it('removes the intercept with - 1, + 0 or a leading -1', () => {
    for (const f of ['~ x - 1', '~ 0 + x', '~ x + 0', '~ -1 + x']) {
      const c = compileFormula(f, COLS);
      expect(c.intercept, f).toBe(false);
      expect(c.names, f).toEqual(['x']);
    }
    expect(compileFormula('~ x - 1 + 1', COLS).intercept).toBe(true);
  });

  it('rejects an empty design', () => {
    const e = formulaError(() => compileFormula('~ -1', COLS));
    expect(e.reason).toMatch(/at least one term/);
    formulaError(() => compileFormula('~ 0', COLS));
  });

  it('keeps a parenthesised difference as one term', () => {
    const d = buildDesign(panel, '~ (x - intervention) + x*2');
    expect(d.names).toEqual(['(Intercept)', 'x - intervention', 'x * 2']);
    expect(col(d, 1)).toEqual([0, 2, 2, 10, 19, 4]);
    expect(col(d, 2)).toEqual([2, 4, 6, 20, 40, 10]);
  });
});

describe('compileFormula: errors point into the formula', () => {
  it('rejects lag with k < 1 at the k token', () => {
    const f = '~ x + lag(intervention, 0)';
    const e = formulaError(() => compileFormula(f, COLS));
    expect(e.position).toBe(f.indexOf('0)'));
    expect(e.reason).toMatch(/k must be a whole number >= 1/);
    const g = '~ lag(x, -2)';
    expect(formulaError(() => compileFormula(g, COLS)).position).toBe(g.indexOf('-2'));
    const h = '~ lag(x, 1.5)';
    expect(formulaError(() => compileFormula(h, COLS)).position).toBe(h.indexOf('1.5'));
  });

  it('rejects functions that look into the future at the function name', () => {
    const f = '~ x + lead(intervention)';
    const e = formulaError(() => compileFormula(f, COLS));
    expect(e.position).toBe(f.indexOf('lead'));
    expect(e.reason).toMatch(/future/);
  });

  it('rejects unknown functions with a suggestion', () => {
    const f = '~ x + stok(intervention, 0.5)';
    const e = formulaError(() => compileFormula(f, COLS));
    expect(e.position).toBe(f.indexOf('stok'));
    expect(e.reason).toMatch(/unknown function 'stok' \(did you mean 'stock'\?\)/);
  });

  it('rejects unknown columns with a suggestion, at the right occurrence', () => {
    const f = '~ x + log1p(x) + lag(interventon)';
    const e = formulaError(() => compileFormula(f, COLS));
    expect(e.position).toBe(f.indexOf('interventon'));
    expect(e.reason).toMatch(/unknown column 'interventon' \(did you mean 'intervention'\?\)/);
    expect(e.message).toContain('^');
  });

  it('finds the second occurrence of a repeated name', () => {
    // 'x' in the column list, 'y' not: the error points at y, after two earlier x tokens.
    const f = '~ x + x*x + exp(y)';
    expect(formulaError(() => compileFormula(f, COLS)).position).toBe(f.indexOf('y'));
  });

  it('rejects bad stock decay, arities, operators, constants and duplicates', () => {
    const f1 = '~ stock(x, 1.5)';
    expect(formulaError(() => compileFormula(f1, COLS)).position).toBe(f1.indexOf('1.5'));
    expect(formulaError(() => compileFormula('~ stock(x)', COLS)).reason).toMatch(/stock takes 2/);
    expect(formulaError(() => compileFormula('~ log(x, 2)', COLS)).reason).toMatch(/log takes 1/);
    expect(formulaError(() => compileFormula('~ x == 1', COLS)).reason).toMatch(/not allowed/);
    expect(formulaError(() => compileFormula('~ x + 2', COLS)).reason).toMatch(/constant term/);
    expect(formulaError(() => compileFormula('~ x + log(2)', COLS)).reason).toMatch(/uses no panel column/);
    expect(formulaError(() => compileFormula('~ x + x', COLS)).reason).toMatch(/appears twice/);
    expect(formulaError(() => compileFormula('~ x - intervention', COLS)).reason).toMatch(/parentheses/);
    expect(formulaError(() => compileFormula('~ lag(2)', COLS)).reason).toMatch(/first argument/);
    expect(formulaError(() => compileFormula('~ toString(x)', COLS)).reason).toMatch(/unknown function 'toString'/);
    expect(formulaError(() => compileFormula('~ x + log', COLS)).reason).toMatch(/'log' is a function/);
  });

  it('rejects missing ~, a left-hand side and syntax errors', () => {
    expect(formulaError(() => compileFormula('x + 1', COLS)).reason).toMatch(/starts with '~'/);
    expect(formulaError(() => compileFormula('voice ~ x', COLS)).reason).toMatch(/left-hand side/);
    const f = '~ x + (intervention';
    const e = formulaError(() => compileFormula(f, COLS));
    expect(e.reason).toMatch(/cannot parse/);
    expect(e.position).toBeGreaterThanOrEqual(f.indexOf('('));
    expect(e.position).toBeLessThanOrEqual(f.length);
  });
});

describe('evaluate: hand-computed columns', () => {
  it('lag, stock and cumsum restart at customer boundaries', () => {
    const d = buildDesign(panel, '~ lag(x) + lag(x, 2) + stock(x, 0.5) + cumsum(x) - 1');
    expect(d.names).toEqual(['lag(x)', 'lag(x, 2)', 'stock(x, 0.5)', 'cumsum(x)']);
    expect(col(d, 0)).toEqual([0, 1, 2, 0, 10, 0]);
    expect(col(d, 1)).toEqual([0, 0, 1, 0, 0, 0]);
    assertClose(col(d, 2), [0, 1, 2.5, 0, 10, 0]);
    expect(col(d, 3)).toEqual([1, 3, 6, 10, 30, 5]);
  });

  it('elementwise functions, powers and nesting', () => {
    const d = buildDesign(panel, '~ log(x) + sqrt(x) + exp(intervention) + x^2 + -x + log1p(stock(x, 0.5)) + lag(x*2) + 2 x');
    const x = [1, 2, 3, 10, 20, 5];
    const iv = [1, 0, 1, 0, 1, 1];
    assertClose(col(d, 1), x.map(Math.log));
    assertClose(col(d, 2), x.map(Math.sqrt));
    assertClose(col(d, 3), iv.map(Math.exp));
    assertClose(col(d, 4), x.map((v) => v * v));
    assertClose(col(d, 5), x.map((v) => -v));
    assertClose(col(d, 6), [0, 1, 2.5, 0, 10, 0].map(Math.log1p));
    assertClose(col(d, 7), [0, 2, 4, 0, 20, 0]);
    assertClose(col(d, 8), x.map((v) => 2 * v));
  });

  it('scale standardises over all rows with the n - 1 standard deviation', () => {
    const d = buildDesign(panel, '~ scale(x) - 1');
    const x = [1, 2, 3, 10, 20, 5];
    const m = x.reduce((a, b) => a + b) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
    assertClose(col(d, 0), x.map((v) => (v - m) / sd), { atol: 1e-12 });
  });

  it('design values are row-major [row*nCols + col]', () => {
    const d = buildDesign(panel, '~ x + intervention');
    expect(Array.from(d.values.slice(0, 6))).toEqual([1, 1, 1, 1, 2, 0]);
  });

  it('non-finite values name the term, customer and period', () => {
    const f = '~ x + log(x - 10)';
    const e = formulaError(() => buildDesign(panel, f));
    expect(e.reason).toMatch(/term 'log\(x - 10\)'/);
    expect(e.reason).toMatch(/customer 'A' in period 1/);
    expect(e.position).toBe(f.indexOf('log'));
    const e2 = formulaError(() => buildDesign(panel, '~ 1/(x - 10)'));
    expect(e2.reason).toMatch(/customer 'B' in period 4/);
    expect(e2.reason).toMatch(/Infinity/);
  });

  it('scale of a constant column is an error', () => {
    const p = makePanel([{ id: 'A', columns: { intervention: [1, 1, 1], x: [1, 2, 3] } }]);
    expect(formulaError(() => buildDesign(p, '~ scale(intervention)')).reason).toMatch(/standard deviation is 0/);
  });
});
