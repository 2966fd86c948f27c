import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { CliIO } from '../../../src/cli/io.js';

function bufferIO(): CliIO & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', errIsTTY: false, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

const dir = mkdtempSync(join(tmpdir(), 'squeaky-prepare-cli-'));
const EVENTS = 'customer,timestamp,author,label\nb,2024-03-02T10:00:00Z,customer,neutral\na,2024-03-01T10:00:00Z,customer,complaint\na,2024-03-01T12:00:00Z,firm,\na,2024-03-02T12:00:00Z,customer,compliment\n';

describe('squeaky prepare', () => {
  it('writes the panel and it validates', async () => {
    const ev = join(dir, 'events.csv');
    writeFileSync(ev, EVENTS);
    const out = join(dir, 'panel.csv');
    const io = bufferIO();
    expect(await main(['node', 'squeaky', 'prepare', ev, '--period', 'day', '--out', out], io)).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      [
        'customer,period,voice,intervention,n_complaint,n_compliment,n_neutral,n_firm,period_hours',
        'a,1,complaint,1,1,0,0,1,24',
        'a,2,compliment,0,0,1,0,0,24',
        'b,1,neutral,0,0,0,1,0,24',
        '',
      ].join('\n'),
    );
    expect(io.stdout).toMatch(/wrote .*panel\.csv/);
    const io2 = bufferIO();
    expect(await main(['node', 'squeaky', 'validate', out], io2)).toBe(0);
  });

  it('writes nothing on bad input or bad flags (exit 2)', async () => {
    const ev = join(dir, 'bad.csv');
    writeFileSync(ev, EVENTS + 'a,not-a-time,customer,neutral\n');
    const out = join(dir, 'never.csv');
    const io = bufferIO();
    expect(await main(['node', 'squeaky', 'prepare', ev, '--period', 'day', '--out', out], io)).toBe(2);
    expect(io.stderr).toContain(`${ev}, line 6, column 'timestamp': value 'not-a-time'`);
    expect(existsSync(out)).toBe(false);
    const good = join(dir, 'events2.csv');
    writeFileSync(good, EVENTS);
    for (const extra of [['--period', 'month'], ['--period', 'day', '--rule', 'complaint'], ['--period', 'day', '--start', 'x']]) {
      const io2 = bufferIO();
      expect(await main(['node', 'squeaky', 'prepare', good, '--out', out, ...extra], io2), extra.join(' ')).toBe(2);
      expect(existsSync(out)).toBe(false);
    }
    const io3 = bufferIO();
    expect(await main(['node', 'squeaky', 'prepare', good, '--period', 'day'], io3)).toBe(2); // --out missing
    const io4 = bufferIO();
    expect(await main(['node', 'squeaky', 'prepare', good, '--period', 'day', '--out', join(dir, 'no', 'dir.csv')], io4)).toBe(2);
    expect(io4.stderr).toMatch(/cannot write/);
  });

  it('--help states the rules with an example', async () => {
    const io = bufferIO();
    expect(await main(['node', 'squeaky', 'prepare', '--help'], io)).toBe(0);
    expect(io.stdout).toMatch(/Example:\n\s+squeaky prepare/);
    expect(io.stdout).toMatch(/default complaint,compliment,neutral/);
  });
});
