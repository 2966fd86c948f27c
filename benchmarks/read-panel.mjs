#!/usr/bin/env node
// Read + validate a panel CSV (streaming readPanel): wall time and peak RSS on one process.
// Usage: node benchmarks/read-panel.mjs [--rows 10000000] [--periods 100] [--covariates 2]
//        [--shuffle-customers] [--seed 1] [--keep]
// Writes the panel to /tmp (generation not timed), then reads it in a fresh child process so that
// the peak RSS is the reader's alone. Output: one JSON object on stdout. Requires a build.
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const { values: a } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    periods: { type: 'string', default: '100' },
    covariates: { type: 'string', default: '2' },
    'shuffle-customers': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});

if (a.child !== undefined) {
  const { readPanel } = await import('../dist/src/data/readPanel.js');
  const t0 = process.hrtime.bigint();
  const { panel } = await readPanel(a.child);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rows = panel.offsets[panel.offsets.length - 1];
  process.stdout.write(JSON.stringify({ seconds, rows, customers: panel.customers.length, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const { Rng } = await import('../dist/src/estimation/rng.js');
const rows = +a.rows;
const T = +a.periods;
const nCov = +a.covariates;
const nCust = Math.ceil(rows / T);
const rng = new Rng(+a.seed);
const file = `/tmp/squeaky-bench-panel-${rows}.csv`;
const labels = ['complaint', 'compliment', 'neutral', 'silent'];

const order = Array.from({ length: nCust }, (_, i) => i);
if (a['shuffle-customers']) {
  for (let i = nCust - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
}
const tg = Date.now();
const out = createWriteStream(file);
const covHeader = Array.from({ length: nCov }, (_, j) => `,x${j + 1}`).join('');
out.write(`customer,period,voice,intervention${covHeader}\n`);
let written = 0;
let buf = '';
for (const c of order) {
  const len = Math.min(T, rows - c * T);
  for (let t = 1; t <= len; t++) {
    buf += `${100000 + c},${t},${labels[rng.int(4)]},${rng.uniform() < 0.1 ? 1 : 0}`;
    for (let j = 0; j < nCov; j++) buf += ',' + (j === 0 ? rng.int(20) : (rng.normal() * 3).toFixed(4));
    buf += '\n';
    written++;
  }
  if (buf.length > 1 << 20) {
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  }
}
out.end(buf);
await once(out, 'finish');
const generateSeconds = (Date.now() - tg) / 1000;

const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
if (child.status !== 0) {
  process.stderr.write(child.stderr);
  process.exit(1);
}
const r = JSON.parse(child.stdout);
const bytes = statSync(file).size;
if (!a.keep) rmSync(file);
console.log(
  JSON.stringify({
    benchmark: 'read-panel',
    rows: written,
    customers: nCust,
    covariates: nCov,
    shuffledCustomers: a['shuffle-customers'],
    fileMiB: +(bytes / 2 ** 20).toFixed(1),
    generateSeconds,
    readSeconds: +r.seconds.toFixed(2),
    rowsPerSecond: Math.round(written / r.seconds),
    peakRssMiB: Math.round(r.maxRssMiB),
    rowsRead: r.rows,
    node: process.version,
  }),
);
