import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildDist, runCli } from '../helpers/runCli.js';
import { workspace, removeWorkspaces } from './fixtures.js';
import { loadFit } from '../../src/report/fitFile.js';
import { quantileSorted } from '../../src/estimation/inference/distributions.js';

const FAST = ['--states', '2', '--shared-slopes', '--starts', '1', '--max-iter', '80', '--seed', '3'];
const BOOT = [...FAST, '--se', 'bootstrap', '--bootstrap', '5'];

describe('squeaky fit --se bootstrap', () => {
  let ws: { dir: string; panel: string; truth: string };
  const runs: Record<string, { code: number; stdout: string; stderr: string }> = {};

  afterAll(removeWorkspaces);

  beforeAll(async () => {
    buildDist();
    ws = await workspace(50, 15);
    for (const threads of ['1', '2']) runs[threads] = await runCli(['fit', ws.panel, ...BOOT, '--threads', threads, '--progress', '--out', join(ws.dir, `t${threads}`)]);
  });

  it('gives byte-identical files with 1 and 2 threads', () => {
    expect(runs['1'].code).toBe(0);
    expect(runs['2'].code).toBe(0);
    for (const f of ['fit.json', 'parameters.csv', 'effects.json']) {
      expect(readFileSync(join(ws.dir, 't2', f), 'utf8')).toBe(readFileSync(join(ws.dir, 't1', f), 'utf8'));
    }
    expect(runs['2'].stdout.replaceAll('/t2/', '/t1/')).toBe(runs['1'].stdout);
  });

  it('stores the replicates in fit.json and prints percentile intervals, saying so', async () => {
    const fit = await loadFit(join(ws.dir, 't1', 'fit.json'));
    const cov = fit.covariance!;
    expect(cov.method).toBe('bootstrap');
    expect(cov.bootstrap).toMatchObject({ type: 'nonparametric', requested: 5, seed: 3, failed: 0, notConverged: 0 });
    expect(cov.bootstrap!.replicates).toHaveLength(5);
    const rows = parse(readFileSync(join(ws.dir, 't1', 'parameters.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    let checked = 0;
    rows.forEach((r, i) => {
      if (cov.unavailable.includes(r.name)) {
        // at the boundary: no standard error and no interval, never NaN
        expect([r.std_error, r.ci_low, r.ci_high]).toEqual(['NA', 'NA', 'NA']);
        return;
      }
      checked++;
      const v = cov.bootstrap!.replicates.map((x) => x[i]).sort((a, b) => a - b);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1));
      expect(Number(r.std_error)).toBeCloseTo(sd, 12);
      expect(Number(r.ci_low)).toBe(quantileSorted(v, 0.025));
      expect(Number(r.ci_high)).toBe(quantileSorted(v, 0.975));
    });
    expect(checked).toBeGreaterThan(rows.length / 2);
    expect(runs['1'].stdout).toMatch(/nonparametric bootstrap, 5 of 5 replicates used .* 95% intervals are bootstrap percentiles/);
  });

  it('shows a progress bar on stderr with --progress', () => {
    expect(runs['1'].stderr).toMatch(/bootstrap \[#+\] 5\/5 {2}elapsed \d+:\d\d {2}remaining ~0:00/);
  });

  it('squeaky table re-emits the same intervals from fit.json', async () => {
    const r = await runCli(['table', join(ws.dir, 't1', 'fit.json'), '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ws.dir, 't1', 'parameters.csv'), 'utf8'));
  });

  it('--bootstrap alone implies --se bootstrap; --bootstrap-type parametric is recorded', async () => {
    const out = join(ws.dir, 'param');
    const r = await runCli(['fit', ws.panel, ...FAST, '--bootstrap', '3', '--bootstrap-type', 'parametric', '--threads', '1', '--out', out]);
    expect(r.code).toBe(0);
    const fit = await loadFit(join(out, 'fit.json'));
    expect(fit.covariance!.bootstrap).toMatchObject({ type: 'parametric', requested: 3 });
  });

  for (const [args, message] of [
    [['--bootstrap', '1'], /--bootstrap must be a whole number >= 2/],
    [['--se', 'robust', '--bootstrap', '10'], /--bootstrap applies to --se bootstrap, not --se robust/],
    [['--bootstrap-type', 'jackknife'], /--bootstrap-type must be one of nonparametric, parametric/],
    [['--se', 'bootstrap', '--threads', '0'], /--threads must be a whole number >= 1/],
  ] as const) {
    it(`refuses ${args.join(' ')} with exit 2 and writes nothing`, async () => {
      const out = join(ws.dir, 'bad');
      const r = await runCli(['fit', ws.panel, ...FAST, ...args, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('select and channels refuse --se bootstrap (they fit many models) and point to squeaky fit', async () => {
    for (const cmd of ['select', 'channels']) {
      const out = join(ws.dir, `bad-${cmd}`);
      const r = await runCli([cmd, ws.panel, '--states', '2', '--se', 'bootstrap', '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--se must be one of observed, robust, none, got 'bootstrap'/);
      expect(existsSync(out)).toBe(false);
    }
  });
});
