#!/usr/bin/env node
// Bootstrap percentile intervals against observed-information (Wald) intervals on a large
// simulated panel: simulate --customers x --periods from the truth file (its spec, parameters and
// intervention policy), fit with the defaults, compute the observed-information covariance and a
// B-replicate bootstrap at the estimates, and compare the 95% interval widths parameter by
// parameter (Wald: 2 x 1.96 x SE; bootstrap: 97.5th minus 2.5th percentile of the replicates).
// A parameter counts as interior when the observed information gives it a standard error (not at
// the boundary, not unidentified) and the bootstrap does too.
// Each parameter is also compared with the interval the fit reports (`reported`): the Wald interval,
// or the profile-likelihood interval where the observed covariance has one (covariance.profile;
// an unbounded side makes its width Infinity, printed as null, and it is left out of the
// reported-interval summary).
// Usage: node benchmarks/bootstrap-width.mjs [--truth data/example-truth.json] [--customers 3000]
//        [--periods 60] [--replicates 200] [--type nonparametric|parametric] [--threads 2] [--seed 1]
// Output: one JSON object per parameter ({"what": "parameter", ...}), then a summary line
// ({"what": "summary", "interior", "within20", "maxRelDiff", "medianRatio", timings...}).
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { simulate } from '../dist/src/estimation/simulate.js';
import { fit } from '../dist/src/estimation/fit.js';
import { likelihoodCovariance } from '../dist/src/estimation/inference/observedCovariance.js';
import { bootstrapCovariance } from '../dist/src/estimation/inference/bootstrapCovariance.js';
import { standardErrors } from '../dist/src/estimation/inference/covariance.js';
import { quantileSorted } from '../dist/src/estimation/inference/distributions.js';

const { values: a } = parseArgs({
  options: {
    truth: { type: 'string', default: 'data/example-truth.json' },
    customers: { type: 'string', default: '3000' },
    periods: { type: 'string', default: '60' },
    replicates: { type: 'string', default: '200' },
    type: { type: 'string', default: 'nonparametric' },
    threads: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
  },
});
const truth = JSON.parse(readFileSync(a.truth, 'utf8'));
const seed = +a.seed;
const line = (o) => console.log(JSON.stringify(o));
const { panel } = simulate(truth.spec, truth.parameters, { customers: +a.customers, periods: +a.periods, policy: truth.policy, seed });
let t0 = performance.now();
const result = fit(panel, truth.spec, { seed });
const fitMs = performance.now() - t0;
t0 = performance.now();
const observed = likelihoodCovariance(panel, truth.spec, result.parameters, 'observed');
const observedMs = performance.now() - t0;
const cpu0 = process.cpuUsage();
t0 = performance.now();
let lastShown = 0;
const boot = await bootstrapCovariance(panel, truth.spec, result, {
  replicates: +a.replicates,
  type: a.type,
  seed,
  threads: +a.threads,
  onProgress: (p) => {
    if (p.done - lastShown >= 20 || p.done === p.total) {
      lastShown = p.done;
      process.stderr.write(`bootstrap ${p.done}/${p.total} ${(p.elapsedMs / 1000).toFixed(0)} s\n`);
    }
  },
});
const bootMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);

const se = standardErrors(observed);
const bse = standardErrors(boot);
const names = result.parameters.names;
const reps = boot.bootstrap.replicates;
const ratios = [];
let within = 0;
let maxRel = 0;
const reportedRatios = [];
let reportedWithin = 0;
names.forEach((name, i) => {
  const v = reps.map((r) => r[i]).sort((x, y) => x - y);
  const low = quantileSorted(v, 0.025);
  const high = quantileSorted(v, 0.975);
  const wald = 2 * 1.959963984540054 * se[i];
  const pct = high - low;
  const interior = Number.isFinite(se[i]) && Number.isFinite(bse[i]);
  const ratio = pct / wald;
  if (interior) {
    ratios.push(ratio);
    if (Math.abs(ratio - 1) <= 0.2) within++;
    maxRel = Math.max(maxRel, Math.abs(ratio - 1));
  }
  const prof = observed.profile?.intervals[name];
  const reported = prof ? [prof[0] ?? -Infinity, prof[1] ?? Infinity] : [result.parameters.values[i] - wald / 2, result.parameters.values[i] + wald / 2];
  const reportedWidth = reported[1] - reported[0];
  const reportedRatio = Number.isFinite(reportedWidth) ? pct / reportedWidth : NaN;
  if (interior && Number.isFinite(reportedWidth)) {
    reportedRatios.push(reportedRatio);
    if (Math.abs(reportedRatio - 1) <= 0.2) reportedWithin++;
  }
  const fin = (x) => (Number.isFinite(x) ? x : null);
  line({ what: 'parameter', name, estimate: result.parameters.values[i], truth: truth.parameters.values[truth.parameters.names.indexOf(name)], observedSe: se[i], bootstrapSd: bse[i], waldWidth: wald, percentileWidth: pct, widthRatio: ratio, interior, percentile: [low, high], reportedMethod: prof ? 'profile' : 'wald', reported: reported.map(fin), reportedWidth: fin(reportedWidth), reportedRatio: fin(reportedRatio) });
});
reportedRatios.sort((x, y) => x - y);
ratios.sort((x, y) => x - y);
line({
  what: 'summary',
  customers: +a.customers,
  periods: +a.periods,
  type: a.type,
  replicates: +a.replicates,
  used: reps.length,
  failed: boot.bootstrap.failed,
  notConverged: boot.bootstrap.notConverged,
  parameters: names.length,
  interior: ratios.length,
  within20: within,
  maxRelDiff: maxRel,
  medianRatio: ratios[Math.floor(ratios.length / 2)],
  minRatio: ratios[0],
  maxRatio: ratios[ratios.length - 1],
  profiled: Object.keys(observed.profile?.intervals ?? {}),
  reportedComparable: reportedRatios.length,
  reportedWithin20: reportedWithin,
  reportedMedianRatio: reportedRatios[Math.floor(reportedRatios.length / 2)],
  reportedMinRatio: reportedRatios[0],
  reportedMaxRatio: reportedRatios[reportedRatios.length - 1],
  notes: boot.notes,
  observedNotes: observed.notes,
  fitMs: Math.round(fitMs),
  observedMs: Math.round(observedMs),
  bootstrapMs: Math.round(bootMs),
  bootstrapCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  threads: +a.threads,
});
