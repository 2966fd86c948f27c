#!/usr/bin/env node
// Does BIC pick the true number of states? For each true K, a panel simulated from ladderTruth(K)
// (benchmarks/lib/truths.mjs), then `select` over K-1..K+1 (or --states-around n), exactly as the
// command runs it.
// Usage: node benchmarks/select-true-k.mjs [--true 2,3,4] [--customers 3000] [--periods 60]
//        [--starts 4] [--finish 2] [--seed 1] [--threads 2] [--around 1]
// Output: one JSON object per true K on stdout (the table's rows and each criterion's pick), then
// a summary object. Progress on stderr. Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { simulate } from '../dist/src/estimation/simulate.js';
import { selectOnPanel } from '../dist/src/report/selection/runSelect.js';
import { ladderTruth } from './lib/truths.mjs';

const { values: a } = parseArgs({
  options: {
    true: { type: 'string', default: '2,3,4' },
    customers: { type: 'string', default: '3000' },
    periods: { type: 'string', default: '60' },
    starts: { type: 'string', default: '4' },
    finish: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
    around: { type: 'string', default: '1' },
  },
});
const summary = [];
for (const K of a.true.split(',').map(Number)) {
  const truth = ladderTruth(K);
  const sim = simulate(truth.spec, truth.parameters, { customers: +a.customers, periods: +a.periods, policy: truth.policy, seed: +a.seed + K });
  const states = [];
  for (let k = Math.max(1, K - +a.around); k <= K + +a.around; k++) states.push(k);
  const t0 = performance.now();
  const r = await selectOnPanel(sim.panel, {
    states,
    formulas: truth.spec.formulas,
    sharedSlopes: truth.spec.sharedSlopes,
    starts: +a.starts,
    finish: +a.finish,
    seed: +a.seed,
    threads: +a.threads,
    onProgress: (l) => process.stderr.write(`[true K ${K}] ${l}\n`),
  });
  const picks = Object.fromEntries(Object.entries(r.picks).map(([c, i]) => [c, r.rows[i].states]));
  const out = {
    bench: 'select-true-k',
    trueK: K,
    customers: +a.customers,
    periods: +a.periods,
    states,
    seconds: (performance.now() - t0) / 1000,
    rows: r.rows.map((x) => ({ K: x.states, logLik: x.logLik, nParams: x.nParams, aic: x.aic, bicVoices: x.bicVoices, bicCustomers: x.bicCustomers, icl: x.icl, converged: x.converged, startsAtBest: `${x.reachedBest}/${x.finished}` })),
    picks,
    bicPicksTrue: picks.bicVoices === K,
  };
  summary.push({ trueK: K, picks });
  console.log(JSON.stringify(out));
}
console.log(JSON.stringify({ bench: 'select-true-k', summary, bicVoicesAlwaysTrue: summary.every((s) => s.picks.bicVoices === s.trueK), bicCustomersAlwaysTrue: summary.every((s) => s.picks.bicCustomers === s.trueK) }));
