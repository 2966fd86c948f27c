#!/usr/bin/env node
// What standard errors add to the default fit of a panel: wall time of the fit (default options:
// data-driven start + 4 random starts), then of the observed and the robust covariance at its
// estimates, each the median of --repeats runs in the same process.
// Usage: node benchmarks/se-cost.mjs [--panel data/example-panel.csv] [--repeats 3]
// The observed and robust covariances include the profile-likelihood intervals of the parameters
// whose Wald interval is not trusted (the default); "observed-without-profile" measures the
// covariance alone, so the difference is the profiles' cost ("profiled" lists them).
// Output: one JSON object per line: {"what": "fit"|"observed"|"robust"|"observed-without-profile", "medianMs", "runsMs",
// "medianCpuMs", "cpuMs", "nParams", ...} (wall and CPU time of this single-threaded process; CPU
// time is the steadier figure on a shared machine) and a last line {"what": "ratio",
// "observedOverFit", "robustOverFit", and the same from CPU time}.
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { readPanel } from '../dist/src/data/readPanel.js';
import { fit } from '../dist/src/estimation/fit.js';
import { specFor } from '../dist/src/report/runFit.js';
import { likelihoodCovariance } from '../dist/src/estimation/inference/observedCovariance.js';

const { values: a } = parseArgs({
  options: { panel: { type: 'string', default: 'data/example-panel.csv' }, repeats: { type: 'string', default: '3' } },
});
const { panel } = await readPanel(a.panel);
const spec = specFor(panel, {});
const repeats = +a.repeats;
const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];

function time(f) {
  const runs = [];
  const cpu = [];
  let out;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    out = f();
    const c = process.cpuUsage(c0);
    runs.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { out, runs, cpu };
}

const fitted = time(() => fit(panel, spec));
const result = fitted.out;
const line = (o) => console.log(JSON.stringify(o));
line({ what: 'fit', panel: a.panel, customers: result.data.customers, rows: result.data.rows, nParams: result.nParams, medianMs: median(fitted.runs), runsMs: fitted.runs, medianCpuMs: median(fitted.cpu), cpuMs: fitted.cpu });
const med = {};
const medCpu = {};
for (const [what, method, profile] of [['observed', 'observed', true], ['robust', 'robust', true], ['observed-without-profile', 'observed', false]]) {
  const t = time(() => likelihoodCovariance(panel, spec, result.parameters, method, { profile }));
  med[what] = median(t.runs);
  medCpu[what] = median(t.cpu);
  line({ what, nParams: result.nParams, unavailable: t.out.unavailable.length, profiled: Object.keys(t.out.profile?.intervals ?? {}), medianMs: med[what], runsMs: t.runs, medianCpuMs: medCpu[what], cpuMs: t.cpu });
}
const fitWall = median(fitted.runs);
const fitCpu = median(fitted.cpu);
line({
  what: 'ratio',
  observedOverFit: med.observed / fitWall,
  robustOverFit: med.robust / fitWall,
  observedOverFitCpu: medCpu.observed / fitCpu,
  robustOverFitCpu: medCpu.robust / fitCpu,
  withoutProfileOverFitCpu: medCpu['observed-without-profile'] / fitCpu,
  profileOverFitCpu: (medCpu.observed - medCpu['observed-without-profile']) / fitCpu,
});
