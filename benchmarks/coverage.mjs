#!/usr/bin/env node
// Coverage of the 95% intervals (observed and robust standard errors, and the delta-method interval
// of the report's net complaint effect) by simulation from a known truth.
// Usage: node benchmarks/coverage.mjs [--truth data/example-truth.json] [--reps 200] [--customers 714]
//        [--periods 60] [--horizon 30] [--seed 1] [--threads 2] [--default-starts] [--replicates-out FILE]
//   Replicate r simulates with seed (seed * 1000003 + r), fits from the truth (or, with
//   --default-starts, with the default starts), then computes both covariances. Same seed, same
//   figures, whatever --threads.
//   --replicates-out writes every replicate's estimates, SEs, profile intervals and net-effect
//   intervals (JSON lines), appended batch by batch (--batch replicates at a time), so a long run
//   can be summarised part-way: node benchmarks/coverage.mjs --summarize FILE [same design options].
//   The interval counted per parameter is the one the fit reports: the profile-likelihood interval
//   where the fit has one (an unbounded side covers every truth on that side), else estimate +- 1.96 SE.
// Output: one JSON object per parameter ({"what":"parameter",...}), one for the net effect and a
// last summary line ({"what":"summary",...}); progress on stderr.
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { runParallel } from '../dist/src/parallel/runParallel.js';
import { summarizeCoverage, trueNetComplaint } from '../dist/src/report/coverageStudy.js';

const { values: a } = parseArgs({
  options: {
    truth: { type: 'string', default: 'data/example-truth.json' },
    reps: { type: 'string', default: '200' },
    customers: { type: 'string', default: '714' },
    periods: { type: 'string', default: '60' },
    horizon: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
    'default-starts': { type: 'boolean', default: false },
    'replicates-out': { type: 'string' },
    batch: { type: 'string', default: '10' },
    summarize: { type: 'string' },
  },
});
const truthFile = JSON.parse(readFileSync(a.truth, 'utf8'));
const base = {
  spec: truthFile.spec,
  truth: { names: truthFile.parameters.names, values: truthFile.parameters.values },
  policy: truthFile.policy,
  customers: +a.customers,
  periods: +a.periods,
  horizon: +a.horizon,
  startAtTruth: !a['default-starts'],
};
const t0 = performance.now();
const design = { ...base, trueNet: trueNetComplaint(base, 20000, +a.seed * 1000003 - 1) };
let results = [];
if (a.summarize) {
  results = readFileSync(a.summarize, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
} else {
  const reps = +a.reps;
  const payloads = Array.from({ length: reps }, (_, r) => ({ replicate: r, seed: +a.seed * 1000003 + r }));
  if (a['replicates-out']) writeFileSync(a['replicates-out'], '');
  const batch = Math.max(1, +a.batch);
  for (let b0 = 0; b0 < reps; b0 += batch) {
    const part = await runParallel({ module: new URL('../dist/src/report/coverageStudy.js', import.meta.url).href, name: 'coverageReplicate' }, payloads.slice(b0, b0 + batch), {
      threads: +a.threads,
      shared: design,
      onDone: (_i, done) => process.stderr.write(`\rreplicate ${b0 + done}/${reps}  ${((performance.now() - t0) / 1000).toFixed(0)} s`),
    });
    if (a['replicates-out']) appendFileSync(a['replicates-out'], part.map((r) => JSON.stringify(r)).join('\n') + '\n');
    results.push(...part);
  }
  process.stderr.write('\n');
}
const s = summarizeCoverage(results, design);
const line = (o) => console.log(JSON.stringify(o));
for (const p of s.parameters) {
  line({ what: 'parameter', name: p.name, truth: p.truth, observed: p.coverage.observed.share, robust: p.coverage.robust.share, unavailableObserved: p.coverage.observed.unavailable, unavailableRobust: p.coverage.robust.unavailable, profiled: p.coverage.observed.profiled, bias: p.bias, sd: p.sd });
}
line({ what: 'net complaint effect', truth: s.net.truth, observed: s.net.coverage.observed, robust: s.net.coverage.robust, meanEstimate: s.net.meanEstimate, sd: s.net.sd, signWrong: s.net.signWrong });
line({
  what: 'summary',
  replicates: s.replicates,
  customers: design.customers,
  periods: design.periods,
  startAtTruth: design.startAtTruth,
  notConverged: s.notConverged,
  averageObserved: s.average.observed,
  averageRobust: s.average.robust,
  lowestObserved: s.lowest.observed,
  lowestRobust: s.lowest.robust,
  netObserved: s.net.coverage.observed,
  netRobust: s.net.coverage.robust,
  seconds: (performance.now() - t0) / 1000,
  threads: +a.threads,
});
