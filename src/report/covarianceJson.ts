/**
 * The `covariance` key of fit.json:
 *   { method: 'observed'|'robust'|'bootstrap', names: string[], matrix: number[][] (row i = parameter i),
 *     unavailable: string[], notes: string[],
 *     bootstrap?: { type: 'nonparametric'|'parametric', requested, seed, replicates: number[][], failed, notConverged },
 *     profile?: { cap: number, intervals: { [parameter name]: [low | null, high | null] } } }
 * Every number is finite (rows and columns of unavailable parameters are 0), so the file never holds
 * NaN or Infinity: an unbounded side of a profile-likelihood interval is null.
 */
import type { BootstrapSummary, Covariance, CovarianceMethod, ProfileSummary } from '../estimation/inference/covariance.js';
import type { Checker, Json } from './jsonChecker.js';

export const COVARIANCE_METHODS: readonly CovarianceMethod[] = ['observed', 'robust', 'bootstrap'];

/** The JSON object stored under fit.json's `covariance`. */
export function covarianceToJson(cov: Covariance): Record<string, unknown> {
  const n = cov.names.length;
  const matrix: number[][] = [];
  for (let i = 0; i < n; i++) matrix.push(Array.from(cov.matrix.subarray(i * n, (i + 1) * n), (x) => (Number.isFinite(x) ? x : 0)));
  const out: Record<string, unknown> = { method: cov.method, names: cov.names, matrix, unavailable: cov.unavailable, notes: cov.notes };
  if (cov.bootstrap) out.bootstrap = cov.bootstrap;
  if (cov.profile) {
    const bound = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
    const intervals: Record<string, [number | null, number | null]> = {};
    for (const [name, [lo, hi]] of Object.entries(cov.profile.intervals)) intervals[name] = [bound(lo), bound(hi)];
    out.profile = { cap: cov.profile.cap, intervals };
  }
  return out;
}

function checkBootstrap(c: Checker, v: Json, n: number): BootstrapSummary {
  const o = c.obj(v, 'covariance.bootstrap') ?? {};
  if (o.type !== 'nonparametric' && o.type !== 'parametric') c.fail('covariance.bootstrap.type', o.type, "'nonparametric' or 'parametric'");
  const replicates = c.arr(o.replicates, 'covariance.bootstrap.replicates').map((r, i) => {
    const row = c.numArr(r, `covariance.bootstrap.replicates[${i}]`);
    if (row.length !== n) c.fail(`covariance.bootstrap.replicates[${i}]`, `${row.length} values`, `one value per parameter (${n})`);
    return row;
  });
  return {
    type: o.type === 'parametric' ? 'parametric' : 'nonparametric',
    requested: c.num(o.requested, 'covariance.bootstrap.requested', { int: true, min: 0 }),
    seed: c.num(o.seed, 'covariance.bootstrap.seed'),
    replicates,
    failed: c.num(o.failed, 'covariance.bootstrap.failed', { int: true, min: 0 }),
    notConverged: c.num(o.notConverged, 'covariance.bootstrap.notConverged', { int: true, min: 0 }),
  };
}

function checkProfile(c: Checker, v: Json, names: readonly string[]): ProfileSummary {
  const o = c.obj(v, 'covariance.profile') ?? {};
  const cap = c.num(o.cap, 'covariance.profile.cap', { min: 0 });
  const raw = c.obj(o.intervals, 'covariance.profile.intervals') ?? {};
  const intervals: ProfileSummary['intervals'] = {};
  for (const [name, iv] of Object.entries(raw)) {
    const path = `covariance.profile.intervals["${name}"]`;
    if (!names.includes(name)) c.fail(path, name, 'a parameter name');
    const pair = c.arr(iv, path);
    if (pair.length !== 2) c.fail(path, `${pair.length} values`, '[low, high] (null = unbounded side)');
    const bound = (x: Json, side: string) => (x === null ? null : c.num(x, `${path}.${side}`));
    const lo = bound(pair[0] ?? null, 'low');
    const hi = bound(pair[1] ?? null, 'high');
    if (lo !== null && hi !== null && lo > hi) c.fail(path, `[${lo}, ${hi}]`, 'low <= high');
    intervals[name] = [lo, hi];
  }
  return { cap, intervals };
}

/** Check fit.json's `covariance` against the fit's parameter names; problems go to `c`. */
export function checkCovariance(c: Checker, v: Json, parameterNames: readonly string[]): Covariance {
  const o = c.obj(v, 'covariance') ?? {};
  const method = o.method as CovarianceMethod;
  if (!COVARIANCE_METHODS.includes(method)) c.fail('covariance.method', o.method, COVARIANCE_METHODS.map((m) => `'${m}'`).join(', '));
  const names = c.strArr(o.names, 'covariance.names');
  const n = names.length;
  if (n !== parameterNames.length || names.some((x, i) => x !== parameterNames[i])) {
    c.fail('covariance.names', `${n} names`, `the parameter names in order (${parameterNames.length})`);
  }
  const rows = c.arr(o.matrix, 'covariance.matrix');
  if (rows.length !== n) c.fail('covariance.matrix', `${rows.length} rows`, `${n} rows (one per parameter)`);
  const matrix = new Float64Array(n * n);
  rows.slice(0, n).forEach((r, i) => {
    const row = c.numArr(r, `covariance.matrix[${i}]`);
    if (row.length !== n) c.fail(`covariance.matrix[${i}]`, `${row.length} values`, `${n} values`);
    for (let j = 0; j < Math.min(n, row.length); j++) matrix[i * n + j] = row[j];
  });
  const unavailable = c.strArr(o.unavailable, 'covariance.unavailable');
  for (const [i, u] of unavailable.entries()) if (!names.includes(u)) c.fail(`covariance.unavailable[${i}]`, u, 'a parameter name');
  const notes = o.notes === undefined ? [] : c.strArr(o.notes, 'covariance.notes');
  const cov: Covariance = { method: COVARIANCE_METHODS.includes(method) ? method : 'observed', names, matrix, unavailable, notes };
  if (o.bootstrap !== undefined) cov.bootstrap = checkBootstrap(c, o.bootstrap, n);
  if (o.profile !== undefined) cov.profile = checkProfile(c, o.profile, names);
  return cov;
}
