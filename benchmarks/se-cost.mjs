#!/usr/bin/env node
// What standard errors add to the default fit of a panel: wall time of the fit (default options:
// data-driven start + 4 random starts), then of the observed and the robust covariance at its
// estimates, each the median of --repeats runs in the same process.
// Usage: node benchmarks/se-cost.mjs [--panel data/example-panel.csv] [--repeats 3]
// Output: one JSON object per line: {"what": "fit"|"observed"|"robust", "medianMs", "runsMs", "nParams", ...}
// and a last line {"what": "ratio", "observedOverFit", "robustOverFit"}.
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
  let out;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    out = f();
    runs.push(performance.now() - t0);
  }
  return { out, runs };
}

const fitted = time(() => fit(panel, spec));
const result = fitted.out;
const line = (o) => console.log(JSON.stringify(o));
line({ what: 'fit', panel: a.panel, customers: result.data.customers, rows: result.data.rows, nParams: result.nParams, medianMs: median(fitted.runs), runsMs: fitted.runs });
const med = {};
for (const method of ['observed', 'robust']) {
  const t = time(() => likelihoodCovariance(panel, spec, result.parameters, method));
  med[method] = median(t.runs);
  line({ what: method, nParams: result.nParams, unavailable: t.out.unavailable.length, medianMs: med[method], runsMs: t.runs });
}
line({ what: 'ratio', observedOverFit: med.observed / median(fitted.runs), robustOverFit: med.robust / median(fitted.runs) });
