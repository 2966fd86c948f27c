#!/usr/bin/env node
// The README's picture of the report: fit the shipped example panel, write its report with the
// panel, open it in headless Chromium (/usr/bin/chromium) and save screenshots of the top of the
// page and of the states, channels and customers sections under docs/.
// Usage: node scripts/make-report-screenshot.mjs [--out docs]   (run `npx tsc -p tsconfig.json` first)
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runFit, buildReport, writeReport, readPanel } from '../dist/src/index.js';

const { values: a } = parseArgs({ options: { out: { type: 'string', default: 'docs' } } });
const dir = mkdtempSync(join(tmpdir(), 'squeaky-shot-'));
try {
  const run = await runFit('data/example-panel.csv', { periodLength: { spec: 'day', hours: 24 } });
  const report = await buildReport(run.fit, { panel: run.panel, effects: run.effects, table: run.table, fitFile: 'squeaky-fit/fit.json' });
  const page = join(dir, 'report.html');
  await writeReport(report, page);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const p = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  await p.goto(pathToFileURL(page).href, { waitUntil: 'load' });
  await p.screenshot({ path: join(a.out, 'report-top.png') });
  const shots = ['report-top.png'];
  for (const id of ['states', 'channels', 'customers']) {
    const y = await p.$eval(`#${id}`, (s) => s.getBoundingClientRect().top + window.scrollY);
    await p.screenshot({ path: join(a.out, `report-${id}.png`), fullPage: true, clip: { x: 0, y, width: 1100, height: 1400 } });
    shots.push(`report-${id}.png`);
  }
  await browser.close();
  console.log(JSON.stringify({ wrote: shots.map((f) => join(a.out, f)) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
