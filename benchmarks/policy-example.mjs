#!/usr/bin/env node
// `squeaky policy` on the shipped example panel (714 customers x 90 periods) with default paths.
// Usage: node benchmarks/policy-example.mjs [--model data/example-truth.json] [--panel data/example-panel.csv]
//        [--policies observed,all,none,rate:0.5] [--threads 2] [--repeats 3] [--horizon 30]
//        [--covariance none|diagonal] [--cli]
// --model: a fit.json or the truth file (the work does not depend on the parameter values).
// --covariance diagonal: a stand-in covariance (0.01 on the diagonal) so that the parameter draws
//   (default 30 draws x 4 paths per policy) are timed too, as for a fit with standard errors.
// --cli: time the whole command as a child process (node bin/squeaky.js policy ...), reading included.
// Output: one JSON object per repeat, then one with the medians.
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { readPanel } from '../dist/src/data/readPanel.js';
import { loadModelSource } from '../dist/src/report/modelSource.js';
import { projectPolicies } from '../dist/src/report/policy/projectPolicies.js';

const { values: a } = parseArgs({
  options: {
    model: { type: 'string', default: 'data/example-truth.json' },
    panel: { type: 'string', default: 'data/example-panel.csv' },
    policies: { type: 'string', default: 'observed,all,none,rate:0.5' },
    threads: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '3' },
    horizon: { type: 'string', default: '30' },
    covariance: { type: 'string', default: 'none' },
    cli: { type: 'boolean', default: false },
  },
});

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const rows = [];
for (let rep = 0; rep < +a.repeats; rep++) {
  const load = loadavg()[0];
  if (a.cli) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['bin/squeaky.js', 'policy', a.model, a.panel, '--policies', a.policies, '--threads', a.threads, '--horizon', a.horizon, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(r.stderr);
    const report = JSON.parse(r.stdout);
    const row = { what: 'policy-cli', rep, ms: Math.round(ms), threads: +a.threads, paths: report.policies.map((p) => p.paths), maxRelativeSe: Math.max(...report.policies.map((p) => p.maxRelativeSe)), load1: load };
    rows.push(row);
    console.log(JSON.stringify(row));
    continue;
  }
  const model = await loadModelSource(a.model);
  const { panel } = await readPanel(a.panel, { labels: model.spec.voiceLabels });
  const n = model.parameters.names.length;
  const covariance =
    a.covariance === 'diagonal'
      ? { method: 'observed', names: model.parameters.names, matrix: Float64Array.from({ length: n * n }, (_, e) => (e % (n + 1) === 0 ? 0.01 : 0)), unavailable: [], notes: [] }
      : null;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await projectPolicies({ ...model, covariance: covariance ?? undefined }, panel, { policies: a.policies, threads: +a.threads, horizon: +a.horizon });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const row = {
    what: 'policy-library',
    rep,
    ms: Math.round(ms),
    processCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    threads: +a.threads,
    covariance: a.covariance,
    draws: report.intervals.draws,
    paths: report.policies.map((p) => p.paths),
    maxRelativeSe: Math.max(...report.policies.map((p) => p.maxRelativeSe)),
    load1: load,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.log(JSON.stringify({ what: 'median', ms: median(rows.map((r) => r.ms)), repeats: rows.length, threads: +a.threads, cli: a.cli, covariance: a.covariance }));
