#!/usr/bin/env node
// E-step (forward-backward with counts, shards fixed by the panel) and one EM iteration with 1
// and with N threads on the same simulated panel, measured alternately; wall-clock medians and
// their same-run ratios. The log-likelihoods of the two must be the same bits. Also, per EM
// iteration with N threads: the time this thread spends outside the pool's commands (serial
// work: the quasi-Newton/Newton algebra, hand-offs, reductions left in one thread) and the
// speed-up that serial share allows (Amdahl: T1 / (serial + (T1 - serial) / N)); and the process
// CPU time per iteration (all threads), which other work on the machine inflates less than wall.
// Usage: node benchmarks/threads.mjs [--customers 20000] [--periods 100] [--threads 2] [--repeats 9]
//        [--emission '~ stock(intervention, 0.8)']
// Output: one JSON object on stdout; the two speed-ups and their targets in one line on stderr.
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { loadavg, availableParallelism } from 'node:os';
import { simulatedPanel } from './lib/simulatedPanel.mjs';
import { buildModelDesigns, M_STEP_DEFAULTS, FIT_DEFAULTS } from '../dist/src/estimation/fit.js';
import { createModel, complaintIndex } from '../dist/src/model/hmmModel.js';
import { EStep } from '../dist/src/estimation/eStep.js';
import { EStepPool } from '../dist/src/parallel/eStepPool.js';
import { complaintRateBins, dataResponsibilities, startFromResponsibilities } from '../dist/src/estimation/starts.js';

const { values: a } = parseArgs({
  options: {
    customers: { type: 'string', default: '20000' },
    periods: { type: 'string', default: '100' },
    threads: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '9' },
    emission: { type: 'string', default: '~ stock(intervention, 0.8)' },
  },
});
const panel = simulatedPanel(+a.customers, +a.periods, 1);
const spec = {
  nStates: 3,
  voiceLabels: panel.voiceLabels,
  referenceVoice: 'neutral',
  formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: a.emission },
  transitionType: 'multinomial',
  sharedSlopes: false,
};
const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
const mStep = { ridge: FIT_DEFAULTS.ridge, ...M_STEP_DEFAULTS };
const now = () => Number(process.hrtime.bigint()) / 1e6;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};
// time inside the pool's commands (every thread at work), added up per side
let inPool = 0;
const start = EStepPool.prototype.start;
EStepPool.prototype.start = function (...args) {
  const t = now();
  try {
    return start.apply(this, args);
  } finally {
    inPool += now() - t;
  }
};
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const N = +a.threads;
const sides = [1, N].map((threads) => {
  const m = model.clone();
  const eStep = new EStep(m.parts, 3, panel.voiceLabels.length, panel.offsets, panel.voice, { threads });
  const bins = complaintRateBins(panel.offsets, panel.voice, 3, complaintIndex(spec.voiceLabels));
  startFromResponsibilities(m.parts, eStep, dataResponsibilities(bins, 3), { ...mStep, maxNewtonIter: 3 });
  return { threads: eStep.threads, m, eStep, estep: [], iteration: [], iterationCpu: [], serial: [], ll: [] };
});
for (let i = 0; i < +a.repeats + 2; i++) {
  for (const s of sides) {
    // one EM iteration (M-step + E-step), then the E-step alone at the same parameters
    const c0 = cpu();
    const p0 = inPool;
    const t0 = now();
    for (const part of s.m.parts) part.mStep(s.eStep.stats, mStep);
    s.ll.push(s.eStep.run(s.m.parts));
    const t1 = now();
    const c1 = cpu();
    const p1 = inPool;
    s.eStep.run(s.m.parts);
    const t2 = now();
    if (i < 2) continue;
    s.iteration.push(t1 - t0);
    s.iterationCpu.push(c1 - c0);
    s.serial.push(t1 - t0 - (p1 - p0));
    s.estep.push(t2 - t1);
  }
}
for (const s of sides) s.eStep.close();
const same = sides[0].ll.every((x, i) => x === sides[1].ll[i]);
if (!same) throw new Error('1 and N threads gave different log-likelihoods');
const rows = panel.voice.length;
const [one, many] = sides;
const T1 = median(one.iteration);
const serial = median(many.serial);
const result = {
    benchmark: 'threads',
    rows,
    shards: one.eStep.seq.length - 1,
    emission: a.emission,
    threads: many.threads,
    cores: availableParallelism(),
    load: loadavg(),
    repeats: one.estep.length,
    eStepMs: { one: median(one.estep), many: median(many.estep) },
    eStepSpeedup: median(one.estep) / median(many.estep),
    iterationMs: { one: median(one.iteration), many: median(many.iteration) },
    iterationSpeedup: median(one.iteration) / median(many.iteration),
    iterationCpuMs: { one: median(one.iterationCpu), many: median(many.iterationCpu) },
    serialMsPerIteration: serial,
    amdahlIterationSpeedup: T1 / (serial + (T1 - serial) / many.threads),
    targets: { eStepSpeedup: 1.8, iterationSpeedup: 1.6 },
    sameLogLik: same,
    raw: { eStepOne: one.estep, eStepMany: many.estep, iterationOne: one.iteration, iterationMany: many.iteration, serialMany: many.serial },
};
console.log(JSON.stringify(result));
const f = (x) => x.toFixed(2);
process.stderr.write(
  `threads ${many.threads} vs 1 on ${rows} rows (load ${f(result.load[0])} on ${result.cores} cores): ` +
    `E-step speed-up ${f(result.eStepSpeedup)} (target 1.8), EM iteration speed-up ${f(result.iterationSpeedup)} (target 1.6); ` +
    `serial ${f(serial)} ms of ${f(median(many.iteration))} ms per iteration (at most ${f(result.amdahlIterationSpeedup)}x); ` +
    `CPU per iteration (all threads) ${f(result.iterationCpuMs.one)} ms on 1 thread, ${f(result.iterationCpuMs.many)} ms on ${many.threads}\n`,
);
