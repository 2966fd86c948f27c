#!/usr/bin/env node
/**
 * M-step and simulator timings of the model layer (machine-readable JSON on stdout).
 * Meant to live at benchmarks/mstep.mjs (imports ../dist); build first with `npx tsc -p tsconfig.json`.
 *   node benchmarks/mstep.mjs [--repeats 20] [--customers 3000] [--periods 60]
 * Measures, on data/example-panel.csv with data/example-truth.json:
 *   - one fused objective+gradient+Hessian pass of each sub-model (ms, ns per pattern-group);
 *   - one M-step of each sub-model from counts equal to the expected counts at the truth, started
 *     at a perturbed point (ms, Newton iterations);
 *   - simulate() of the example (714 x 90) and of customers x periods with the recovery-test model.
 * Median of the repeats after one warm-up.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = process.env.SQUEAKY_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const repeats = arg('repeats', 20);
const customers = arg('customers', 3000);
const periods = arg('periods', 60);
const { parsePanel } = await import(join(root, 'dist/src/data/readPanel.js'));
const { buildDesign } = await import(join(root, 'dist/src/data/formula.js'));
const { createModel } = await import(join(root, 'dist/src/model/hmmModel.js'));
const { simulate } = await import(join(root, 'dist/src/estimation/simulate.js'));

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(f) {
  f();
  const ts = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const truth = JSON.parse(readFileSync(join(root, 'data/example-truth.json'), 'utf8'));
const { panel } = parsePanel(readFileSync(join(root, 'data/example-panel.csv'), 'utf8'), 'example-panel.csv');
const spec = truth.spec;
const designs = { initial: buildDesign(panel, spec.formulas.initial), transition: buildDesign(panel, spec.formulas.transition), emission: buildDesign(panel, spec.formulas.emission) };
const model = createModel(spec, designs, panel.offsets);
const values = Float64Array.from(truth.parameters.values);
model.setParameters(values);
const out = { machine: { node: process.version }, repeats, parts: [], simulate: [] };
const counts = {};
for (const part of model.parts) {
  const c = new Float64Array(part.design.nPatterns * part.nGroups * part.nOut);
  part.probabilities(c);
  // expected counts of the panel's rows: 1 row per unit spread by the true probabilities
  const perPattern = new Float64Array(part.design.nPatterns);
  for (const p of part.design.index) perPattern[p]++;
  for (let p = 0; p < part.design.nPatterns; p++) for (let e = 0; e < part.nGroups * part.nOut; e++) c[p * part.nGroups * part.nOut + e] *= perPattern[p] / part.nGroups;
  counts[part.block] = c;
}
const stats = { logLik: 0, counts };
for (const part of model.parts) {
  const g = new Float64Array(part.nParams);
  const h = new Float64Array(part.nParams * part.nParams);
  const c = counts[part.block];
  const pass = time(() => {
    part.objective(c, 1e-8);
    part.gradient(c, 1e-8, g);
    part.hessian(c, 1e-8, h);
  });
  const fused = time(() => part.evaluate(c, 1e-8, g, h)); // the M-step's own single pass
  const start = new Float64Array(part.nParams);
  part.getParams(start, 0);
  let iterations = 0;
  const mstep = time(() => {
    const x = start.map((v, i) => v + (i % 2 ? 0.05 : -0.05));
    part.setParams(x, 0);
    iterations = part.mStep(stats, { ridge: 1e-8, maxNewtonIter: 25, newtonTol: 1e-10 }).iterations;
  });
  part.setParams(start, 0);
  const units = part.design.nPatterns * part.nGroups;
  out.parts.push({
    block: part.block,
    patterns: part.design.nPatterns,
    groups: part.nGroups,
    outcomes: part.nOut,
    params: part.nParams,
    fusedPassMs: +fused.toFixed(3),
    fusedNsPerPatternGroup: +((fused * 1e6) / units).toFixed(1),
    separatePassesMs: +pass.toFixed(3),
    mStepMs: +mstep.toFixed(3),
    newtonIterations: iterations,
  });
}
const sim = (s, p, n, t, policy) => time(() => simulate(s, p, { customers: n, periods: t, policy, seed: 1 }));
out.simulate.push({ what: 'example 714 x 90', ms: +sim(spec, { names: truth.parameters.names, values, blocks: [] }, 714, 90, truth.policy).toFixed(1) });
const recSpec = {
  nStates: 3,
  voiceLabels: ['complaint', 'neutral', 'silent'],
  referenceVoice: 'silent',
  formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ log1p(stock(intervention, 1))' },
  transitionType: 'multinomial',
  sharedSlopes: false,
};
const recValues = Float64Array.from({ length: 26 }, (_, i) => (i < 2 ? 0 : i < 14 ? (i % 2 ? 0.5 : -2.5) : i % 2 ? 0.3 : -1.5));
out.simulate.push({ what: `recovery model ${customers} x ${periods}`, ms: +sim(recSpec, recValues, customers, periods, { afterComplaint: 0.5, otherwise: 0.2 }).toFixed(1) });
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
