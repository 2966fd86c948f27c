import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../helpers/runCli.js';
import { removeWorkspaces, workspace } from './fixtures.js';
import { loadFit } from '../../src/report/fitFile.js';
import { standardErrors } from '../../src/estimation/inference/covariance.js';
import { readPanel } from '../../src/data/readPanel.js';
import { logLikelihood } from '../../src/estimation/fit.js';

const FAST = ['--states', '2', '--shared-slopes', '--starts', '1', '--seed', '3', '--quiet'];

describe('standard errors and tests from the command line', () => {
  let ws: { dir: string; panel: string };
  let full: string;
  afterAll(removeWorkspaces);

  beforeAll(async () => {
    ws = await workspace(120, 25, 8);
    full = join(ws.dir, 'full');
    const r = await runCli(['fit', ws.panel, ...FAST, '--out', full]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('fit --se observed is the default: fit.json keeps the covariance, parameters.csv and the summary show it', async () => {
    const fit = await loadFit(join(full, 'fit.json'));
    expect(fit.covariance?.method).toBe('observed');
    const csv = parse(readFileSync(join(full, 'parameters.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const se = standardErrors(fit.covariance!);
    csv.forEach((row, i) => expect(Number(row.std_error)).toBe(se[i]));
    const table = await runCli(['table', join(full, 'fit.json'), '--format', 'csv']);
    expect(table.stdout).toBe(readFileSync(join(full, 'parameters.csv'), 'utf8'));
    const text = await runCli(['table', join(full, 'fit.json')]);
    expect(text.stdout).toContain('std. error');
    expect(text.stdout).toContain('Standard errors: inverse observed information');
  });

  it('reports the profile-likelihood interval of a parameter whose likelihood interval is unbounded on one side (checked on the forward log-likelihood)', async () => {
    const fit = await loadFit(join(full, 'fit.json'));
    const profile = fit.covariance!.profile!;
    const unbounded = Object.entries(profile.intervals).filter(([, iv]) => iv[0] === null || iv[1] === null);
    expect(unbounded.length).toBeGreaterThan(0);
    const { panel } = await readPanel(ws.panel);
    const csv = parse(readFileSync(join(full, 'parameters.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const text = (await runCli(['table', join(full, 'fit.json')])).stdout;
    for (const [name, [low, high]] of unbounded) {
      const i = fit.parameters.names.indexOf(name);
      // independently: moving it alone 30 units to its unbounded side lowers the forward log-likelihood by less than 1.92
      const x = Float64Array.from(fit.parameters.values);
      x[i] += low === null ? -30 : 30;
      expect(fit.logLik - logLikelihood(panel, fit.spec, x), name).toBeLessThan(1.92);
      expect(fit.warnings.some((w) => w.includes(`95% interval of ${name} from the profile likelihood`) && w.includes(low === null ? 'unbounded below' : 'unbounded above'))).toBe(true);
      expect(csv[i].ci_method).toBe('profile');
      expect(low === null ? csv[i].ci_low : csv[i].ci_high).toBe('NA');
      expect(text).toMatch(low === null ? /\[-inf, -?\d+\.\d{4}\]\*/ : /\[-?\d+\.\d{4}, inf\]\*/);
      if (high !== null) expect(Number(csv[i].ci_high)).toBe(high);
    }
  });

  it('fit --se robust and --se none; a bad --se exits 2 and writes nothing', async () => {
    const rob = join(ws.dir, 'robust');
    expect((await runCli(['fit', ws.panel, ...FAST, '--se', 'robust', '--out', rob])).code).toBe(0);
    expect((await loadFit(join(rob, 'fit.json'))).covariance?.method).toBe('robust');
    const none = join(ws.dir, 'none');
    expect((await runCli(['fit', ws.panel, ...FAST, '--se', 'none', '--out', none])).code).toBe(0);
    expect((await loadFit(join(none, 'fit.json'))).covariance).toBeUndefined();
    expect(readFileSync(join(none, 'parameters.csv'), 'utf8').split('\n')[0]).not.toContain('std_error');
    const bad = join(ws.dir, 'bad');
    const r = await runCli(['fit', ws.panel, ...FAST, '--se', 'jackknife', '--out', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--se must be one of observed, robust, bootstrap, none');
    expect(existsSync(bad)).toBe(false);
    const w = await runCli(['test', join(none, 'fit.json'), '--wald', 'transition[*]:lag(intervention)']);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('--se none');
  });

  it('test --wald: joint chi-square of the selected parameters; unknown names exit 2', async () => {
    const r = await runCli(['test', join(full, 'fit.json'), '--wald', 'transition[1->2]:*']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('transition[1->2]:(Intercept)');
    expect(r.stdout).toContain('transition[1->2]:lag(intervention)');
    expect(r.stdout).toMatch(/chi-square \d+\.\d+ on 2 df, p/);
    const j = await runCli(['test', join(full, 'fit.json'), '--wald', 'transition[1->2]:lag(intervention)', '--wald', 'emission:complaint:stock(intervention, 0.8)', '--format', 'json']);
    expect(JSON.parse(j.stdout).df).toBe(2);
    const none = await runCli(['test', join(full, 'fit.json'), '--wald', 'transition[9->*]:*']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('matches no parameter');
    expect((await runCli(['test', join(full, 'fit.json')])).code).toBe(2);
  });

  it('test FULL RESTRICTED: likelihood-ratio test; different panels or non-nested models exit 2 with the reason', async () => {
    const restricted = join(ws.dir, 'no-propensity');
    expect((await runCli(['fit', ws.panel, ...FAST, '--emission', '~ 1', '--out', restricted])).code).toBe(0);
    const r = await runCli(['test', join(full, 'fit.json'), join(restricted, 'fit.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/chi-square \d+\.\d+ on 3 df, p/);

    const nonNested = join(ws.dir, 'other-decay');
    expect((await runCli(['fit', ws.panel, ...FAST, '--emission', '~ stock(intervention, 0.5)', '--out', nonNested])).code).toBe(0);
    const n = await runCli(['test', join(full, 'fit.json'), join(nonNested, 'fit.json')]);
    expect(n.code).toBe(2);
    expect(n.stdout).toBe('');
    expect(n.stderr).toMatch(/restricted emission formula has term stock\(intervention, ?0.5\)/);

    const other = await workspace(120, 25, 9);
    const otherFit = join(other.dir, 'fit');
    expect((await runCli(['fit', other.panel, ...FAST, '--emission', '~ 1', '--out', otherFit])).code).toBe(0);
    const d = await runCli(['test', join(full, 'fit.json'), join(otherFit, 'fit.json')]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('different panels');
  });

  it('a singular information matrix gives a warning naming the parameters, and no NaN in any output', async () => {
    // x2 = 2 x: the emission slopes of x and x2 are determined only in combination
    const lines = readFileSync(ws.panel, 'utf8').trimEnd().split('\n');
    const out = lines.map((l, i) => (i === 0 ? `${l},x,x2` : `${l},${(i % 7) / 7},${(2 * (i % 7)) / 7}`));
    const panel = join(ws.dir, 'collinear.csv');
    writeFileSync(panel, out.join('\n') + '\n');
    const dir = join(ws.dir, 'collinear');
    const r = await runCli(['fit', panel, ...FAST, '--emission', '~ x + x2', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no standard error for [^\n]*emission:complaint:x[^\n]*singular/);
    expect(r.stdout).toMatch(/emission:complaint:x2/);
    expect(r.stdout).not.toMatch(/NaN/);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/NaN/);
    const fit = await loadFit(join(dir, 'fit.json'));
    expect(fit.covariance!.unavailable).toEqual(expect.arrayContaining(['emission:complaint:x', 'emission:complaint:x2']));
  });
});
