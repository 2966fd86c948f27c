#!/usr/bin/env node
// Size and power of the propensity-channel LR test of `squeaky channels`, and the naive-model bias.
// Truths by name (benchmarks/lib/truths.mjs namedTruth): `example` (data/example-truth.json:
// interventions raise complaint propensity and move customers up), `null` (the same truth with every
// emission slope on intervention set to 0: no propensity channel), the variants of the naive-bias
// study (complaint-propensity, strong-propensity, strong-relationship, strong-both), or the path
// of a truth file in the format of data/example-truth.json. For each, R panels are simulated (seed
// base + replication) and the full and the propensity-free models are fitted as `channels` fits them.
// Usage: node benchmarks/channels-lr.mjs [--reps 50] [--customers 714] [--periods 90] [--starts 4]
//        [--finish 2] [--seed 1000] [--threads 2] [--horizon 30] [--truths null,example]
// Output: one JSON object per replication (printed as they finish), then one summary object per
// truth (rejection rate at 5%, and for a truth with a propensity channel, per quantity (net effect
// and relationship channel over the horizon and in the long run) and voice, the means of truth,
// full and propensity-free model, their mean absolute errors, how often the propensity-free model is
// further from the truth and how often it understates; medians of the mechanism figures).
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { runParallel } from '../dist/src/parallel/runParallel.js';
import { namedTruth } from './lib/truths.mjs';
import { channelsSummary } from './lib/channelsSummary.mjs';

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
    horizon: { type: 'string', default: '30' },
  },
});
const plain = (t) => ({ spec: t.spec, policy: t.policy, parameters: { names: t.parameters.names, values: Array.from(t.parameters.values) } });
const job = { module: new URL('./lib/channelsReplicate.mjs', import.meta.url).href, name: 'channelsReplicate' };
for (const name of a.truths.split(',')) {
  const R = +a.reps;
  const truth = plain(namedTruth(name));
  const payloads = Array.from({ length: R }, (_, r) => ({ truth, horizon: +a.horizon, customers: +a.customers, periods: +a.periods, starts: +a.starts, finish: +a.finish, seed: +a.seed + r, fitSeed: 1 }));
  const t0 = performance.now();
  // In batches of --threads replications, each printed as soon as its batch is done, so a run cut
  // short keeps what it finished.
  const results = [];
  for (let b = 0; b < R; b += +a.threads) {
    const batch = await runParallel(job, payloads.slice(b, b + +a.threads), { threads: +a.threads });
    for (const r of batch) console.log(JSON.stringify({ bench: 'channels-lr', truth: name, ...r }));
    results.push(...batch);
    process.stderr.write(`[${name}] ${results.length}/${R} replications ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const summary = { ...channelsSummary(name, results), customers: +a.customers, periods: +a.periods, seconds: (performance.now() - t0) / 1000 };
  console.log(JSON.stringify(summary));
}
