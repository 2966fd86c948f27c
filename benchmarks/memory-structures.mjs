#!/usr/bin/env node
// What each structure of a fit costs per panel row: reads a panel CSV the way `squeaky fit` does
// (or simulates one), builds the default model's designs, the model and the E-step, runs one EM
// iteration, then lists every typed array reachable from the panel, the model and the E-step (by
// path, each buffer counted once) with its bytes and bytes per row, and the process's RSS after
// each phase (and the peak RSS of the process, VmHWM, at the end).
// Usage: node benchmarks/memory-structures.mjs [--panel file.csv | --customers 20000 --periods 100]
//        [--threads 1] [--states 3] [--emission '~ stock(intervention, 0.8)'] [--transition '~ lag(intervention)']
// Output: one JSON line per phase ({phase, rssBytes, rssBytesPerRow}), one per structure
// ({structure, bytes, bytesPerRow}), then a total. Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { readPanel } from '../dist/src/data/readPanel.js';
import { simulatedPanel } from './lib/simulatedPanel.mjs';
import { M_STEP_DEFAULTS, FIT_DEFAULTS } from '../dist/src/estimation/fit.js';
import { createModelFromPatterns, compressModelDesign, complaintIndex } from '../dist/src/model/hmmModel.js';
import { buildDesign } from '../dist/src/data/formula.js';
import { EStep } from '../dist/src/estimation/eStep.js';
import { complaintRateBins, dataResponsibilities, startFromResponsibilities } from '../dist/src/estimation/starts.js';

const { values: a } = parseArgs({
  options: {
    panel: { type: 'string' },
    customers: { type: 'string', default: '20000' },
    periods: { type: 'string', default: '100' },
    threads: { type: 'string', default: '1' },
    states: { type: 'string', default: '3' },
    emission: { type: 'string', default: '~ stock(intervention, 0.8)' },
    transition: { type: 'string', default: '~ lag(intervention)' },
  },
});
const K = +a.states;
let rows = 0;
const phase = (name) => {
  globalThis.gc?.();
  const rss = process.memoryUsage().rss;
  console.log(JSON.stringify({ benchmark: 'memory-structures', phase: name, rssBytes: rss, rssBytesPerRow: rows ? rss / rows : null }));
};
phase('start');
const panel = a.panel ? (await readPanel(a.panel)).panel : simulatedPanel(+a.customers, +a.periods, 1);
rows = panel.voice.length;
phase('panel read');
const spec = {
  nStates: K,
  voiceLabels: panel.voiceLabels,
  referenceVoice: panel.voiceLabels.includes('silent') ? 'silent' : 'neutral',
  formulas: { initial: '~ 1', transition: a.transition, emission: a.emission },
  transitionType: 'multinomial',
  sharedSlopes: false,
};
// as fit builds them: each design compressed to its patterns before the next is built
const patterns = {};
for (const b of ['initial', 'transition', 'emission']) patterns[b] = compressModelDesign(b, buildDesign(panel, spec.formulas[b]), panel.offsets);
const model = createModelFromPatterns(spec, patterns, panel.offsets);
phase('designs and model');
const eStep = new EStep(model.parts, K, panel.voiceLabels.length, panel.offsets, panel.voice, { threads: +a.threads });
phase('E-step tables');
const mStep = { ridge: FIT_DEFAULTS.ridge, ...M_STEP_DEFAULTS };
startFromResponsibilities(model.parts, eStep, dataResponsibilities(complaintRateBins(panel.offsets, panel.voice, K, complaintIndex(spec.voiceLabels)), K), { ...mStep, maxNewtonIter: 3 });
for (const part of model.parts) part.mStep(eStep.stats, mStep);
eStep.run(model.parts);
phase('one EM iteration');

// every typed array reachable from the roots, by the first path that reaches it; buffers counted once
const seen = new Set();
const found = [];
const visited = new Set();
function walk(x, path, depth) {
  if (x === null || typeof x !== 'object' || visited.has(x) || depth > 6) return;
  visited.add(x);
  if (ArrayBuffer.isView(x)) {
    if (seen.has(x.buffer)) return;
    seen.add(x.buffer);
    found.push({ structure: path, bytes: x.buffer.byteLength, shared: x.buffer instanceof SharedArrayBuffer });
    return;
  }
  if (x instanceof Map || x instanceof Set) return;
  const keys = Array.isArray(x) ? x.keys() : Object.keys(x);
  for (const k of keys) walk(x[k], `${path}.${k}`, depth + 1);
}
walk(panel, 'panel', 0);
model.parts.forEach((p, i) => walk(p, `model.${p.block}`, 0));
walk(eStep, 'eStep', 0);
found.sort((x, y) => y.bytes - x.bytes);
let total = 0;
for (const f of found) {
  total += f.bytes;
  if (f.bytes >= rows / 100) console.log(JSON.stringify({ benchmark: 'memory-structures', ...f, bytesPerRow: f.bytes / rows }));
}
const strings = panel.customers.reduce((s, c) => s + 16 + 2 * c.length, 0);
console.log(JSON.stringify({ benchmark: 'memory-structures', structure: 'panel.customers (strings, estimated)', bytes: strings, bytesPerRow: strings / rows }));
console.log(JSON.stringify({ benchmark: 'memory-structures', total: total + strings, totalBytesPerRow: (total + strings) / rows, rows, emissionPatterns: model.parts[2].design.nPatterns, emissionLayout: eStep.emissionLayout, shards: eStep.seq.length - 1, threads: eStep.threads }));
eStep.close();
const hwm = (await import('node:fs')).readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+) kB/);
if (hwm) console.log(JSON.stringify({ benchmark: 'memory-structures', phase: 'peak (VmHWM)', rssBytes: +hwm[1] * 1024, rssBytesPerRow: (+hwm[1] * 1024) / rows }));
