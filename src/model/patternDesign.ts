/**
 * A design compressed to its distinct rows, so that probabilities are computed once per distinct
 * covariate pattern and E-step statistics are accumulated per pattern, not per row.
 */
export interface PatternDesign {
  /** Column names (e.g. '(Intercept)', 'lag(intervention)'). */
  names: string[];
  nCols: number;
  nPatterns: number;
  /** Distinct design rows, row-major [p*nCols + c]. */
  patterns: Float64Array;
  /** Pattern index per unit: per panel row (transition, emission) or per customer (initial). */
  index: Int32Array;
}
