import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { CliIO } from '../../../src/cli/io.js';

function bufferIO(): CliIO & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', errIsTTY: false, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const dir = mkdtempSync(join(tmpdir(), 'squeaky-validate-'));

describe('squeaky validate', () => {
  it('prints a summary of a good panel (exit 0)', async () => {
    const f = join(dir, 'good.csv');
    writeFileSync(f, 'customer,period,voice,intervention,x\na,1,complaint,1,2\na,2,silent,0,4\nb,1,,0,6\n');
    const io = bufferIO();
    expect(await main(['node', 'squeaky', 'validate', f], io)).toBe(0);
    expect(io.stdout).toMatch(/customers\s+2/);
    expect(io.stdout).toMatch(/rows\s+3/);
    expect(io.stdout).toMatch(/complaint\s+1/);
    expect(io.stdout).toMatch(/missing\s+1/);
    expect(io.stdout).toMatch(/interventions\s+1 rows/);
    expect(io.stdout).toMatch(/x\s+2\s+4\s+6/);
    expect(io.stderr).toMatch(/warning: .*single period: 'b'/);
  });

  it('--json gives machine-readable figures', async () => {
    const f = join(dir, 'good2.csv');
    writeFileSync(f, 'user,period,voice,intervention\na,1,complaint,1\na,2,silent,0\n');
    const io = bufferIO();
    expect(await main(['node', 'squeaky', 'validate', f, '--json', '--customer-col', 'user'], io)).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(j.customers).toBe(1);
    expect(j.voice).toEqual([
      { label: 'complaint', count: 1 },
      { label: 'silent', count: 1 },
    ]);
  });

  it('prints every located problem and exits 2', async () => {
    const f = join(dir, 'bad.csv');
    writeFileSync(f, 'customer,period,voice,intervention\na,1,complain,0\na,x,silent,0\na,3,silent,5\n');
    const io = bufferIO();
    expect(await main(['node', 'squeaky', 'validate', f], io)).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain(`${f}, line 2, column 'voice': value 'complain'`);
    expect(io.stderr).toContain('did you mean');
    expect(io.stderr).toContain(`${f}, line 3, column 'period': value 'x'`);
    expect(io.stderr).toContain(`${f}, line 4, column 'intervention': value '5': 0 or 1`);
  });

  it('declared labels and bad flags', async () => {
    const f = join(dir, 'labels.csv');
    writeFileSync(f, 'customer,period,voice,intervention\na,1,angry,0\na,2,happy,0\n');
    const io = bufferIO();
    expect(await main(['node', 'squeaky', 'validate', f, '--labels', 'angry,happy'], io)).toBe(0);
    const io2 = bufferIO();
    expect(await main(['node', 'squeaky', 'validate', f, '--max-errors', '0'], io2)).toBe(2);
    expect(io2.stderr).toMatch(/--max-errors/);
    const io3 = bufferIO();
    expect(await main(['node', 'squeaky', 'validate', join(dir, 'none.csv')], io3)).toBe(2);
    expect(io3.stderr).toMatch(/cannot read/);
  });

  it('--help documents the rules with an example', async () => {
    const io = bufferIO();
    expect(await main(['node', 'squeaky', 'validate', '--help'], io)).toBe(0);
    expect(io.stdout).toMatch(/Example:\n\s+squeaky validate/);
    expect(io.stdout).toMatch(/--fill-gaps/);
  });
});
