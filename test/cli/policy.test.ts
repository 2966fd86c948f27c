import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, buildDist } from '../helpers/runCli.js';
import { removeWorkspaces, workspace, TRUTH_SPEC } from './fixtures.js';

describe('squeaky policy', () => {
  let ws: { dir: string; panel: string; truth: string };
  beforeAll(async () => {
    buildDist();
    ws = await workspace(80, 15, 4);
  });
  afterAll(() => removeWorkspaces());

  it('prints the firm policy table, totals, differences, the value ranking and per-period tables', async () => {
    const r = await runCli(['policy', ws.truth, ws.panel, '--horizon', '4', '--paths', '16', '--policies', 'all,none,rate:0.5,budget:3,state:1', '--value', 'complaint=-1,compliment=0.5,intervention=-0.2', '--threads', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const s of ["The firm's observed policy", '(Intercept)', 'stock(intervention, 0.8)', 'Totals over 4 periods', 'Difference from observed', 'intervals not available', 'Value (complaint=-1, compliment=0.5, intervention=-0.2)', 'Per period: budget:3', 'exact propagation', 'Warnings']) {
      expect(r.stdout, s).toContain(s);
    }
    expect(r.stdout).not.toMatch(/NaN/);
  });

  it('writes the JSON report with --out, and the same with --format json on stdout', async () => {
    const out = join(ws.dir, 'policy.json');
    const args = ['policy', ws.truth, ws.panel, '--horizon', '3', '--paths', '8', '--policies', 'all', '--threads', '1'];
    const r = await runCli([...args, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Wrote .*policy\.json/);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.format).toBe('squeaky-policy');
    expect(report.policies.map((p: { name: string }) => p.name)).toEqual(['observed', 'all']);
    expect(report.measures).toEqual(['complaint', 'compliment', 'neutral', 'silent', 'intervention', 'state1', 'state2']);
    expect(report.policies[1].table.perPeriod.mean).toHaveLength(3);
    const j = await runCli([...args, '--format', 'json']);
    expect(JSON.parse(j.stdout)).toEqual(report);
  });

  const bad: [string, string[], RegExp][] = [
    ['an unknown policy', ['--policies', 'all,sometimes'], /--policies: unknown policy 'sometimes'/],
    ['a malformed rate', ['--policies', 'rate:1.5'], /--policies: .*'rate:1.5'/],
    ['a malformed budget', ['--policies', 'budget:ten'], /--policies: 'ten' is not a number in 'budget:ten'/],
    ['a malformed value spec', ['--value', 'complaint=-1,praise=2'], /--value: unknown name 'praise'/],
    ['a bad --from', ['--from', 'middle'], /--from must be one of end, start/],
    ['a bad --paths', ['--paths', '1'], /--paths must be a whole number >= 2/],
  ];
  for (const [what, extra, msg] of bad) {
    it(`exits 2 on ${what}, naming it, and writes nothing`, async () => {
      const out = join(ws.dir, `bad-${extra[0].slice(2)}.json`);
      const r = await runCli(['policy', ws.truth, ws.panel, '--horizon', '2', '--paths', '8', ...extra, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('exits 2 when the fit and the panel do not match, naming the column', async () => {
    const truth = JSON.parse(readFileSync(ws.truth, 'utf8'));
    const other = join(ws.dir, 'other-truth.json');
    writeFileSync(other, JSON.stringify({ ...truth, spec: { ...TRUTH_SPEC, formulas: { ...TRUTH_SPEC.formulas, emission: '~ stock(intervention, 0.8) + friends' } } }));
    const r = await runCli(['policy', other, ws.panel, '--horizon', '2', '--paths', '8']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not match the panel/);
    expect(r.stderr).toMatch(/column 'friends'/);
  });

  it('computes the observed-information covariance for a fit saved without one, and gives intervals', async () => {
    const dir = join(ws.dir, 'fit-no-se');
    const f = await runCli(['fit', ws.panel, '--states', '2', '--shared-slopes', '--starts', '1', '--se', 'none', '--out', dir, '--quiet']);
    expect(f.code).toBe(0);
    expect(readFileSync(join(dir, 'fit.json'), 'utf8')).not.toMatch(/"covariance"/);
    const r = await runCli(['policy', join(dir, 'fit.json'), ws.panel, '--horizon', '3', '--paths', '8', '--draws', '20', '--policies', 'all', '--threads', '1', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.intervals.available).toBe(true);
    expect(report.intervals.note).toMatch(/computed here on the panel because the fit has none/);
    expect(report.policies[1].difference[0].low).not.toBeNull();
  });

  it('has --help with examples', async () => {
    const r = await runCli(['policy', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).toMatch(/budget:n/);
  });
});
