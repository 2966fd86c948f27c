#!/usr/bin/env node
// Wall time of a B-replicate bootstrap of the shipped example panel (target: 200 replicates within
// 3 minutes on 2 cores). Fits the panel with the defaults first (not timed in the bootstrap
// figure), then runs bootstrapCovariance with --threads worker threads.
// Usage: node benchmarks/bootstrap-example.mjs [--panel data/example-panel.csv] [--replicates 200]
//        [--type nonparametric|parametric] [--threads 2] [--seed 1] [--tol x] [--classes C]
// Output: one JSON object: {"what": "bootstrap-example", "bootstrapMs", "perReplicateMs", "failed",
// "notConverged", "relabelled", "fitMs", ...} (relabelled: replicates whose states, or with
// --classes classes or states, came back in another order and were matched). The machine may be shared: the process's CPU time (all threads) is
// reported too, with cpuMs / 2 as the wall time on two otherwise idle cores.
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { readPanel } from '../dist/src/data/readPanel.js';
import { fit } from '../dist/src/estimation/fit.js';
import { specFor } from '../dist/src/report/runFit.js';
import { bootstrapCovariance } from '../dist/src/estimation/inference/bootstrapCovariance.js';

const { values: a } = parseArgs({
  options: {
    panel: { type: 'string', default: 'data/example-panel.csv' },
    replicates: { type: 'string', default: '200' },
    type: { type: 'string', default: 'nonparametric' },
    threads: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    tol: { type: 'string' },
    classes: { type: 'string', default: '1' },
  },
});
const { panel } = await readPanel(a.panel);
const spec = specFor(panel, { classes: { count: +a.classes } });
let t0 = performance.now();
const result = fit(panel, spec);
const fitMs = performance.now() - t0;
const load = loadavg()[0];
const cpu0 = process.cpuUsage();
t0 = performance.now();
let lastShown = 0;
const cov = await bootstrapCovariance(panel, spec, result, {
  replicates: +a.replicates,
  type: a.type,
  seed: +a.seed,
  threads: +a.threads,
  tol: a.tol !== undefined ? +a.tol : undefined,
  onProgress: (p) => {
    if (p.done - lastShown >= 20 || p.done === p.total) {
      lastShown = p.done;
      process.stderr.write(`bootstrap ${p.done}/${p.total} ${(p.elapsedMs / 1000).toFixed(0)} s\n`);
    }
  },
});
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(JSON.stringify({
  what: 'bootstrap-example',
  panel: a.panel,
  type: a.type,
  replicates: +a.replicates,
  threads: +a.threads,
  tol: a.tol !== undefined ? +a.tol : 'default',
  bootstrapMs: Math.round(ms),
  perReplicateMs: Math.round(ms / +a.replicates),
  // CPU time of the whole process (all threads) during the bootstrap, and what it means on 2 free cores.
  cpuMs: Math.round(cpuMs),
  cpuPerReplicateMs: Math.round(cpuMs / +a.replicates),
  projectedTwoFreeCoresMs: Math.round(cpuMs / 2),
  failed: cov.bootstrap.failed,
  notConverged: cov.bootstrap.notConverged,
  used: cov.bootstrap.replicates.length,
  relabelled: Number(/^(\d+) of \d+ bootstrap replicates came back/.exec(cov.notes.find((n) => / came back /.test(n)) ?? '')?.[1] ?? 0),
  classes: +a.classes,
  fitMs: Math.round(fitMs),
  loadAverageBefore: load,
  loadAverageAfter: loadavg()[0],
}));
