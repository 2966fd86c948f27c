import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli.js';
import { workspace, removeWorkspaces } from './fixtures.js';
import { loadFit } from '../../src/report/fitFile.js';

describe('squeaky effects and the report options of fit', () => {
  let ws: { dir: string; panel: string };
  let fitFile: string;
  afterAll(removeWorkspaces);
  beforeAll(async () => {
    ws = await workspace(40, 15, 8);
    const r = await runCli(['fit', ws.panel, '--states', '2', '--shared-slopes', '--starts', '0', '--max-iter', '30', '--period-length', 'week', '--out', join(ws.dir, 'fit')]);
    expect(r.code, r.stderr).toBe(0);
    fitFile = join(ws.dir, 'fit', 'fit.json');
  }, 60_000);

  it('fit keeps the period length and the report states horizons in it', async () => {
    const fit = await loadFit(fitFile);
    expect(fit.periodLength).toEqual({ spec: 'week', hours: 168 });
    const r = await runCli(['effects', fitFile, '--horizon', '12']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('over the next 12 periods (12 weeks)');
    expect(r.stdout).toContain('One period = 1 week.');
    const json = JSON.parse((await runCli(['effects', fitFile, '--format', 'json'])).stdout);
    expect(json.periodLength).toEqual({ spec: 'week', hours: 168 });
    expect(json.overTime.periods).toHaveLength(30);
    expect(json.longRun.exists).toBe(true);
    expect(JSON.parse(readFileSync(join(ws.dir, 'fit', 'effects.json'), 'utf8')).summary).toEqual(json.summary);
  });

  it('reads the saved covariance: the same intervals in fit, effects.json and effects', async () => {
    const fit = await loadFit(fitFile);
    expect(fit.covariance?.method).toBe('observed');
    const saved = JSON.parse(readFileSync(join(ws.dir, 'fit', 'effects.json'), 'utf8'));
    expect(saved.intervals.method).toBe('delta');
    expect(saved.intervals.covariance).toBe('observed');
    const again = JSON.parse((await runCli(['effects', fitFile, '--format', 'json'])).stdout);
    expect(again.intervals).toEqual(saved.intervals);
    expect(saved.intervals.overTime.cumulativeEffects.complaint.net.low).toHaveLength(30);
    const text = (await runCli(['effects', fitFile])).stdout;
    expect(text).toContain('Intervals: 95% (delta method from the observed covariance).');
    expect(text).toMatch(/net [+-]\d\.\d{3} \(95% interval /);
  });

  it('a panel made by prepare carries its period length into the fit', async () => {
    const csv = readFileSync(ws.panel, 'utf8').trim().split('\n');
    const withHours = [csv[0] + ',period_hours', ...csv.slice(1).map((l) => l + ',24')].join('\n') + '\n';
    const panel = join(ws.dir, 'daily.csv');
    writeFileSync(panel, withHours);
    const r = await runCli(['fit', panel, '--states', '2', '--shared-slopes', '--starts', '0', '--max-iter', '5', '--out', join(ws.dir, 'daily')]);
    expect(r.code, r.stderr).toBe(0);
    expect((await loadFit(join(ws.dir, 'daily', 'fit.json'))).periodLength).toEqual({ spec: 'day', hours: 24 });
    expect(r.stdout).toContain('over the next 30 periods (30 days)');
  }, 60_000);

  it('refuses a horizon far past convergence and bad period lengths (exit 2, naming the option)', async () => {
    const t0 = Date.now();
    const r = await runCli(['effects', fitFile, '--horizon', '100000000']);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--horizon 100000000 is far past where the report has converged/);
    const sixHours = await runCli(['effects', fitFile, '--horizon', '8', '--period-length', '6h']);
    expect(sixHours.stdout).toContain('over the next 8 periods (8 x 6 hours = 2 days)');
    const bad = await runCli(['fit', ws.panel, '--period-length', 'fortnight', '--out', join(ws.dir, 'never')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--period-length must be day, week or a number of hours such as 6h, got 'fortnight'/);
  });

  it('fit warns in its footer about a same-period intervention term, once', async () => {
    const r = await runCli(['fit', ws.panel, '--states', '2', '--emission', '~ intervention', '--starts', '0', '--max-iter', '5', '--out', join(ws.dir, 'same')]);
    expect(r.code, r.stderr).toBe(0);
    const hits = r.stdout.match(/uses intervention in the same period/g) ?? [];
    expect(hits).toHaveLength(1);
    expect(r.stdout).toMatch(/\d+\. the emission formula '~ intervention' uses intervention in the same period/);
    expect((await loadFit(join(ws.dir, 'same', 'fit.json'))).warnings.join('\n')).toMatch(/propensity channel is zero by construction/);
  }, 60_000);
});
