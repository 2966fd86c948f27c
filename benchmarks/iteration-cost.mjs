#!/usr/bin/env node
// Cost of one EM iteration (M-step of every sub-model + E-step) of the default model against the
// same model with an intercept-only emission formula, on the same simulated panel.
// Usage: node benchmarks/iteration-cost.mjs [--customers 20000] [--periods 100] [--states 3]
//        [--iterations 10] [--seed 1] [--emission '~ stock(intervention, 0.8)'] [--transition '~ lag(intervention)']
//        [--emission-tables auto|patterns|units|rows] (the E-step's emission layout; default as in a fit)
// Each model: data-driven start, 2 warm-up iterations, then --iterations timed iterations; the
// phases (E-step, M-step per sub-model) are timed separately. Times are wall clock and, less
// sensitive to other work on the machine, this process's CPU time (user + system).
// Output: one JSON line per model, then one with the ratio of the median iteration times.
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { simulatedPanel } from './lib/simulatedPanel.mjs';
import { buildModelDesigns, M_STEP_DEFAULTS, FIT_DEFAULTS } from '../dist/src/estimation/fit.js';
import { createModel, complaintIndex } from '../dist/src/model/hmmModel.js';
import { EStep } from '../dist/src/estimation/eStep.js';
import { complaintRateBins, dataResponsibilities, startFromResponsibilities } from '../dist/src/estimation/starts.js';

const { values: a } = parseArgs({
  options: {
    customers: { type: 'string', default: '20000' },
    periods: { type: 'string', default: '100' },
    states: { type: 'string', default: '3' },
    iterations: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    emission: { type: 'string', default: '~ stock(intervention, 0.8)' },
    transition: { type: 'string', default: '~ lag(intervention)' },
    'emission-tables': { type: 'string', default: 'auto' },
  },
});
const panel = simulatedPanel(+a.customers, +a.periods, +a.seed);
const K = +a.states;
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};

function measure(emission) {
  const spec = {
    nStates: K,
    voiceLabels: panel.voiceLabels,
    referenceVoice: 'neutral',
    formulas: { initial: '~ 1', transition: a.transition, emission },
    transitionType: 'multinomial',
    sharedSlopes: false,
  };
  const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  const parts = model.parts;
  const eStep = new EStep(parts, K, panel.voiceLabels.length, panel.offsets, panel.voice, { emission: a['emission-tables'] });
  const mStep = { ridge: FIT_DEFAULTS.ridge, ...M_STEP_DEFAULTS };
  const bins = complaintRateBins(panel.offsets, panel.voice, K, complaintIndex(spec.voiceLabels));
  startFromResponsibilities(parts, eStep, dataResponsibilities(bins, K), { ...mStep, maxNewtonIter: 3 });
  eStep.run(parts);
  const total = [];
  const totalCpu = [];
  const e = [];
  const m = [[], [], []];
  let ll = NaN;
  for (let it = 0; it < 2 + +a.iterations; it++) {
    const c0 = cpu();
    const t0 = now();
    const tm = [];
    for (const part of parts) {
      const s = now();
      part.mStep(eStep.stats, mStep);
      tm.push(now() - s);
    }
    const t1 = now();
    ll = eStep.run(parts);
    const t2 = now();
    const c2 = cpu();
    if (it < 2) continue;
    total.push(t2 - t0);
    totalCpu.push(c2 - c0);
    e.push(t2 - t1);
    tm.forEach((x, b) => m[b].push(x));
  }
  const rows = panel.voice.length;
  return {
    benchmark: 'iteration-cost',
    emission,
    transition: a.transition,
    states: K,
    customers: +a.customers,
    periods: +a.periods,
    rows,
    emissionPatterns: parts[2].design.nPatterns,
    emissionLayout: eStep.emissionLayout,
    emissionUnits: eStep.emissionUnits ? eStep.emissionUnits.outcome.length : null,
    iterations: total.length,
    medianIterationMs: median(total),
    nsPerRow: (median(total) * 1e6) / rows,
    medianIterationCpuMs: median(totalCpu),
    cpuNsPerRow: (median(totalCpu) * 1e6) / rows,
    medianEStepMs: median(e),
    medianMStepMs: { initial: median(m[0]), transition: median(m[1]), emission: median(m[2]) },
    timesMs: total,
    cpuTimesMs: totalCpu,
    logLik: ll,
  };
}

const def = measure(a.emission);
console.log(JSON.stringify(def));
const icpt = measure('~ 1');
console.log(JSON.stringify(icpt));
console.log(JSON.stringify({ benchmark: 'iteration-cost-ratio', emission: a.emission, ratio: def.medianIterationMs / icpt.medianIterationMs, cpuRatio: def.medianIterationCpuMs / icpt.medianIterationCpuMs, target: 2, load: (await import('node:os')).loadavg()[0] }));
