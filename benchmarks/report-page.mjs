#!/usr/bin/env node
// Size and opening time of the HTML report of a large panel, and what building it costs.
// Usage: node benchmarks/report-page.mjs [--customers 100000] [--periods 90] [--seed 1] [--loads 5]
//        [--fit FIT.json]   (default: fit the shipped example panel first, one start)
// Steps: (1) the fit (unless given); (2) `squeaky simulate` a panel of N customers x T periods from
// it; (3) `squeaky report FIT PANEL --out page.html` under /usr/bin/time (wall time, peak RSS);
// (4) open page.html from a file:// URL in headless Chromium (/usr/bin/chromium) `--loads` times,
// each in a fresh page, and take the navigation timing (start to load event end) and the time
// until every chart's SVG is laid out. Also the import cost of vega + vega-lite (paid by `report`
// only) against `squeaky --version`.
// Output: one JSON object per line on stdout. Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const { values: a } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    periods: { type: 'string', default: '90' },
    seed: { type: 'string', default: '1' },
    loads: { type: 'string', default: '5' },
    fit: { type: 'string' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'squeaky-bench-report-'));
const bin = join(process.cwd(), 'bin', 'squeaky.js');
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];

function timed(args) {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`squeaky ${args.join(' ')} failed:\n${r.stderr}`);
  const wall = r.stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/);
  const seconds = wall ? (Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3])) : NaN;
  const rss = Number(r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] ?? NaN);
  return { seconds, peakRssMiB: Math.round(rss / 1024), stdout: r.stdout };
}

try {
  let fit = a.fit;
  if (!fit) {
    const r = timed(['fit', 'data/example-panel.csv', '--starts', '0', '--quiet', '--out', join(dir, 'fit')]);
    fit = join(dir, 'fit', 'fit.json');
    console.log(JSON.stringify({ step: 'fit example panel', seconds: r.seconds }));
  }
  const panel = join(dir, 'panel.csv');
  const sim = timed(['simulate', fit, '--customers', a.customers, '--periods', a.periods, '--seed', a.seed, '--out', panel]);
  console.log(JSON.stringify({ step: 'simulate panel', customers: +a.customers, periods: +a.periods, rows: +a.customers * +a.periods, csvMiB: +(statSync(panel).size / 2 ** 20).toFixed(1), seconds: sim.seconds }));
  const page = join(dir, 'page.html');
  const rep = timed(['report', fit, panel, '--period-length', 'day', '--out', page]);
  const bytes = statSync(page).size;
  console.log(JSON.stringify({ step: 'squeaky report FIT PANEL', customers: +a.customers, rows: +a.customers * +a.periods, seconds: rep.seconds, peakRssMiB: rep.peakRssMiB, pageBytes: bytes, pageMiB: +(bytes / 2 ** 20).toFixed(3), targetMiB: 5 }));

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const url = pathToFileURL(page).href;
  const loads = [];
  const drawn = [];
  for (let i = 0; i < +a.loads; i++) {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await p.goto(url, { waitUntil: 'load' });
    const t = await p.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      // Force layout of every chart, then read the time.
      for (const s of document.querySelectorAll('figure.chart svg')) s.getBoundingClientRect();
      return { load: nav.loadEventEnd - nav.startTime, drawn: performance.now() - nav.startTime, charts: document.querySelectorAll('figure.chart svg').length };
    });
    loads.push(t.load);
    drawn.push(t.drawn);
    await p.close();
    if (i === 0) console.log(JSON.stringify({ step: 'charts in page', charts: t.charts }));
  }
  await browser.close();
  console.log(JSON.stringify({ step: 'open in chromium', loads: loads.map((x) => Math.round(x)), medianLoadMs: Math.round(median(loads)), medianLaidOutMs: Math.round(median(drawn)), targetMs: 2000 }));

  const version = [];
  const vega = [];
  for (let i = 0; i < 5; i++) {
    version.push(timed(['--version']).seconds);
    const t0 = performance.now();
    spawnSync(process.execPath, ['--input-type=module', '-e', "await Promise.all([import('vega'), import('vega-lite')])"], { cwd: process.cwd() });
    vega.push((performance.now() - t0) / 1000);
  }
  console.log(JSON.stringify({ step: 'import cost', medianVersionSeconds: median(version), medianNodeImportVegaSeconds: +median(vega).toFixed(3) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
