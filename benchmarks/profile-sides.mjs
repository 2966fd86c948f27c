#!/usr/bin/env node
// Cost of each side of the profile-likelihood intervals of a saved fit, in this thread: constrained
// maxima (points of the root search, the cold re-check included), E-steps, wall time, the bound.
// Usage: node benchmarks/profile-sides.mjs --fit out/fit.json [--panel data/example-panel.csv]
// Output: one JSON object per side, then one with the totals. Requires a build (npm run build).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { readPanel } from '../dist/src/data/readPanel.js';
import { parseFit } from '../dist/src/report/fitFile.js';
import { engineAt } from '../dist/src/estimation/fit.js';
import { getFlat } from '../dist/src/estimation/quasiNewton.js';
import { conditionalStart, profileSide } from '../dist/src/estimation/inference/profileLikelihood.js';

const { values: a } = parseArgs({ options: { fit: { type: 'string' }, panel: { type: 'string', default: 'data/example-panel.csv' } } });
const saved = parseFit(readFileSync(a.fit, 'utf8'), a.fit);
const { panel } = await readPanel(a.panel);
const { parts, names, eStep } = engineAt(panel, saved.spec, saved.parameters);
const n = names.length;
const theta = new Float64Array(n);
getFlat(parts, theta);
const llMax = eStep.run(parts);
const cov = saved.covariance.matrix;
const flat = Float64Array.from(cov.flat ? cov.flat() : cov);
let eSteps = 0;
const run = eStep.run.bind(eStep);
eStep.run = (...args) => {
  eSteps++;
  return run(...args);
};
const total = { sides: 0, maxima: 0, eSteps: 0, ms: 0 };
for (const [name, [low, high]] of Object.entries(saved.covariance.profile?.intervals ?? {})) {
  const j = names.indexOf(name);
  const half = flat[j * n + j] > 0 ? 1.959963984540054 * Math.sqrt(flat[j * n + j]) : NaN;
  for (const [dir, before] of [[-1, low], [1, high]]) {
    if (before === null) continue; // unbounded sides found by the screen are not searched
    let maxima = 0;
    eSteps = 0;
    const t0 = performance.now();
    const per = [];
    let last = 0;
    const bound = profileSide(parts, eStep, theta, llMax, j, dir, half, conditionalStart(flat, n, j), {}, (v, fall) => {
      maxima++;
      per.push([+v.toFixed(4), +fall.toFixed(3), eSteps - last]);
      last = eSteps;
    });
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ name, side: dir < 0 ? 'low' : 'high', maxima, eSteps, ms: Math.round(ms), points: per, bound, saved: before }));
    Object.assign(total, { sides: total.sides + 1, maxima: total.maxima + maxima, eSteps: total.eSteps + eSteps, ms: total.ms + Math.round(ms) });
  }
}
console.log(JSON.stringify({ total }));
