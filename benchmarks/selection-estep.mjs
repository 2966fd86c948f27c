#!/usr/bin/env node
// Cost of the selection model in the E-step: one E-step (probability tables, forward-backward,
// counts) on a panel with and without --selection, alternated, median of --repeats runs each.
// Usage: node benchmarks/selection-estep.mjs [--panel data/example-panel.csv]
//        [--selection "~ voice_complaint + lag(intervention)"] [--missing 0] [--repeats 9]
// --missing hides that share of voices (seeded) to measure the rows with one unit per voice.
// Output: one JSON line per run ({"what": "run", model, ms}), then a summary line with the medians
// and their ratio. Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { readPanel } from '../dist/src/data/readPanel.js';
import { modelAt, buildModelDesigns } from '../dist/src/estimation/fit.js';
import { specFor } from '../dist/src/report/runFit.js';
import { createModel } from '../dist/src/model/hmmModel.js';
import { Rng } from '../dist/src/estimation/rng.js';

const { values: a } = parseArgs({
  options: {
    panel: { type: 'string', default: 'data/example-panel.csv' },
    selection: { type: 'string', default: '~ voice_complaint + lag(intervention)' },
    missing: { type: 'string', default: '0' },
    repeats: { type: 'string', default: '9' },
  },
});
const line = (o) => console.log(JSON.stringify(o));
const { panel: read } = await readPanel(a.panel);
const rng = new Rng(1);
const voice = Int32Array.from(read.voice, (v) => (rng.uniform() < +a.missing ? -1 : v));
const panel = { ...read, voice };
const plain = specFor(panel, {});
const joint = { ...plain, formulas: { ...plain.formulas, selection: a.selection } };
const runs = {};
for (const [name, spec] of [['without', plain], ['with', joint]]) {
  const m = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  const values = Float64Array.from(m.getParameters().names, (_, i) => 0.1 * Math.sin(i + 1));
  runs[name] = modelAt(panel, spec, values);
}
const ms = { without: [], with: [] };
for (let i = 0; i < +a.repeats + 1; i++) {
  for (const name of ['without', 'with']) {
    const { model, eStep } = runs[name];
    const t0 = performance.now();
    eStep.run(model.parts);
    const t = performance.now() - t0;
    if (i > 0) {
      ms[name].push(t); // the first run of each warms up
      line({ what: 'run', model: name, ms: t });
    }
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
line({ what: 'summary', rows: panel.voice.length, missing: +a.missing, selection: a.selection, medianMsWithout: median(ms.without), medianMsWith: median(ms.with), ratio: median(ms.with) / median(ms.without) });
