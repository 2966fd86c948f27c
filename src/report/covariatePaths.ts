import type { Panel } from '../data/panel.js';
import { compileFormula } from '../data/formula.js';
import type { ModelSpec } from '../estimation/spec.js';
import type { SimulatedCovariate } from '../estimation/simulate.js';
import { Rng } from '../estimation/rng.js';
import { UsageError } from '../errors.js';

/** Random stream of the covariate draws (stream 0 is the simulation's own). */
const COVARIATE_STREAM = 1;

/** Panel columns the model's formulas read, other than intervention (which simulate draws). */
export function exogenousColumns(spec: ModelSpec, known: string[]): string[] {
  const out = new Set<string>();
  const formulas = [spec.formulas.initial, spec.formulas.transition, spec.formulas.emission, ...(spec.classes ? [spec.classes.formula] : [])];
  for (const formula of formulas) {
    // Compile against every name the formula mentions, so unknown columns are listed, not thrown.
    const names = new Set([...known, 'intervention', ...(formula.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])]);
    for (const v of compileFormula(formula, [...names]).variables) if (v !== 'intervention') out.add(v);
  }
  return [...out];
}

/**
 * Covariate paths for `customers` simulated customers of `periods` periods, drawn from a panel:
 * simulated customer i takes the first `periods` rows of a panel customer drawn uniformly (with
 * replacement, seeded by `seed`) among those observed for at least `periods` periods. Values are
 * row-major [customer*periods + (period-1)], as simulate expects.
 */
export function covariatePaths(panel: Panel, names: string[], customers: number, periods: number, seed: number, file: string): Record<string, SimulatedCovariate> {
  const missing = names.filter((n) => panel.columns[n] === undefined);
  if (missing.length) throw new UsageError(`--covariates ${file}: the panel has no column ${missing.map((m) => `'${m}'`).join(', ')}, which the model's formulas read`);
  const long: number[] = [];
  let longest = 0;
  for (let i = 0; i + 1 < panel.offsets.length; i++) {
    const len = panel.offsets[i + 1] - panel.offsets[i];
    if (len >= periods) long.push(i);
    if (len > longest) longest = len;
  }
  if (long.length === 0) throw new UsageError(`--periods ${periods}: no customer of ${file} has that many periods (the longest has ${longest}); covariate paths are taken from customers observed at least that long`);
  const rng = Rng.stream(seed, COVARIATE_STREAM);
  const out: Record<string, SimulatedCovariate> = Object.create(null);
  const pick = Int32Array.from({ length: customers }, () => long[rng.int(long.length)]);
  for (const name of names) {
    const src = panel.columns[name];
    const col = new Float64Array(customers * periods);
    for (let i = 0; i < customers; i++) col.set(src.subarray(panel.offsets[pick[i]], panel.offsets[pick[i]] + periods), i * periods);
    out[name] = col;
  }
  return out;
}
