import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { runCli } from '../../helpers/runCli.js';
import { browserTestsRun, launchChromium } from '../../helpers/browser.js';
import { removeWorkspaces, workspace } from '../../cli/fixtures.js';
import { cliHeadline } from '../../helpers/headline.js';

const FAST = ['--states', '2', '--shared-slopes', '--starts', '2', '--max-iter', '60', '--seed', '3', '--quiet'];

/**
 * The report page in a real browser: headless Chromium opens the page of `squeaky report` (a fit,
 * its panel, a policy projection and a model selection: every section and chart) from a file://
 * URL, with every request outside that file refused and recorded.
 */
describe.skipIf(!browserTestsRun())('the report page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let fileUrl: string;
  let stdout: string;
  let chartNames: string[];
  const requests: string[] = [];
  const problems: string[] = [];
  let loadMs: number;

  afterAll(async () => {
    await browser?.close();
    removeWorkspaces();
  });

  beforeAll(async () => {
    const ws = await workspace(60, 20, 11);
    const out = join(ws.dir, 'fit');
    const run = await runCli(['fit', ws.panel, ...FAST, '--out', out, '--html', '--period-length', 'day']);
    if (run.code !== 0) throw new Error(run.stderr);
    stdout = run.stdout;
    // The full page: the fit and its panel, with a policy projection and a model selection.
    const policy = join(ws.dir, 'policy.json');
    const p = await runCli(['policy', join(out, 'fit.json'), ws.panel, '--policies', 'all,none', '--horizon', '5', '--paths', '200', '--draws', '10', '--threads', '1', '--quiet', '--out', policy]);
    if (p.code !== 0) throw new Error(p.stderr);
    const q = await runCli(['select', ws.panel, '--states', '1..2', '--starts', '0', '--threads', '1', '--quiet', '--out', join(ws.dir, 'sel')]);
    if (q.code !== 0) throw new Error(q.stderr);
    const file = join(ws.dir, 'full.html');
    const r = await runCli(['report', join(out, 'fit.json'), ws.panel, '--policy', policy, '--select', join(ws.dir, 'sel', 'selection.json'), '--out', file]);
    if (r.code !== 0) throw new Error(r.stderr);
    chartNames = [...readFileSync(file, 'utf8').matchAll(/<figure class="chart" id="fig-([\w-]+)"/g)].map((m) => m[1]);
    fileUrl = pathToFileURL(file).href;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url === fileUrl ? route.continue() : route.abort();
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(fileUrl, { waitUntil: 'load' });
    loadMs = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return nav.loadEventEnd - nav.startTime;
    });
  });

  it('loads with no console error and no request beyond the page itself', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    expect(loadMs).toBeGreaterThan(0);
    expect(loadMs).toBeLessThan(2000);
  });

  it('draws every chart: each SVG has marks with non-zero size', async () => {
    expect(chartNames.length).toBe(16);
    expect(await page.$$eval('section', (ss) => ss.map((x) => x.id))).toEqual(['data', 'fit', 'states', 'channels', 'customers', 'policies', 'selection']);
    const sizes = await page.$$eval('figure.chart', (figs) =>
      figs.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        let marks = 0;
        for (const el of Array.from(f.querySelectorAll('.role-mark path, .role-mark rect, .role-mark line'))) {
          const b = (el as SVGGraphicsElement).getBBox();
          if (b.width > 0 && b.height > 0) marks++;
        }
        return { name: f.getAttribute('data-chart'), width: box?.width ?? 0, height: box?.height ?? 0, marks, label: svg?.getAttribute('aria-labelledby') ?? '' };
      }),
    );
    expect(sizes.map((s) => s.name)).toEqual(chartNames);
    for (const s of sizes) {
      expect(s.marks, `${s.name}: marks`).toBeGreaterThan(0);
      expect(s.width, `${s.name}: width`).toBeGreaterThan(200);
      expect(s.height, `${s.name}: height`).toBeGreaterThan(100);
      expect(s.label).toBe(`${s.name}-title ${s.name}-desc`);
    }
  });

  it('shows the headline sentences exactly as squeaky fit printed them', async () => {
    const page_ = await page.$$eval('#headline p', (ps) => ps.map((p) => p.textContent));
    const cli = cliHeadline(stdout);
    expect(cli.length).toBe(2);
    expect(cli.every((l) => /interventions (raise|lower|leave)/.test(l))).toBe(true);
    expect(page_).toEqual(cli);
  });

  it('fits a laptop screen without horizontal scrolling, and prints without the navigation', async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.emulateMedia({ media: 'print' });
    expect(await page.$eval('nav', (n) => getComputedStyle(n).display)).toBe('none');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.emulateMedia({ media: 'screen' });
  });

  it('a screenshot is not blank (decoded by the browser itself)', async () => {
    const png = await page.screenshot({ fullPage: false });
    const blank = await browser.newPage();
    const stats = await blank.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      const colours = new Set<number>();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] + d[i + 1] + d[i + 2] < 600) dark++;
        colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      }
      return { width: c.width, height: c.height, darkShare: dark / (d.length / 4), colours: colours.size };
    }, png.toString('base64'));
    await blank.close();
    expect(stats.width).toBe(1280);
    expect(stats.darkShare).toBeGreaterThan(0.02);
    expect(stats.colours).toBeGreaterThan(50);
  });
});
