#!/usr/bin/env node
// Independent check of the naive-model bias figures of the channel benchmark on one replication:
// simulate a panel from a truth, fit the full and the propensity-free models exactly as
// benchmarks/lib/channelsReplicate.mjs does, and for the truth and both fits compare the
// report's net effect of one intervention (computeEffects, exact propagation) with
//   - the complaint-state mix recomputed by an independent forward-backward pass,
//   - a Monte Carlo of the hypothetical customer's paths from that mix (own probabilities),
//   - the population version: from each complaint row of the panel, with the customer's own
//     history, the row's intervention set to 1 or 0 and none later (exact propagation).
// Usage: node benchmarks/naive-check.mjs [--truth example] [--customers 3000] [--periods 90]
//        [--seed 1000] [--starts 2] [--finish 1] [--paths 200000] [--horizon 30] [--rows 3000]
// Output: one JSON object per model (truth, full, naive). Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { simulate } from '../dist/src/estimation/simulate.js';
import { runFitOnPanel, effectsBasis } from '../dist/src/report/runFit.js';
import { computeEffects } from '../dist/src/report/computeEffects.js';
import { channelFormulas } from '../dist/src/report/selection/runChannels.js';
import { namedTruth } from './lib/truths.mjs';
import { readModel, complaintStateMix, monteCarloNet, populationNet, uniforms } from './lib/independentHmm.mjs';

const { values: a } = parseArgs({
  options: {
    truth: { type: 'string', default: 'example' },
    customers: { type: 'string', default: '3000' },
    periods: { type: 'string', default: '90' },
    seed: { type: 'string', default: '1000' },
    starts: { type: 'string', default: '2' },
    finish: { type: 'string', default: '1' },
    paths: { type: 'string', default: '200000' },
    horizon: { type: 'string', default: '30' },
    rows: { type: 'string', default: '3000' },
  },
});
const H = +a.horizon;
const truth = namedTruth(a.truth);
const spec = truth.spec;
const truthParams = { names: truth.parameters.names, values: Float64Array.from(truth.parameters.values), blocks: [] };
const { panel } = simulate(spec, truthParams, { customers: +a.customers, periods: +a.periods, policy: truth.policy, seed: +a.seed });
const removed = channelFormulas(spec.formulas.emission, spec.formulas.transition, Object.keys(panel.columns));
const options = { states: spec.nStates, formulas: spec.formulas, sharedSlopes: spec.sharedSlopes, starts: +a.starts, finish: +a.finish, seed: 1, horizon: H, se: 'none' };
const full = runFitOnPanel(panel, options);
const naive = runFitOnPanel(panel, { ...options, formulas: { ...spec.formulas, emission: removed.emission.formula } });

const models = [
  { model: 'truth', spec, parameters: truthParams, effects: computeEffects({ spec, parameters: truthParams, effectsBasis: effectsBasis(panel, spec, truthParams) }, { horizon: H }) },
  { model: 'full', spec: full.fit.spec, parameters: full.fit.parameters, effects: full.effects },
  { model: 'naive', spec: naive.fit.spec, parameters: naive.fit.parameters, effects: naive.effects },
];
const r4 = (x) => Math.round(x * 1e4) / 1e4;
for (const [i, m] of models.entries()) {
  const own = readModel(m.spec, m.parameters);
  const keep = [];
  const { mix } = complaintStateMix(own, panel, keep);
  const mc = monteCarloNet(own, mix, H, +a.paths, 7 + i);
  // A fixed, seeded sample of complaint rows for the population version.
  const u = uniforms(99);
  const sample = keep.length <= +a.rows ? keep : Array.from({ length: +a.rows }, () => keep[Math.floor(u() * keep.length)]);
  const pop = populationNet(own, panel, sample, H);
  const e = m.effects;
  const ch = (v) => ({ relationship: r4(e.net.effects[v].relationship), propensity: r4(e.net.effects[v].propensity), net: r4(e.net.effects[v].net) });
  const lr = (v) => (e.longRun.exists ? { relationship: r4(e.longRun.effects[v].relationship), propensity: r4(e.longRun.effects[v].propensity), net: r4(e.longRun.effects[v].net) } : null);
  const pick = (re) => Object.fromEntries(m.parameters.names.map((n, j) => [n, r4(m.parameters.values[j])]).filter(([n]) => re.test(n)));
  console.log(
    JSON.stringify({
      bench: 'naive-check',
      truth: a.truth,
      seed: +a.seed,
      model: m.model,
      logLik: m.model === 'truth' ? undefined : (m.model === 'full' ? full : naive).fit.logLik,
      startMix: { report: e.startMix.map(r4), independent: mix.map(r4) },
      net30: { complaint: ch('complaint'), compliment: ch('compliment') },
      monteCarlo: { paths: +a.paths, complaint: { net: r4(mc.complaint.net), se: r4(mc.complaint.se) }, compliment: { net: r4(mc.compliment.net), se: r4(mc.compliment.se) } },
      population: { rows: sample.length, complaint: r4(pop.complaint), compliment: r4(pop.compliment) },
      longRun: { complaint: lr('complaint'), compliment: lr('compliment') },
      emissionWithout: e.propensity.emissionWithout.map((row) => row.map(r4)),
      emissionWith: e.propensity.emissionWith.map((row) => row.map(r4)),
      transitionWithout: e.relationship.transitionWithout.map((row) => row.map(r4)),
      transitionWith: e.relationship.transitionWith.map((row) => row.map(r4)),
      transitionSlopes: pick(/^transition.*intervention/),
      complaintIntercepts: pick(/^emission\[\d\]:complaint:\(Intercept\)/),
    }),
  );
}
