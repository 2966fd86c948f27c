#!/usr/bin/env node
// What one pass of the emission M-step costs, by part: the compiled pass (src/model/compileLogitPass.ts)
// in each of its modes on an emission-shaped problem (3 states, 4 voices, intercept + one
// covariate, grouped units as the E-step leaves them), and the cost of the pass's exp and log
// alone (Math.exp / Math.log over as many arguments as the pass takes).
// Usage: node benchmarks/emission-pass-parts.mjs [--patterns 875000] [--repeats 5] [--seed 1]
// Output: one JSON line per mode (median ms over the repeats), then one for exp and log.
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { compileLogitPass } from '../dist/src/model/compileLogitPass.js';
import { Rng } from '../dist/src/estimation/rng.js';

const { values: a } = parseArgs({ options: { patterns: { type: 'string', default: '875000' }, repeats: { type: 'string', default: '5' }, seed: { type: 'string', default: '1' } } });
const nP = +a.patterns;
const repeats = +a.repeats;
const rng = new Rng(+a.seed);
const G = 3, V = 4, J = 2, F = 3, REF = 2;
const free = new Int32Array(G * F);
const fixed = new Uint8Array(G * V);
for (let g = 0; g < G; g++) {
  fixed[g * V + REF] = 1;
  for (let f = 0, c = 0; c < V; c++) if (c !== REF) free[g * F + f++] = c;
}
const patterns = new Float64Array(nP * J);
for (let p = 0; p < nP; p++) {
  patterns[2 * p] = 1;
  patterns[2 * p + 1] = rng.uniform() * 3;
}
const coef = new Float64Array(G * V * J);
for (let g = 0; g < G; g++) for (let c = 0; c < V; c++) if (c !== REF) for (let j = 0; j < J; j++) coef[(g * V + c) * J + j] = rng.uniform() - 0.5;
// one or two observed voices per pattern (as at 2,000,000 rows: 963,133 units for 875,738 patterns)
const start = new Int32Array(nP + 1);
const oc = [];
for (let p = 0; p < nP; p++) {
  const n = rng.uniform() < 0.1 ? 2 : 1;
  for (let i = 0; i < n; i++) oc.push((p + i) % V);
  start[p + 1] = oc.length;
}
const outcome = Int32Array.from(oc);
const counts = new Float64Array(outcome.length * G);
for (let e = 0; e < counts.length; e++) counts[e] = rng.uniform();
const table = new Float64Array(nP * G * V);
const lse = new Float64Array(nP * G);
const units = new Float64Array(outcome.length * G);
const gc = new Float64Array(G * F * J);
const hm = new Float64Array(G * 6 * 3);
const nb = new Float64Array(V);
const base = { nGroups: G, nOut: V, nCols: J, free, nFree: F, fixed, layout: 'units' };
const modes = [
  ['objective only, probabilities by exp, table written', { grad: false, hess: false, probs: 'out' }, [null, table, null, null]],
  ['same, log-sum-exps kept', { grad: false, hess: false, probs: 'out', keep: true }, [null, table, lse, null]],
  ['same, log-sum-exps kept and unit table filled', { grad: false, hess: false, probs: 'out', keep: true, gather: true }, [null, table, lse, units]],
  ['objective, gradient, Hessian from the table', { grad: true, hess: true, probs: 'in' }, [table, null, null, null]],
  ['same, kept log-sum-exps', { grad: true, hess: true, probs: 'in', keep: true }, [table, null, lse, null]],
  ['objective and gradient, kept log-sum-exps', { grad: true, hess: false, probs: 'in', keep: true }, [table, null, lse, null]],
  ['objective only, kept log-sum-exps', { grad: false, hess: false, probs: 'in', keep: true }, [table, null, lse, null]],
];
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const times = modes.map(() => []);
for (let r = 0; r < repeats; r++) {
  modes.forEach(([, flags, [pin, pout, l, u]], i) => {
    const shape = { ...base, ...flags };
    const f = compileLogitPass(shape);
    const t = performance.now();
    f(nP, patterns, coef, counts, start, outcome, flags.grad ? gc : null, flags.hess ? hm : null, pin, pout, nb, l, u);
    times[i].push(performance.now() - t);
  });
}
modes.forEach(([name, flags], i) => console.log(JSON.stringify({ benchmark: 'emission-pass-parts', patterns: nP, mode: name, ...flags, medianMs: median(times[i]) })));
// the transcendental functions alone: 3 exp and 1 log per pattern and state
const x = new Float64Array(nP * G * 3);
for (let e = 0; e < x.length; e++) x[e] = -4 + 3 * rng.uniform();
const te = [];
const tl = [];
let sink = 0;
for (let r = 0; r < repeats; r++) {
  let t = performance.now();
  for (let e = 0; e < x.length; e++) sink += Math.exp(x[e]);
  te.push(performance.now() - t);
  t = performance.now();
  for (let e = 0; e < nP * G; e++) sink += Math.log(x[e] + 5);
  tl.push(performance.now() - t);
}
console.log(JSON.stringify({ benchmark: 'emission-pass-parts', patterns: nP, exps: x.length, expMs: median(te), logs: nP * G, logMs: median(tl), nsPerExp: (median(te) * 1e6) / x.length, finite: Number.isFinite(sink), load: (await import('node:os')).loadavg()[0] }));
