import { compileFormula } from './formula.js';

export interface DroppedTerms {
  /** The formula without the dropped terms ('~ 1' when only the intercept is left). */
  formula: string;
  /** Dropped terms, as the formula's design columns name them (e.g. 'lag(intervention)'). */
  removed: string[];
  /** Kept terms (the intercept not included). */
  kept: string[];
  intercept: boolean;
}

/**
 * A formula without every term whose expression reads `variable` (parsed with the formula parser,
 * so `lag(intervention)`, `stock(intervention, 0.8)` and `(intervention * x)` all count, a column
 * merely named like it does not). `columns` are the panel's numeric columns (FormulaError on a bad
 * formula). The intercept is kept as it was.
 */
export function dropTermsReading(formula: string, variable: string, columns: string[]): DroppedTerms {
  const f = compileFormula(formula, columns);
  const removed: string[] = [];
  const kept: string[] = [];
  for (const t of f.intercept ? f.names.slice(1) : f.names) {
    (compileFormula(`~ ${t}`, columns).variables.includes(variable) ? removed : kept).push(t);
  }
  const rhs = kept.length ? kept.join(' + ') : '1';
  return { formula: `~ ${rhs}${f.intercept ? '' : ' - 1'}`, removed, kept, intercept: f.intercept };
}
