#!/usr/bin/env node
// One E-step (probabilities, forward-backward with counts, one thread) of the same model on the
// same simulated panel with two builds of squeaky, run alternately in one process: CPU time
// medians and the log-likelihoods (which must be the same bits).
// Usage: node benchmarks/estep-builds.mjs --before DIR --after DIR [--customers 20000] [--periods 100]
//        [--emission '~ stock(intervention, 0.8)'] [--repeats 10]
// DIR: a checkout with its dist/ built. Output: one JSON line per build, then one with the ratio.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simulatedPanel } from './lib/simulatedPanel.mjs';

const { values: a } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string', default: '.' },
    customers: { type: 'string', default: '20000' },
    periods: { type: 'string', default: '100' },
    emission: { type: 'string', default: '~ stock(intervention, 0.8)' },
    repeats: { type: 'string', default: '10' },
  },
});
if (a.before === undefined) throw new Error('--before DIR is required');
const panel = simulatedPanel(+a.customers, +a.periods, 1);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};
const sides = [];
for (const [name, dir] of [['before', a.before], ['after', a.after]]) {
  const mod = (p) => import(pathToFileURL(resolve(dir, 'dist/src', p)).href);
  const { buildModelDesigns } = await mod('estimation/fit.js');
  const { createModel } = await mod('model/hmmModel.js');
  const { EStep } = await mod('estimation/eStep.js');
  const spec = { nStates: 3, voiceLabels: panel.voiceLabels, referenceVoice: 'neutral', formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: a.emission }, transitionType: 'multinomial', sharedSlopes: false };
  const m = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  m.setParameters(m.getParameters().values.map((_, i) => 0.1 * Math.sin(i + 1)));
  sides.push({ name, dir, m, e: new EStep(m.parts, 3, panel.voiceLabels.length, panel.offsets, panel.voice, {}), t: [], ll: NaN });
}
for (let i = 0; i < 2 + +a.repeats; i++) {
  for (const s of sides) {
    const c = cpu();
    s.ll = s.e.run(s.m.parts);
    if (i >= 2) s.t.push(cpu() - c);
  }
}
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const rows = panel.voice.length;
for (const s of sides) console.log(JSON.stringify({ benchmark: 'estep-builds', build: s.name, dir: s.dir, emission: a.emission, rows, shards: s.e.seq.length - 1, medianCpuMs: median(s.t), cpuNsPerRow: (median(s.t) * 1e6) / rows, logLik: s.ll, cpuMs: s.t }));
if (sides[0].ll !== sides[1].ll) throw new Error('the two builds gave different log-likelihoods');
console.log(JSON.stringify({ benchmark: 'estep-builds-ratio', emission: a.emission, beforeOverAfter: median(sides[0].t) / median(sides[1].t), sameLogLik: true, load: (await import('node:os')).loadavg() }));
