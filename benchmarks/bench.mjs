#!/usr/bin/env node
// The benchmark suite for CI benchmark trackers (`npm run bench`): the forward-backward kernel, the
// M-step pass and the cost of an EM iteration, each against a reference measured in the same run,
// plus (without --short) the full fit of the shipped example and the E-step in ns/row.
// Usage: node benchmarks/bench.mjs [--short] [--check] [--out DIR] [--repeats N]
//   --short   small sizes (under a minute on a loaded 2-core machine), as .ci/run uses it
//   --check   exit 1 when a same-run ratio falls below its floor (see FLOORS): ratios, not times,
//             so a slow or busy machine does not fail the check
//   --out DIR where to write benchmark.json ([{name, unit, value}], the shape CI benchmark
//             trackers read, e.g. github-action-benchmark's customSmallerIsBetter /
//             customBiggerIsBetter) and raw.json (every figure); default bench-results/
// Times are this process's CPU time (user + system) per repeat, measured alternately for the two
// sides of a ratio, medians quoted. Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createFbWork, forwardBackward } from '../dist/src/kernels/forwardBackward.js';
import { checkHmmInputs } from '../dist/src/kernels/hmmInputs.js';
import { logitPass } from '../dist/src/model/logitPass.js';
import { compileLogitPass } from '../dist/src/model/compileLogitPass.js';
import { Rng } from '../dist/src/estimation/rng.js';
import { createReferenceWork, referenceForwardBackward } from './lib/referenceKernel.mjs';
import { stochastic as stochasticTable } from './lib/stochastic.mjs';

const { values: a } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results' },
    repeats: { type: 'string' },
  },
});
const short = a.short;
const repeats = +(a.repeats ?? (short ? 7 : 15));
/** Lowest acceptable same-run ratios (measured values are in benchmarks/RESULTS.md). */
export const FLOORS = {
  'kernel speed-up over the reference kernel': 1.5,
  'compiled M-step pass speed-up over the generic pass': 1.3,
};
/**
 * Checked only when the machine has 2 or more cores and its load average (at the start) leaves a
 * core free: a thread speed-up cannot show on a machine whose cores are all busy.
 */
export const THREAD_FLOORS = { 'E-step speed-up, 2 threads over 1': 1.2 };
const quiet = availableParallelism() >= 2 && loadavg()[0] <= availableParallelism() - 1;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
/** Median CPU ms of each function, run alternately (warm-up runs dropped). */
function alternate(fns) {
  const times = fns.map(() => []);
  for (let i = 0; i < repeats + 2; i++) {
    fns.forEach((f, k) => {
      const t0 = cpuMs();
      f();
      if (i >= 2) times[k].push(cpuMs() - t0);
    });
  }
  return times;
}
const results = [];
const raw = [];
const put = (name, unit, value, extra) => results.push({ name, unit, value, ...(extra ? { extra } : {}) });

// ---- forward-backward: compiled kernel vs the reference kernel, K = 3, 3 voices
{
  const rng = new Rng(1);
  const K = 3;
  const V = 3;
  const nSeq = short ? 3000 : 20000;
  const T = 100;
  const nRows = nSeq * T;
  const stochastic = (nR, n) => stochasticTable(rng, nR, n);
  const offsets = new Int32Array(nSeq + 1);
  for (let s = 0; s < nSeq; s++) offsets[s + 1] = offsets[s] + T;
  const voice = new Int32Array(nRows);
  const transIndex = new Int32Array(nRows);
  for (let r = 0; r < nRows; r++) {
    voice[r] = rng.uniform() < 0.05 ? -1 : rng.int(V);
    transIndex[r] = rng.uniform() < 0.2 ? 1 : 0;
  }
  const inp = {
    nStates: K, nVoice: V, offsets, voice,
    initIndex: new Int32Array(nSeq), initProb: stochastic(1, K),
    transIndex, transProb: stochastic(2 * K, K),
    emisIndex: new Int32Array(nRows), emisProb: stochastic(K, V),
  };
  const work = createFbWork(K, checkHmmInputs(inp));
  const refWork = createReferenceWork(K, T);
  const mk = () => ({ init: new Float64Array(inp.initProb.length), trans: new Float64Array(inp.transProb.length), emis: new Float64Array(inp.emisProb.length) });
  let c1, c2, ll1, ll2;
  const [tc, tr] = alternate([
    () => { c1 = mk(); ll1 = forwardBackward(inp, work, c1); },
    () => { c2 = mk(); ll2 = referenceForwardBackward(inp, refWork, c2); },
  ]);
  // the two kernels must agree before their times mean anything
  const rel = Math.abs(ll1 - ll2) / Math.abs(ll2);
  let maxCount = 0;
  for (const b of ['init', 'trans', 'emis']) for (let i = 0; i < c1[b].length; i++) maxCount = Math.max(maxCount, Math.abs(c1[b][i] - c2[b][i]) / Math.max(1, Math.abs(c2[b][i])));
  if (!(rel < 1e-12 && maxCount < 1e-9)) throw new Error(`compiled and reference kernels disagree: log-likelihood ${ll1} vs ${ll2}, counts ${maxCount}`);
  const compiledNs = (median(tc) * 1e6) / nRows;
  const referenceNs = (median(tr) * 1e6) / nRows;
  put('forward-backward K=3 (compiled kernel)', 'ns/row', compiledNs);
  put('forward-backward K=3 (reference kernel)', 'ns/row', referenceNs);
  put('kernel speed-up over the reference kernel', 'x', referenceNs / compiledNs);
  raw.push({ benchmark: 'kernel', rows: nRows, states: K, voice: V, repeats, compiledCpuMs: tc, referenceCpuMs: tr, logLikCompiled: ll1, logLikReference: ll2 });
}

