import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, REPO, buildDist, runCliChild } from '../helpers/runCli.js';
import { workspace, removeWorkspaces } from './fixtures.js';
import { VERSION } from '../../src/version.js';

describe('bin/squeaky.js as a child process', () => {
  let ws: { dir: string; panel: string; truth: string };

  afterAll(removeWorkspaces);

  beforeAll(async () => {
    buildDist();
    ws = await workspace(30, 12, 13);
  });

  it('--version and --help exit 0', () => {
    const v = runCliChild(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(VERSION);
    const h = runCliChild(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['fit', 'table', 'effects', 'decode', 'simulate']) expect(h.stdout).toMatch(new RegExp(`^\\s+${c} `, 'm'));
  });

  it('fit writes its files and prints the report; progress stays off a non-terminal stderr', () => {
    const out = join(ws.dir, 'fit');
    const r = runCliChild(['fit', ws.panel, '--states', '2', '--starts', '1', '--max-iter', '30', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Intervention effects');
    expect(readdirSync(out).sort()).toEqual(['effects.json', 'fit.json', 'parameters.csv']);
    const t = runCliChild(['table', join(out, 'fit.json'), '--format', 'csv']);
    expect(t.code).toBe(0);
    expect(t.stdout.split('\n')[0]).toBe('name,block,state,outcome,term,estimate,std_error,z,p,ci_low,ci_high,ci_method');
  });

  it('bad usage exits 2 with one message and writes nothing', () => {
    const out = join(ws.dir, 'never');
    const r = runCliChild(['fit', ws.panel, '--states', 'x', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("squeaky: --states must be a whole number from 1 to 16, got 'x'\n");
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    const m = runCliChild(['effects']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/missing required argument 'fit'/);
  });

  it('a reader that closes the pipe early (decode | head -n 2) is not an error', () => {
    const out = join(ws.dir, 'fit-pipe');
    // The shipped example: its decoded output (64,260 rows) is far larger than a pipe's buffer.
    const panel = join(REPO, 'data', 'example-panel.csv');
    const f = runCliChild(['fit', panel, '--states', '2', '--starts', '0', '--max-iter', '2', '--quiet', '--out', out]);
    expect(f.code, f.stderr).toBe(0);
    const sh = `"${process.execPath}" "${BIN}" decode "${join(out, 'fit.json')}" "${panel}" | head -n 2; echo "status=\${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', sh], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout.split('\n').length).toBe(3);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.stderr).toMatch(/status=0/);
  });
});
