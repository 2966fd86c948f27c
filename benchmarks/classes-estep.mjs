#!/usr/bin/env node
// E-step cost with C latent classes against one class, same run, on the example panel (or any
// panel): the one-class E-step (EStep.run: probability tables + forward-backward) and the mixture
// E-step with C classes, every block class-specific (MixtureEStep.run: C classes' tables + the
// mixture kernel), at random parameters, interleaved repetition by repetition.
// Usage: node benchmarks/classes-estep.mjs [--panel data/example-panel.csv] [--classes 2]
//        [--states 3] [--repeats 15] [--inner 5]
// Output: one JSON object per repetition (ms per E-step of each), then a summary object with the
// medians and their ratio. Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { readPanel } from '../dist/src/data/readPanel.js';
import { buildModelDesigns } from '../dist/src/estimation/fit.js';
import { buildMixtureDesigns } from '../dist/src/estimation/fitMixture.js';
import { EStep } from '../dist/src/estimation/eStep.js';
import { MixtureEStep } from '../dist/src/estimation/mixtureEStep.js';
import { createModel } from '../dist/src/model/hmmModel.js';
import { createMixtureModel } from '../dist/src/model/mixtureModel.js';
import { Rng } from '../dist/src/estimation/rng.js';
import { DEFAULT_FORMULAS } from '../dist/src/estimation/spec.js';

const { values: a } = parseArgs({
  options: {
    panel: { type: 'string', default: 'data/example-panel.csv' },
    classes: { type: 'string', default: '2' },
    states: { type: 'string', default: '3' },
    repeats: { type: 'string', default: '15' },
    inner: { type: 'string', default: '5' },
  },
});
const { panel } = await readPanel(a.panel);
const spec = { nStates: +a.states, voiceLabels: panel.voiceLabels, referenceVoice: panel.voiceLabels.includes('silent') ? 'silent' : 'neutral', formulas: { ...DEFAULT_FORMULAS }, transitionType: 'multinomial', sharedSlopes: false };
const mixSpec = { ...spec, classes: { count: +a.classes, formula: '~ 1', specific: ['initial', 'transition', 'emission'] } };
const rng = new Rng(1);
const one = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
one.setParameters(Float64Array.from({ length: one.nParams }, () => 0.5 * rng.normal()));
const mix = createMixtureModel(mixSpec, buildMixtureDesigns(panel, mixSpec), panel.offsets);
mix.setParameters(Float64Array.from({ length: mix.nParams }, () => 0.5 * rng.normal()));
const e1 = new EStep(one.parts, one.nStates, one.nVoice, panel.offsets, panel.voice);
const eC = new MixtureEStep(mix, panel.offsets, panel.voice);
const inner = +a.inner;
// parameters move by a tiny step before every E-step (as in EM), so neither E-step reuses a kept probability table
const theta1 = one.getParameters().values;
const thetaC = mix.getParameters().values;
let tick = 0;
const nudge = (m, theta) => {
  theta[0] += ++tick % 2 ? 1e-9 : -1e-9;
  m.setParameters(theta);
};
const time = (f) => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < inner; i++) f();
  return Number(process.hrtime.bigint() - t0) / 1e6 / inner;
};
for (let w = 0; w < 3; w++) {
  e1.run(one.parts);
  eC.run(mix.parts);
}
const r1 = [];
const rC = [];
for (let r = 0; r < +a.repeats; r++) {
  const m1 = time(() => {
    nudge(one, theta1);
    e1.run(one.parts);
  });
  const mC = time(() => {
    nudge(mix, thetaC);
    eC.run(mix.parts);
  });
  r1.push(m1);
  rC.push(mC);
  console.log(JSON.stringify({ repeat: r, msOneClass: m1, msClasses: mC, ratio: mC / m1 }));
}
const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const ratios = r1.map((x, i) => rC[i] / x);
console.log(
  JSON.stringify({
    summary: 'classes-estep',
    panel: a.panel,
    rows: panel.voice.length,
    customers: panel.offsets.length - 1,
    states: +a.states,
    classes: +a.classes,
    medianMsOneClass: med(r1),
    medianMsClasses: med(rC),
    ratioOfMedians: med(rC) / med(r1),
    medianRatio: med(ratios),
    limit: 1.1 * +a.classes,
  }),
);