// ---- M-step pass (objective, gradient, Hessian) of the emission logit: compiled vs generic logitPass
{
  const rng = new Rng(2);
  const nP = short ? 60000 : 400000;
  const G = 3;
  const V = 4;
  const J = 2;
  const ref = 2;
  const patterns = new Float64Array(nP * J);
  for (let p = 0; p < nP; p++) {
    patterns[p * J] = 1;
    patterns[p * J + 1] = rng.uniform() * 3;
  }
  const coef = new Float64Array(G * V * J);
  for (let g = 0; g < G; g++) for (let c = 0; c < V; c++) if (c !== ref) for (let j = 0; j < J; j++) coef[(g * V + c) * J + j] = rng.normal();
  const counts = new Float64Array(nP * G * V);
  for (let p = 0; p < nP; p++) {
    const c = rng.int(V);
    for (let g = 0; g < G; g++) counts[(p * G + g) * V + c] = rng.uniform();
  }
  const nFree = V - 1;
  const free = new Int32Array(G * nFree);
  const fixed = new Uint8Array(G * V);
  for (let g = 0; g < G; g++) {
    fixed[g * V + ref] = 1;
    for (let k = 0, c = 0; c < V; c++) if (c !== ref) free[g * nFree + k++] = c;
  }
  const gc = new Float64Array(G * nFree * J);
  const hm = new Float64Array(G * 6 * 3);
  const scratch = new Float64Array(3 * V + 3 + 6);
  const pass = compileLogitPass({ nGroups: G, nOut: V, nCols: J, free, nFree, fixed, layout: 'patterns', grad: true, hess: true, probs: 'exp' });
  let q1, q2;
  const [tc, tg] = alternate([
    () => { q1 = pass(nP, patterns, coef, counts, null, null, gc, hm, null, null, scratch); },
    () => { q2 = logitPass(nP, G, V, J, nFree, patterns, coef, counts, free, gc, hm, scratch); },
  ]);
  if (q1 !== q2) throw new Error(`compiled and generic M-step passes disagree: ${q1} vs ${q2}`);
  const compiledNs = (median(tc) * 1e6) / nP;
  const genericNs = (median(tg) * 1e6) / nP;
  put('M-step pass, 3 states x 4 voices x 2 columns (compiled)', 'ns/pattern', compiledNs);
  put('M-step pass, 3 states x 4 voices x 2 columns (generic logitPass)', 'ns/pattern', genericNs);
  put('compiled M-step pass speed-up over the generic pass', 'x', genericNs / compiledNs);
  raw.push({ benchmark: 'mstep-pass', patterns: nP, repeats, compiledCpuMs: tc, genericCpuMs: tg });
}

// ---- one EM iteration of the default model vs an intercept-only emission model (child process)
{
  const args = ['benchmarks/iteration-cost.mjs', '--customers', short ? '3000' : '20000', '--iterations', short ? '4' : '10'];
  const lines = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').map((l) => JSON.parse(l));
  const [def, icpt, ratio] = lines;
  put('EM iteration, default model', 'ns/row', def.cpuNsPerRow, `${def.rows} rows, ${def.emissionPatterns} emission patterns`);
  put('EM iteration, intercept-only emission', 'ns/row', icpt.cpuNsPerRow);
  put('EM iteration cost ratio, default / intercept-only emission', 'x', ratio.cpuRatio);
  raw.push(...lines);
}

// ---- threads: E-step and EM iteration with 2 threads against 1 (child process; wall clock)
{
  const t = JSON.parse(execFileSync(process.execPath, ['benchmarks/threads.mjs', '--customers', short ? '4000' : '20000', '--repeats', short ? '5' : '9'], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim());
  put('E-step speed-up, 2 threads over 1', 'x', t.eStepSpeedup, `${t.rows} rows, ${t.shards} shards, load ${t.load[0]}`);
  put('EM iteration speed-up, 2 threads over 1', 'x', t.iterationSpeedup);
  raw.push(t);
}

if (!short) {
  const fitLine = JSON.parse(execFileSync(process.execPath, ['benchmarks/fit-example.mjs', '--repeats', '3'], { encoding: 'utf8' }).trim());
  put('full fit of the example panel', 'ms', fitLine.medianMs, `log-likelihood ${fitLine.logLik}`);
  raw.push(fitLine);
  const e = JSON.parse(execFileSync(process.execPath, ['benchmarks/estep.mjs', '--states', '3'], { encoding: 'utf8' }).trim());
  put('E-step K=3 (benchmarks/estep.mjs)', 'ns/row', e.nsPerRow);
  raw.push(e);
}

mkdirSync(a.out, { recursive: true });
writeFileSync(join(a.out, 'benchmark.json'), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(a.out, 'raw.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, load: loadavg(), short, repeats, raw }, null, 2) + '\n');
for (const r of results) console.log(JSON.stringify(r));
if (a.check) {
  const failed = [];
  const floors = { ...FLOORS, ...(quiet ? THREAD_FLOORS : {}) };
  if (!quiet) console.error(`benchmark check: thread speed-ups not checked (load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`);
  for (const [name, floor] of Object.entries(floors)) {
    const r = results.find((x) => x.name === name);
    if (!r || !(r.value >= floor)) failed.push(`${name}: ${r ? r.value.toFixed(2) : 'missing'} < ${floor}`);
  }
  if (failed.length) {
    console.error(`benchmark check failed (same-run ratios below their floors):\n  ${failed.join('\n  ')}`);
    process.exit(1);
  }
  console.error(`benchmark check passed: ${Object.keys(floors).length} same-run ratios at or above their floors`);
}
