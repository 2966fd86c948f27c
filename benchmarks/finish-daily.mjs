#!/usr/bin/env node
// --finish on the prepared daily example panel: the runs the issue lists (seed 1, seed 3,
// --starts 20) with the default --finish 2 and with --finish 1 (the former behaviour: only the best
// screened start run to convergence), as the library's fit runs them.
// Usage: node bin/squeaky.js prepare data/example-events.csv --period day --out /tmp/daily.csv
//        node benchmarks/finish-daily.mjs --panel /tmp/daily.csv
// Output: one JSON object per run (log-likelihood, finished starts, how many reached the best,
// warnings about disagreeing starts). Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { readPanel } from '../dist/src/data/readPanel.js';
import { runFitOnPanel } from '../dist/src/report/runFit.js';

const { values: a } = parseArgs({ options: { panel: { type: 'string', default: '/tmp/daily.csv' } } });
const { panel } = await readPanel(a.panel);
for (const finish of [2, 1]) {
  for (const [label, o] of [['seed 1', { seed: 1 }], ['seed 3', { seed: 3 }], ['--starts 20', { starts: 20 }]]) {
    const t0 = performance.now();
    const run = runFitOnPanel(panel, { ...o, finish, se: 'none' });
    const f = run.fit;
    console.log(JSON.stringify({ bench: 'finish-daily', run: label, finish, logLik: f.logLik, finished: f.finished, reachedBest: f.reachedBest, kept: f.bestStart + 1, disagree: f.warnings.filter((w) => /finished starts disagree/.test(w)), seconds: (performance.now() - t0) / 1000 }));
  }
}
