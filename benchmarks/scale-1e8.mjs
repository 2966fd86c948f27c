#!/usr/bin/env node
// The large end-to-end run: a panel of --customers x --periods rows (default 1,000,000 x 100 =
// 10^8) simulated from data/example-truth.json, then `squeaky fit` of the default model with
// default options on it, measured as a user runs it.
//
// Usage: node benchmarks/scale-1e8.mjs [--customers 1000000] [--periods 100] [--seed 1]
//        [--dir bench-scale] [--threads N (default: fit's default, the machine's cores)]
//        [--generate-only]
// Resumable: the panel is written to DIR/panel-CxT-sS.csv (through a temporary file, then
// renamed), and an existing complete file is reused, so a run killed during the fit restarts at the
// fit. The panel is simulated in blocks of 10,000 customers, block b with seed S + b (customer ids
// c0000001...), so the file depends only on C, T and S.
// Progress on stderr: the generation every few seconds, then the fit's own progress lines (it
// runs with --progress), each prefixed with the benchmark's elapsed time.
// Output (stdout): one JSON line with the rows, wall and CPU time, peak RSS (bytes and bytes per
// row, from /usr/bin/time), EM iterations, log-likelihood and the wall time of each phase of the
// fit (read, designs, E-step tables, EM, standard errors, report, write), from the fit's phase
// lines. Requires a build (npx tsc -p tsconfig.json) and /usr/bin/time.
import { parseArgs } from 'node:util';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { loadavg, availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { loadModelSource } from '../dist/src/report/modelSource.js';
import { simulate } from '../dist/src/estimation/simulate.js';
import { panelCsv } from '../dist/src/data/writePanel.js';

const { values: a } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    periods: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string', default: 'bench-scale' },
    threads: { type: 'string' },
    'generate-only': { type: 'boolean', default: false },
  },
});
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const C = +a.customers;
const T = +a.periods;
const S = +a.seed;
const BLOCK = 10_000;
const t0 = Date.now();
const stamp = () => `[bench ${((Date.now() - t0) / 1000).toFixed(1)} s]`;
const log = (line) => process.stderr.write(`${stamp()} ${line}\n`);
mkdirSync(a.dir, { recursive: true });
const panelFile = join(a.dir, `panel-${C}x${T}-s${S}.csv`);

async function generate() {
  const truth = await loadModelSource(join(root, 'data/example-truth.json'));
  const tmp = `${panelFile}.tmp`;
  const out = createWriteStream(tmp);
  const write = async (s) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const width = String(C).length;
  let last = 0;
  for (let b = 0; b * BLOCK < C; b++) {
    const n = Math.min(BLOCK, C - b * BLOCK);
    const { panel } = simulate(truth.spec, truth.parameters, { customers: n, periods: T, policy: { afterComplaint: 0.5, otherwise: 0.02 }, seed: S + b });
    panel.customers = panel.customers.map((_, i) => `c${String(b * BLOCK + i + 1).padStart(width, '0')}`);
    // the project's panel writer; its first chunk is the header row, written once
    let chunk = 0;
    await panelCsv(panel)(async (text) => {
      if (chunk++ > 0 || b === 0) await write(text);
    });
    if (Date.now() - last > 3000) {
      last = Date.now();
      log(`generating ${panelFile}: ${b * BLOCK + n} of ${C} customers`);
    }
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, panelFile);
}

const g0 = Date.now();
if (existsSync(panelFile)) log(`reusing ${panelFile}`);
else await generate();
const generateS = (Date.now() - g0) / 1000;
if (a['generate-only']) {
  console.log(JSON.stringify({ benchmark: 'scale-1e8', panel: panelFile, rows: C * T, generateS }));
  process.exit(0);
}

const outDir = join(a.dir, `fit-${C}x${T}-s${S}`);
const args = ['-f', 'TIME %M %e %U %S', process.execPath, join(root, 'bin/squeaky.js'), 'fit', panelFile, '--progress', '--out', outDir];
if (a.threads !== undefined) args.push('--threads', a.threads);
const loadBefore = loadavg();
const f0 = Date.now();
const child = spawn('/usr/bin/time', args, { stdio: ['ignore', 'ignore', 'pipe'] });
// phases: the fit's "[t s] description" lines, and the first standard-error line (stamped here)
const phases = [];
let timeLine = '';
let pending = '';
let iterations = 0;
child.stderr.setEncoding('utf8');
child.stderr.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split(/\r|\n/);
  pending = lines.pop();
  for (const line of lines) {
    if (line === '') continue;
    if (line.startsWith('TIME ')) {
      timeLine = line;
      continue;
    }
    const at = (Date.now() - f0) / 1000;
    const m = /^\[([0-9.]+) s\] (.*)$/.exec(line);
    if (m) phases.push({ at: +m[1], what: m[2] });
    else if (line.startsWith('standard errors') && !phases.some((p) => p.what === 'standard errors')) phases.push({ at, what: 'standard errors' });
    if (/^start \d+\/\d+ {2}iteration/.test(line)) iterations++;
    log(line);
  }
});
const [code] = await once(child, 'close');
const wallS = (Date.now() - f0) / 1000;
if (code !== 0) {
  log(`squeaky fit exited with code ${code}`);
  process.exit(1);
}
const [, rssKb, , userS, sysS] = timeLine.split(' ');
const phaseOf = (re) => phases.findIndex((p) => re.test(p.what));
// from the phase matching `re` to the first later phase that matches one of `next` (default: the next phase)
const span = (re, ...next) => {
  const i = phaseOf(re);
  if (i < 0) return null;
  const j = next.length === 0 ? i + 1 : phases.findIndex((p, k) => k > i && next.some((n) => n.test(p.what)));
  const end = j >= 0 && j < phases.length ? phases[j].at : wallS;
  return +(end - phases[i].at).toFixed(1);
};
const fitJson = JSON.parse(readFileSync(join(outDir, 'fit.json'), 'utf8'));
const rows = C * T;
console.log(
  JSON.stringify({
    benchmark: 'scale-1e8',
    panel: panelFile,
    rows,
    customers: C,
    periods: T,
    threads: a.threads ?? 'default',
    cores: availableParallelism(),
    loadBefore,
    loadAfter: loadavg(),
    generateS,
    wallS,
    cpuS: +userS + +sysS,
    peakRssBytes: +rssKb * 1024,
    peakRssBytesPerRow: (+rssKb * 1024) / rows,
    iterations: fitJson.iterations,
    iterationLinesPrinted: iterations,
    converged: fitJson.converged,
    logLik: fitJson.logLik,
    phasesS: {
      read: span(/^reading/),
      designs: span(/^building the designs/, /^E-step tables/),
      eStepTables: span(/^E-step tables/),
      em: span(/^EM from/, /^standard errors$/, /^the report/),
      standardErrors: span(/^standard errors$/, /^the report/),
      report: span(/^the report/),
      write: span(/^writing/),
    },
    phases,
  }),
);
