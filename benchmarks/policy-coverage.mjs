#!/usr/bin/env node
// Coverage of the policy projection's 95% parameter-uncertainty intervals, by simulation from a
// known truth (data/example-truth.json): each replicate simulates a panel under the truth's firm
// policy, fits the model (one start), computes the observed-information covariance, and projects
// `all` and `none` from the customers' first period; an interval covers when it contains the
// truth's own projection (the truth's parameters, many Monte Carlo paths, the same customers).
// Usage: node benchmarks/policy-coverage.mjs [--reps 40] [--customers 300] [--periods 40] [--horizon 10]
//        [--draws 100] [--threads 2] [--seed 1]
// Output: one JSON object per replicate, then one with the coverage per figure.
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { simulate } from '../dist/src/estimation/simulate.js';
import { fit } from '../dist/src/estimation/fit.js';
import { observedCovariance } from '../dist/src/estimation/inference/observedCovariance.js';
import { projectPolicies } from '../dist/src/report/policy/projectPolicies.js';

const { values: a } = parseArgs({
  options: {
    reps: { type: 'string', default: '40' },
    customers: { type: 'string', default: '300' },
    periods: { type: 'string', default: '40' },
    horizon: { type: 'string', default: '10' },
    draws: { type: 'string', default: '100' },
    threads: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
  },
});
const truth = JSON.parse(readFileSync('data/example-truth.json', 'utf8'));
const spec = truth.spec;
const params = { names: truth.parameters.names, values: Float64Array.from(truth.parameters.values), blocks: [] };
const N = +a.customers;
const H = +a.horizon;
const opts = { policies: 'all,none', horizon: H, from: 'start', threads: +a.threads };

// The truth's own projection: customers at their first period are alike (no covariates), so one
// long run on any panel of N customers gives the target of every replicate.
const sim0 = simulate(spec, params, { customers: N, periods: +a.periods, policy: truth.policy, seed: 999 });
const target = await projectPolicies({ spec, parameters: params }, sim0.panel, { ...opts, paths: 2048, draws: 0, seed: 12345 });
const figures = [
  ['all', 0, 'complaint'],
  ['all', 1, 'compliment'],
  ['all', 3, 'silent'],
  ['none', 0, 'complaint'],
  ['none', 1, 'compliment'],
];
const truthValue = (p, m) => target.policies.find((q) => q.name === p).table.totals.mean[m];
const hits = figures.map(() => 0);
let done = 0;
for (let r = 0; r < +a.reps; r++) {
  const t0 = performance.now();
  const { panel } = simulate(spec, params, { customers: N, periods: +a.periods, policy: truth.policy, seed: +a.seed * 1000 + r });
  const f = fit(panel, spec, { starts: 1, seed: r + 1 });
  const covariance = observedCovariance(panel, spec, f.parameters);
  const rep = await projectPolicies({ spec, parameters: f.parameters, covariance }, panel, { ...opts, draws: +a.draws, seed: r + 1 });
  const row = { rep: r, ms: Math.round(performance.now() - t0), converged: f.converged };
  figures.forEach(([p, m, name], j) => {
    const fig = rep.policies.find((q) => q.name === p).totals[m];
    const t = truthValue(p, m);
    const covered = fig.low <= t && t <= fig.high;
    if (covered) hits[j]++;
    row[`${p}:${name}`] = { estimate: +fig.estimate.toFixed(2), low: +fig.low.toFixed(2), high: +fig.high.toFixed(2), truth: +t.toFixed(2), covered };
  });
  done++;
  console.log(JSON.stringify(row));
}
console.log(
  JSON.stringify({
    what: 'coverage',
    reps: done,
    nominal: 0.95,
    customers: N,
    periods: +a.periods,
    horizon: H,
    draws: +a.draws,
    coverage: Object.fromEntries(figures.map(([p, , name], j) => [`${p}:${name}`, +(hits[j] / done).toFixed(3)])),
    mcSe: +Math.sqrt((0.95 * 0.05) / done).toFixed(3),
  }),
);
