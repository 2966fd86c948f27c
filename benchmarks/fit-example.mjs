#!/usr/bin/env node
// Full fit (all starts, EM to convergence) of the shipped example panel with its generating spec.
// Usage: node benchmarks/fit-example.mjs [--panel data/example-panel.csv] [--truth data/example-truth.json]
//        [--starts 4] [--seed 1] [--repeats 3] [--max-iter 500] [--tol x] [--screen-iter n] [--no-quasi-newton]
//        (tol, screen-iter: the fit's defaults unless given)
// Or a simulated panel instead of the file (for the memory figure):
//        --simulate-customers 100000 --periods 100 [--states 3]: continuous covariates x1 and x2,
//        voice from a persistent random state; spec K states, [--transition '~ lag(intervention) + x1']
//        [--emission '~ stock(intervention, 0.8) + x2'] (the defaults).
// Output: one JSON object on stdout (median wall time of the fit alone, reading excluded; peak RSS
// of the whole process).
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { readPanel } from '../dist/src/data/readPanel.js';
import { fit, logLikelihood } from '../dist/src/estimation/fit.js';
import { simulatedPanel } from './lib/simulatedPanel.mjs';

const { values: a } = parseArgs({
  options: {
    panel: { type: 'string', default: 'data/example-panel.csv' },
    truth: { type: 'string', default: 'data/example-truth.json' },
    starts: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '3' },
    'max-iter': { type: 'string', default: '500' },
    tol: { type: 'string' },
    'no-quasi-newton': { type: 'boolean', default: false },
    'screen-iter': { type: 'string' },
    'simulate-customers': { type: 'string' },
    periods: { type: 'string', default: '100' },
    states: { type: 'string', default: '3' },
    transition: { type: 'string', default: '~ lag(intervention) + x1' },
    emission: { type: 'string', default: '~ stock(intervention, 0.8) + x2' },
  },
});
const simulated = a['simulate-customers'] !== undefined;
const truth = simulated ? null : JSON.parse(readFileSync(a.truth, 'utf8'));
const { panel } = simulated ? { panel: simulatedPanel(+a['simulate-customers'], +a.periods, +a.seed) } : await readPanel(a.panel);
const spec = simulated
  ? {
      nStates: +a.states,
      voiceLabels: panel.voiceLabels,
      referenceVoice: 'neutral',
      formulas: { initial: '~ 1', transition: a.transition, emission: a.emission },
      transitionType: 'multinomial',
      sharedSlopes: false,
    }
  : { ...truth.spec, voiceLabels: panel.voiceLabels };

const options = { starts: +a.starts, seed: +a.seed, maxIter: +a['max-iter'] };
if (a.tol !== undefined) options.tol = +a.tol;
if (a['screen-iter'] !== undefined) options.screenIter = +a['screen-iter'];
if (a['no-quasi-newton']) options.quasiNewton = false;
const times = [];
let result;
for (let i = 0; i < +a.repeats; i++) {
  const t0 = process.hrtime.bigint();
  result = fit(panel, spec, options);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const sorted = times.slice().sort((x, y) => x - y);
let truthLogLik = null;
if (truth) try {
  truthLogLik = logLikelihood(panel, spec, { names: truth.parameters.names, values: Float64Array.from(truth.parameters.values), blocks: [] });
} catch (e) {
  truthLogLik = `unavailable: ${e.message}`;
}
console.log(
  JSON.stringify({
    benchmark: 'fit-example',
    panel: simulated ? `simulated ${a['simulate-customers']} x ${a.periods}` : a.panel,
    spec,
    customers: panel.offsets.length - 1,
    rows: panel.voice.length,
    options,
    repeats: times.length,
    medianMs: sorted[Math.floor(sorted.length / 2)],
    timesMs: times,
    logLik: result.logLik,
    truthLogLik,
    iterations: result.iterations,
    converged: result.converged,
    status: result.status,
    starts: result.starts.map((s) => ({ kind: s.kind, logLik: s.logLik, iterations: s.iterations, converged: s.converged })),
    totalEmIterations: result.starts.reduce((n, s) => n + s.iterations, 0),
    warnings: result.warnings,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    node: process.version,
  }),
);
