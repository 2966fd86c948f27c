import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, REPO } from '../../helpers/runCli.js';
import { fixedFit } from './fixtures.js';
import { fitToJson } from '../../../src/report/fitFile.js';

/**
 * vega and vega-lite take most of a second to import: only the commands that draw may load them.
 * A module-resolution hook in the child process reports every import of either package.
 */
describe('vega is loaded lazily', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squeaky-lazy-'));
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, "export async function resolve(s, c, next) { if (/^vega(-lite)?$/.test(s)) process.stderr.write(`imported:${s}\\n`); return next(s, c); }\n");
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  const fit = join(dir, 'fit.json');
  writeFileSync(fit, fitToJson(fixedFit()));

  it('not by commands that do not draw', () => {
    for (const args of [['--version'], ['effects', fit], ['table', fit]]) {
      const r = run(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr, args.join(' ')).not.toContain('imported:');
    }
  });

  it('by squeaky report, which draws', () => {
    const r = run(['report', fit, '--out', join(dir, 'r.html')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('imported:vega\n');
    expect(r.stderr).toContain('imported:vega-lite\n');
  });
});
