#!/usr/bin/env node
// One E-step (zero the count tables + scaled forward-backward) in ns per panel row.
// Usage: node benchmarks/estep.mjs [--states 3] [--voice 3] [--customers 20000] [--periods 100]
//        [--covariate binary|continuous|scattered|none] [--emission-covariate binary|continuous|scattered|none] [--repeats 15] [--seed 1]
// A binary covariate gives 2 design patterns; a continuous one gives one pattern per row (no sharing);
// 'scattered' gives nRows/3 patterns visited in random order.
// Output: one JSON object on stdout. Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { createFbWork, forwardBackward } from '../dist/src/kernels/forwardBackward.js';
import { checkHmmInputs } from '../dist/src/kernels/hmmInputs.js';
import { Rng } from '../dist/src/estimation/rng.js';
import { stochastic as stochasticTable } from './lib/stochastic.mjs';

const { values: a } = parseArgs({
  options: {
    states: { type: 'string', default: '3' },
    voice: { type: 'string', default: '3' },
    customers: { type: 'string', default: '20000' },
    periods: { type: 'string', default: '100' },
    covariate: { type: 'string', default: 'binary' },
    'emission-covariate': { type: 'string', default: 'none' },
    repeats: { type: 'string', default: '15' },
    seed: { type: 'string', default: '1' },
  },
});
const K = +a.states;
const V = +a.voice;
const nSeq = +a.customers;
const T = +a.periods;
const nRows = nSeq * T;
const rng = new Rng(+a.seed);

const stochastic = (nR, n) => stochasticTable(rng, nR, n);
function patterns(kind) {
  const index = new Int32Array(nRows);
  if (kind === 'none') return { n: 1, index };
  if (kind === 'binary') {
    for (let r = 0; r < nRows; r++) index[r] = rng.uniform() < 0.2 ? 1 : 0;
    return { n: 2, index };
  }
  if (kind === 'scattered') {
    // a third as many patterns as rows, in random order (like a stock covariate numbered by first appearance)
    const n = Math.max(1, Math.floor(nRows / 3));
    for (let r = 0; r < nRows; r++) index[r] = rng.int(n);
    return { n, index };
  }
  if (kind === 'continuous') {
    for (let r = 0; r < nRows; r++) index[r] = r;
    return { n: nRows, index };
  }
  throw new Error(`unknown covariate kind ${kind}`);
}
const offsets = new Int32Array(nSeq + 1);
for (let s = 0; s < nSeq; s++) offsets[s + 1] = offsets[s] + T;
const voice = new Int32Array(nRows);
for (let r = 0; r < nRows; r++) voice[r] = rng.int(V);
const tr = patterns(a.covariate);
const em = patterns(a['emission-covariate']);
const inp = {
  nStates: K,
  nVoice: V,
  offsets,
  voice,
  initIndex: new Int32Array(nSeq),
  initProb: stochastic(1, K),
  transIndex: tr.index,
  transProb: stochastic(tr.n * K, K),
  emisIndex: em.index,
  emisProb: stochastic(em.n * K, V),
};
const work = createFbWork(K, checkHmmInputs(inp));
const counts = {
  init: new Float64Array(inp.initProb.length),
  trans: new Float64Array(inp.transProb.length),
  emis: new Float64Array(inp.emisProb.length),
};
const times = [];
let ll = 0;
const repeats = +a.repeats;
for (let i = 0; i < repeats + 3; i++) {
  const t0 = process.hrtime.bigint();
  counts.init.fill(0);
  counts.trans.fill(0);
  counts.emis.fill(0);
  ll = forwardBackward(inp, work, counts);
  const dt = Number(process.hrtime.bigint() - t0);
  if (i >= 3) times.push(dt); // first runs warm the JIT
}
times.sort((x, y) => x - y);
const median = times[Math.floor(times.length / 2)];
console.log(
  JSON.stringify({
    benchmark: 'estep',
    states: K,
    voice: V,
    customers: nSeq,
    periods: T,
    rows: nRows,
    transitionCovariate: a.covariate,
    emissionCovariate: a['emission-covariate'],
    transitionPatterns: tr.n,
    emissionPatterns: em.n,
    repeats,
    medianMs: median / 1e6,
    minMs: times[0] / 1e6,
    nsPerRow: median / nRows,
    minNsPerRow: times[0] / nRows,
    logLik: ll,
    node: process.version,
  }),
);
