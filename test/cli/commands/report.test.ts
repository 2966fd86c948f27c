import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/runCli.js';
import { removeWorkspaces, workspace } from '../fixtures.js';
import { cliHeadline } from '../../helpers/headline.js';
import { escapeHtml } from '../../../src/report/html/htmlPage.js';

const FAST = ['--states', '2', '--shared-slopes', '--starts', '1', '--max-iter', '60', '--seed', '3', '--quiet'];

function pageHeadline(html: string): string[] {
  const head = html.match(/<div class="headline" id="headline" role="note">(.*?)<\/div>/s)![1];
  return [...head.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

describe('squeaky report and fit --html', () => {
  let ws: { dir: string; panel: string };
  let fitDir: string;
  let fitRun: { code: number; stdout: string; stderr: string };

  afterAll(removeWorkspaces);
  beforeAll(async () => {
    ws = await workspace(50, 16, 7);
    fitDir = join(ws.dir, 'fit');
    fitRun = await runCli(['fit', ws.panel, ...FAST, '--out', fitDir, '--html', '--period-length', 'week']);
  });

  it('fit --html writes report.html into the fit folder with the headline the fit prints', () => {
    expect(fitRun.code, fitRun.stderr).toBe(0);
    expect(readdirSync(fitDir).sort()).toEqual(['effects.json', 'fit.json', 'parameters.csv', 'report.html']);
    const html = readFileSync(join(fitDir, 'report.html'), 'utf8');
    expect(cliHeadline(fitRun.stdout).length).toBe(2);
    expect(cliHeadline(fitRun.stdout).every((l) => /interventions (raise|lower|leave)/i.test(l))).toBe(true);
    expect(pageHeadline(html)).toEqual(cliHeadline(fitRun.stdout));
    expect(html).toContain('<section id="customers"');
    expect(html).toContain('period (1 period = week)');
    expect(fitRun.stdout).toContain(join(fitDir, 'report.html'));
  });

  it('report FIT PANEL --figures writes the page and every chart as SVG and Vega-Lite JSON', async () => {
    const out = join(ws.dir, 'r1.html');
    const figs = join(ws.dir, 'figs');
    const r = await runCli(['report', join(fitDir, 'fit.json'), ws.panel, '--out', out, '--figures', figs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Wrote .*r1\.html \(\d+ KiB, 13 charts\) and 26 figure files/);
    const names = readdirSync(figs).filter((f) => f.endsWith('.svg')).map((f) => f.slice(0, -4)).sort();
    expect(names).toHaveLength(13);
    const html = readFileSync(out, 'utf8');
    for (const n of names) {
      const svg = readFileSync(join(figs, `${n}.svg`), 'utf8');
      expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
      // The same SVG as inline in the page.
      expect(html).toContain(svg.split('\n')[1]);
      const spec = JSON.parse(readFileSync(join(figs, `${n}.vl.json`), 'utf8'));
      expect(spec.$schema).toMatch(/vega-lite\/v6/);
      expect(typeof spec.description).toBe('string');
    }
    // The report from the saved fit and the one written by fit --html agree on the headline.
    expect(pageHeadline(html)).toEqual(cliHeadline(fitRun.stdout));
  });

  it('without the panel: the page of the fit alone', async () => {
    const out = join(ws.dir, 'r2.html');
    const r = await runCli(['report', join(fitDir, 'fit.json'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Give the panel');
  });

  it('a fit.json of another format version: exit 2, nothing written', async () => {
    const fit = JSON.parse(readFileSync(join(fitDir, 'fit.json'), 'utf8'));
    const old = join(ws.dir, 'old-fit.json');
    writeFileSync(old, JSON.stringify({ ...fit, formatVersion: 0 }));
    const out = join(ws.dir, 'never.html');
    const figs = join(ws.dir, 'never-figs');
    const r = await runCli(['report', old, ws.panel, '--out', out, '--figures', figs]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/old-fit\.json.*formatVersion.*value '0'.*format version 1/s);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(figs)).toBe(false);
  });

  it('a panel that does not match the fit: exit 2 naming what is missing, nothing written', async () => {
    const fit = JSON.parse(readFileSync(join(fitDir, 'fit.json'), 'utf8'));
    fit.spec.formulas.emission = '~ stock(intervention, 0.8) + friends';
    const other = join(ws.dir, 'friends-fit.json');
    writeFileSync(other, JSON.stringify(fit));
    const out = join(ws.dir, 'never2.html');
    const r = await runCli(['report', other, ws.panel, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not match the panel/);
    expect(r.stderr).toMatch(/column 'friends'.*emission formula/);
    expect(existsSync(out)).toBe(false);
  });

  it('a panel with voice labels the fit does not know: exit 2, nothing written', async () => {
    const bad = join(ws.dir, 'bad-voice.csv');
    writeFileSync(bad, readFileSync(ws.panel, 'utf8').replace(/,compliment,/, ',angry,'));
    const out = join(ws.dir, 'never3.html');
    const r = await runCli(['report', join(fitDir, 'fit.json'), bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('angry');
    expect(existsSync(out)).toBe(false);
  });

  it('bad options: exit 2 with a message naming the option', async () => {
    const r1 = await runCli(['report', join(fitDir, 'fit.json'), '--horizon', '0', '--out', join(ws.dir, 'x.html')]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('--horizon');
    const r2 = await runCli(['report', join(fitDir, 'fit.json'), '--period-length', '<b>', '--out', join(ws.dir, 'x.html')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('--period-length');
    expect(existsSync(join(ws.dir, 'x.html'))).toBe(false);
    const r3 = await runCli(['report', join(ws.dir, 'missing.json')]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('missing.json');
  });

  it('--policy and --select add their sections from the outputs of squeaky policy and squeaky select', async () => {
    const policy = join(ws.dir, 'policy.json');
    const p = await runCli(['policy', join(fitDir, 'fit.json'), ws.panel, '--policies', 'all,none', '--horizon', '5', '--paths', '200', '--draws', '0', '--threads', '1', '--quiet', '--out', policy]);
    expect(p.code, p.stderr).toBe(0);
    const sel = join(ws.dir, 'sel');
    const q = await runCli(['select', ws.panel, '--states', '1..2', '--starts', '0', '--threads', '1', '--quiet', '--out', sel]);
    expect(q.code, q.stderr).toBe(0);
    const out = join(ws.dir, 'r-all.html');
    const r = await runCli(['report', join(fitDir, 'fit.json'), ws.panel, '--policy', policy, '--select', join(sel, 'selection.json'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    for (const id of ['policies', 'selection']) expect(html).toContain(`<section id="${id}"`);
    for (const n of ['policy-totals', 'policy-over-time', 'select-criteria']) expect(html).toContain(`id="fig-${n}"`);
    const report = JSON.parse(readFileSync(policy, 'utf8'));
    const c = report.measures.indexOf('complaint');
    for (const pol of report.policies) expect(html).toContain(`<td>${escapeHtml(pol.name)}</td><td>${escapeHtml(pol.description)}</td><td class="num">${pol.totals[c].estimate.toFixed(1)}`);
    const table = JSON.parse(readFileSync(join(sel, 'selection.json'), 'utf8'));
    for (const row of table.rows) expect(html).toContain(`<td>${row.states}</td><td class="num">${row.log_likelihood.toFixed(2)}</td>`);
  });

  it('a --policy or --select file of the wrong kind: exit 2 naming the option, nothing written', async () => {
    const out = join(ws.dir, 'never4.html');
    const r1 = await runCli(['report', join(fitDir, 'fit.json'), '--policy', join(fitDir, 'fit.json'), '--out', out]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/--policy.*format.*squeaky-policy/s);
    const old = join(ws.dir, 'old-policy.json');
    writeFileSync(old, JSON.stringify({ ...JSON.parse(readFileSync(join(ws.dir, 'policy.json'), 'utf8')), formatVersion: 7 }));
    const r2 = await runCli(['report', join(fitDir, 'fit.json'), '--policy', old, '--out', out]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/formatVersion.*value '7'/);
    const r3 = await runCli(['report', join(fitDir, 'fit.json'), '--select', join(fitDir, 'fit.json'), '--out', out]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/--select.*columns/s);
    expect(existsSync(out)).toBe(false);
  });

  it('fit --html with a file that is not .html (a CSV read as its value): exit 2, nothing written', async () => {
    const out = join(ws.dir, 'fit-never');
    const other = join(ws.dir, 'other.csv');
    writeFileSync(other, 'keep me\n');
    const r = await runCli(['fit', '--html', other, ws.panel, ...FAST, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--html must name an \.html file/);
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(other, 'utf8')).toBe('keep me\n');
    // Without a value after it, commander stops first (exit 2): the panel is never overwritten.
    const r2 = await runCli(['fit', '--html', ws.panel, ...FAST, '--out', out]);
    expect(r2.code).toBe(2);
    expect(readFileSync(ws.panel, 'utf8').startsWith('customer,')).toBe(true);
  });

  it('--help shows examples', async () => {
    const r = await runCli(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--figures <dir>');
    expect(r.stdout).toContain('Examples:');
  });
});
