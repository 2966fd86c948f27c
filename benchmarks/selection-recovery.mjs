#!/usr/bin/env node
// Recovery of the relationship channel under firm selection: panels simulated from a 2-state truth
// whose firm intervenes far more often in the worst state at equal voice (selection intercepts
// -1.5 in state 1, -4 in state 2, plus voice_complaint and lag(intervention) slopes); each panel is
// fitted with the selection model (--selection "~ voice_complaint + lag(intervention)") and without
// it (interventions taken as given). One JSON line per replication with both fits' estimates.
// Usage: node benchmarks/selection-recovery.mjs [--replications 20] [--customers 800] [--periods 40]
//        [--seed 1] [--starts 2] [--threads 1] > sel.jsonl
//        node benchmarks/selection-recovery.mjs --summarise sel.jsonl   (also part-way through a run)
// Summary: per parameter and model, the mean, the SD over replications, the bias, the bias in units
// of the SD ("biasSd") and of the Monte Carlo standard error of the mean ("z" = bias / (SD/sqrt(R)));
// recovered = |bias| <= 4 SD; the median and how many estimates ran past 10 on the log-odds scale
// (atBoundary). Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { simulate } from '../dist/src/estimation/simulate.js';
import { fit, buildModelDesigns } from '../dist/src/estimation/fit.js';
import { createModel } from '../dist/src/model/hmmModel.js';

const { values: a } = parseArgs({
  options: {
    replications: { type: 'string', default: '20' },
    customers: { type: 'string', default: '800' },
    periods: { type: 'string', default: '40' },
    seed: { type: 'string', default: '1' },
    starts: { type: 'string', default: '2' },
    threads: { type: 'string', default: '1' },
    summarise: { type: 'string' },
  },
});
const line = (o) => console.log(JSON.stringify(o));

export const SPEC = {
  nStates: 2,
  voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'],
  referenceVoice: 'silent',
  formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)', selection: '~ voice_complaint + lag(intervention)' },
  transitionType: 'multinomial',
  sharedSlopes: false,
};
const { selection: _s, ...voiceFormulas } = SPEC.formulas;
const SPEC_WITHOUT = { ...SPEC, formulas: voiceFormulas };

/** The true value of each parameter, by name. */
function truthOf(name) {
  const table = {
    'initial[2]:(Intercept)': 0,
    'transition[1->2]:(Intercept)': -2.5,
    'transition[1->2]:lag(intervention)': 1.5,
    'transition[2->1]:(Intercept)': -2.5,
    'transition[2->1]:lag(intervention)': -0.5,
    'emission[1]:complaint:(Intercept)': -0.5,
    'emission[1]:compliment:(Intercept)': -3,
    'emission[1]:neutral:(Intercept)': -1.5,
    'emission[1]:complaint:stock(intervention, 0.8)': 0.4,
    'emission[2]:complaint:(Intercept)': -2.5,
    'emission[2]:compliment:(Intercept)': -1,
    'emission[2]:neutral:(Intercept)': -1.2,
    'emission[2]:complaint:stock(intervention, 0.8)': 0.3,
    'selection[1]:(Intercept)': -1.5,
    'selection[2]:(Intercept)': -4,
    'selection:voice_complaint': 1.5,
    'selection:lag(intervention)': -0.5,
  };
  return Object.hasOwn(table, name) ? table[name] : 0; // other stock slopes 0
}

function summarise(file) {
  const reps = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)).filter((o) => o.what === 'replication');
  const R = reps.length;
  const rows = [];
  for (const model of ['withSelection', 'withoutSelection']) {
    const names = Object.keys(reps[0][model].estimates);
    for (const name of names) {
      const xs = reps.map((r) => r[model].estimates[name]);
      const mean = xs.reduce((s, x) => s + x, 0) / R;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, R - 1));
      const truth = truthOf(name);
      const bias = mean - truth;
      // an estimate beyond 10 on the log-odds scale ran to the boundary (a transition never seen after an intervention)
      const atBoundary = xs.filter((x) => Math.abs(x) > 10).length;
      const row = { what: 'parameter', model, name, truth, mean, median: median(xs), sd, bias, biasSd: bias / sd, z: bias / (sd / Math.sqrt(R)), recovered: Math.abs(bias) <= 4 * sd, atBoundary };
      rows.push(row);
      line(row);
    }
  }
  const sel = rows.filter((r) => r.model === 'withSelection');
  const rel = (m) => rows.filter((r) => r.model === m && /^transition\[.*lag\(intervention\)/.test(r.name)).map((r) => ({ name: r.name, bias: r.bias, z: r.z, biasSd: r.biasSd }));
  line({
    what: 'summary',
    replications: R,
    converged: { withSelection: reps.filter((r) => r.withSelection.converged).length, withoutSelection: reps.filter((r) => r.withoutSelection.converged).length },
    selectionModelAllWithin4Sd: sel.every((r) => r.recovered),
    selectionModelMaxAbsBiasSd: Math.max(...sel.map((r) => Math.abs(r.biasSd))),
    selectionModelMaxAbsZ: Math.max(...sel.map((r) => Math.abs(r.z))),
    relationshipChannel: { withSelection: rel('withSelection'), withoutSelection: rel('withoutSelection') },
    medianSeconds: median(reps.map((r) => r.seconds)),
  });
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}

function estimates(result) {
  const out = {};
  result.parameters.names.forEach((n, i) => (out[n] = result.parameters.values[i]));
  return out;
}

if (a.summarise) {
  summarise(a.summarise);
} else {
  const R = +a.replications;
  const customers = +a.customers;
  const periods = +a.periods;
  const seed0 = +a.seed;
  const opts = { starts: +a.starts, threads: +a.threads };
  for (let rep = 0; rep < R; rep++) {
    const seed = seed0 + rep;
    const t0 = performance.now();
    // the truth's parameter vector, in the model's own order
    const truthNames = modelNames(SPEC, skeleton(SPEC));
    const truth = { names: truthNames, values: Float64Array.from(truthNames, truthOf), blocks: [] };
    const { panel } = simulate(SPEC, truth, { customers, periods, policy: { afterComplaint: 0, otherwise: 0 }, seed });
    let interventions = 0;
    for (const x of panel.columns.intervention) interventions += x;
    const withSel = fit(panel, SPEC, { seed, ...opts });
    const without = fit(panel, SPEC_WITHOUT, { seed, ...opts });
    line({
      what: 'replication',
      rep,
      seed,
      customers,
      periods,
      interventions,
      withSelection: { logLik: withSel.logLik, converged: withSel.converged, estimates: estimates(withSel) },
      withoutSelection: { logLik: without.logLik, converged: without.converged, estimates: estimates(without) },
      seconds: (performance.now() - t0) / 1000,
    });
  }
}

/** A 3-period panel: enough to build the model and read its parameter names. */
function skeleton(spec) {
  return { customers: ['a'], offsets: Int32Array.of(0, 3), period: Int32Array.of(1, 2, 3), voice: Int32Array.of(0, 1, 3), voiceLabels: spec.voiceLabels, columns: Object.assign(Object.create(null), { intervention: Float64Array.of(0, 1, 0) }) };
}
function modelNames(spec, panel) {
  return createModel(spec, buildModelDesigns(panel, spec), panel.offsets).getParameters().names;
}
