#!/usr/bin/env node
// Coverage of the intervention-effect report's 95% intervals (delta method from the observed
// covariance) by simulation from a known truth: long-run totals per channel, the net and the
// interaction at the horizon, a transition, a long-run share and a voice probability.
// Usage: node benchmarks/effects-coverage.mjs [--truth data/example-truth.json] [--reps 100]
//        [--customers 714] [--periods 60] [--horizon 30] [--seed 1] [--threads 2]
//   Replicate r simulates with seed (seed * 1000003 + r) and fits from the truth. Same seed, same figures, whatever --threads.
// Output: one JSON object per figure ({"what":"figure",...}) and a summary line. Requires a build.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { runParallel } from '../dist/src/parallel/runParallel.js';
import { COVERED, trueFigures } from '../dist/src/report/effectsCoverage.js';

const { values: a } = parseArgs({
  options: {
    truth: { type: 'string', default: 'data/example-truth.json' },
    reps: { type: 'string', default: '100' },
    customers: { type: 'string', default: '714' },
    periods: { type: 'string', default: '60' },
    horizon: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});
const t = JSON.parse(readFileSync(a.truth, 'utf8'));
const base = { spec: t.spec, truth: { names: t.parameters.names, values: t.parameters.values }, policy: t.policy, customers: +a.customers, periods: +a.periods, horizon: +a.horizon };
const t0 = performance.now();
const trueValues = trueFigures(base, 20000, +a.seed * 1000003 - 1);
const payloads = Array.from({ length: +a.reps }, (_, r) => ({ seed: +a.seed * 1000003 + r }));
const results = await runParallel({ module: new URL('../dist/src/report/effectsCoverage.js', import.meta.url).href, name: 'effectsCoverageReplicate' }, payloads, {
  threads: +a.threads,
  shared: { ...base, trueValues },
  onDone: (_i, done, total) => process.stderr.write(`\rreplicate ${done}/${total}  ${((performance.now() - t0) / 1000).toFixed(0)} s`),
});
process.stderr.write('\n');
const shares = [];
COVERED.forEach((c, j) => {
  const rows = results.map((r) => r[j]).filter(([, lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi));
  const inside = rows.filter(([, lo, hi]) => lo <= trueValues[j] && trueValues[j] <= hi).length;
  const est = rows.map(([e]) => e);
  const mean = est.reduce((s, x) => s + x, 0) / est.length;
  const sd = Math.sqrt(est.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, est.length - 1));
  const meanHalfWidth = rows.reduce((s, [, lo, hi]) => s + (hi - lo) / 2, 0) / rows.length;
  shares.push(inside / rows.length);
  console.log(JSON.stringify({ what: 'figure', name: c.name, truth: trueValues[j], coverage: inside / rows.length, available: rows.length, meanEstimate: mean, sdEstimate: sd, meanHalfWidthOver1_96: meanHalfWidth / 1.959964 }));
});
console.log(JSON.stringify({ what: 'summary', replicates: results.length, customers: base.customers, periods: base.periods, horizon: base.horizon, meanCoverage: shares.reduce((s, x) => s + x, 0) / shares.length, minCoverage: Math.min(...shares), seconds: +((performance.now() - t0) / 1000).toFixed(1) }));
