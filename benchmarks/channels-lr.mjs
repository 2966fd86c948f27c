#!/usr/bin/env node
// Size and power of the propensity-channel LR test of `squeaky channels`, and the naive-model bias.
// Two truths: the shipped example truth (data/example-truth.json: interventions raise complaint
// propensity and move customers up) and the same truth with every emission slope on intervention
// set to 0 (no propensity channel). For each, R panels of the example's size are simulated (seed
// base + replication) and the full and the propensity-free models are fitted as `channels` fits them.
// Usage: node benchmarks/channels-lr.mjs [--reps 50] [--customers 714] [--periods 90] [--starts 4]
//        [--finish 2] [--seed 1000] [--threads 2] [--truths null,example]
// Output: one JSON object per replication, then one summary object per truth (rejection rate at
// 5%, and for the example truth the mean net effects and how often the propensity-free model is
// further from the truth than the full model). Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { runParallel } from '../dist/src/parallel/runParallel.js';
import { exampleTruth, withoutPropensity } from './lib/truths.mjs';

const { values: a } = parseArgs({
  options: {
    reps: { type: 'string', default: '50' },
    customers: { type: 'string', default: '714' },
    periods: { type: 'string', default: '90' },
    starts: { type: 'string', default: '4' },
    finish: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1000' },
    threads: { type: 'string', default: '2' },
    truths: { type: 'string', default: 'null,example' },
  },
});
const plain = (t) => ({ spec: t.spec, policy: t.policy, parameters: { names: t.parameters.names, values: Array.from(t.parameters.values) } });
const truths = { null: plain(withoutPropensity(exampleTruth())), example: plain(exampleTruth()) };
const job = { module: new URL('./lib/channelsReplicate.mjs', import.meta.url).href, name: 'channelsReplicate' };
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
for (const name of a.truths.split(',')) {
  const R = +a.reps;
  const payloads = Array.from({ length: R }, (_, r) => ({ truth: truths[name], customers: +a.customers, periods: +a.periods, starts: +a.starts, finish: +a.finish, seed: +a.seed + r, fitSeed: 1 }));
  const t0 = performance.now();
  const results = await runParallel(job, payloads, {
    threads: +a.threads,
    onDone: (i, done, total) => process.stderr.write(`[${name}] replication ${i + 1} done (${done}/${total}) ${((performance.now() - t0) / 1000).toFixed(0)} s\n`),
  });
  for (const r of results) console.log(JSON.stringify({ bench: 'channels-lr', truth: name, ...r }));
  const rejected = results.filter((r) => r.p < 0.05).length;
  const summary = { bench: 'channels-lr-summary', truth: name, reps: R, customers: +a.customers, periods: +a.periods, rejectedAt5pct: rejected, rejectionRate: rejected / R, notConverged: results.filter((r) => !r.converged).length, seconds: (performance.now() - t0) / 1000 };
  if (name === 'example') {
    const err = (k, v) => results.map((r) => Math.abs(r[k][v] - r.netTruth[v]));
    Object.assign(summary, {
      meanNetComplaints: { truth: mean(results.map((r) => r.netTruth.complaint)), full: mean(results.map((r) => r.netFull.complaint)), naive: mean(results.map((r) => r.netNaive.complaint)) },
      meanNetCompliments: { truth: mean(results.map((r) => r.netTruth.compliment)), full: mean(results.map((r) => r.netFull.compliment)), naive: mean(results.map((r) => r.netNaive.compliment)) },
      meanAbsErrorComplaints: { full: mean(err('netFull', 'complaint')), naive: mean(err('netNaive', 'complaint')) },
      meanAbsErrorCompliments: { full: mean(err('netFull', 'compliment')), naive: mean(err('netNaive', 'compliment')) },
      naiveFurtherComplaints: results.filter((r) => Math.abs(r.netNaive.complaint - r.netTruth.complaint) > Math.abs(r.netFull.complaint - r.netTruth.complaint)).length,
      naiveFurtherCompliments: results.filter((r) => Math.abs(r.netNaive.compliment - r.netTruth.compliment) > Math.abs(r.netFull.compliment - r.netTruth.compliment)).length,
    });
  }
  console.log(JSON.stringify(summary));
}
