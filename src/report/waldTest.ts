/**
 * Wald test of named parameters of a saved fit: H0 all selected parameters are 0, statistic
 * W = b' V^-1 b with b their estimates and V their block of the fit's covariance, chi-square with
 * df = the number of parameters. Parameters are selected by glob patterns over their names
 * ('*' any run of characters, '?' one character, everything else literal, so
 * 'transition[*]:lag(intervention)' selects the intervention slope of every transition).
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { UsageError } from '../errors.js';
import { chiSquareSf } from '../estimation/inference/distributions.js';
import { standardErrors } from '../estimation/inference/covariance.js';
import type { SavedFit } from './fitFile.js';

export interface WaldTestResult {
  patterns: string[];
  /** Parameters tested, in the fit's order, with estimate and standard error. */
  parameters: { name: string; estimate: number; stdError: number }[];
  statistic: number;
  df: number;
  p: number;
  /** Covariance method the test used. */
  method: string;
}

/** Split --wald values on commas outside parentheses and brackets ('stock(intervention, 0.8)' stays whole). */
export function splitPatterns(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    let depth = 0;
    let cur = '';
    for (const ch of v) {
      if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
      if (ch === ',' && depth === 0) {
        out.push(cur.trim());
        cur = '';
      } else cur += ch;
    }
    out.push(cur.trim());
  }
  return out.filter((p) => p !== '');
}

function globRegex(pattern: string): RegExp {
  const body = pattern.replace(/\s+/g, '').split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** Indices of the parameters matching any pattern; UsageError for a pattern matching none. */
export function matchParameters(names: readonly string[], patterns: readonly string[]): number[] {
  const hit = new Set<number>();
  const squeezed = names.map((n) => n.replace(/\s+/g, ''));
  for (const p of patterns) {
    const re = globRegex(p);
    const idx = squeezed.flatMap((n, i) => (re.test(n) ? [i] : []));
    if (idx.length === 0) {
      throw new UsageError(`--wald '${p}' matches no parameter of the fit; names look like ${names.slice(0, 3).map((n) => `'${n}'`).join(', ')} (see squeaky table FIT.json --format csv)`);
    }
    for (const i of idx) hit.add(i);
  }
  return [...hit].sort((a, b) => a - b);
}

/** Joint Wald test that every parameter matching `patterns` is 0. */
export function waldTest(fit: SavedFit, patterns: readonly string[], file = 'the fit'): WaldTestResult {
  if (patterns.length === 0) throw new UsageError('--wald needs at least one parameter name or pattern');
  const cov = fit.covariance;
  if (!cov) throw new UsageError(`${file} has no covariance (it was fitted with --se none): refit with --se observed or --se robust to test parameters`);
  const names = fit.parameters.names;
  const idx = matchParameters(names, patterns);
  const missing = new Set(cov.unavailable);
  const refused = idx.filter((i) => missing.has(names[i]));
  if (refused.length) {
    throw new UsageError(
      `cannot test ${refused.map((i) => names[i]).join(', ')}: no standard error in ${file} (at the boundary or not determined by the data; see the warnings of 'squeaky table ${file}'); leave ${refused.length === 1 ? 'it' : 'them'} out of --wald`,
    );
  }
  const n = names.length;
  const m = idx.length;
  const v = new Matrix(m, m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) v.set(a, b, 0.5 * (cov.matrix[idx[a] * n + idx[b]] + cov.matrix[idx[b] * n + idx[a]]));
  const chol = new CholeskyDecomposition(v);
  if (!chol.isPositiveDefinite()) {
    throw new UsageError(`the covariance of ${idx.map((i) => names[i]).join(', ')} in ${file} is singular: these parameters cannot be tested jointly (drop one that is a combination of the others)`);
  }
  const b = Matrix.columnVector(idx.map((i) => fit.parameters.values[i]));
  const x = chol.solve(b);
  let statistic = 0;
  for (let a = 0; a < m; a++) statistic += b.get(a, 0) * x.get(a, 0);
  const se = standardErrors(cov);
  return {
    patterns: [...patterns],
    parameters: idx.map((i) => ({ name: names[i], estimate: fit.parameters.values[i], stdError: se[i] })),
    statistic,
    df: m,
    p: chiSquareSf(statistic, m),
    method: cov.method,
  };
}
