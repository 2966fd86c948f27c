import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepStale, writeFileAtomic, writeOutputFolder } from '../../src/data/outputFiles.js';
import { UsageError } from '../../src/errors.js';
import { REPO } from '../helpers/runCli.js';

// The child processes run the compiled dist/ (built by `npm test`'s pretest, or `npx tsc -p tsconfig.json`);
// building it here would race with other test files that read it.
const made: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'squeaky-out-'));
  made.push(d);
  return d;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const FIT = '{\n  "format": "squeaky-fit"\n}\n';
/** The pid of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout as unknown as number;
}

describe('writeOutputFolder', () => {
  it('replaces the whole folder: files the new run does not produce are removed', async () => {
    const dir = fresh();
    const out = join(dir, 'fit');
    await writeOutputFolder(out, [
      { name: 'fit.json', content: FIT },
      { name: 'effects.json', content: '{"run":1}' },
    ]);
    expect(readdirSync(out).sort()).toEqual(['effects.json', 'fit.json']);
    await writeOutputFolder(out, [
      { name: 'fit.json', content: FIT },
      { name: 'parameters.csv', content: 'a,b\n' },
    ]);
    expect(readdirSync(out).sort()).toEqual(['fit.json', 'parameters.csv']);
    expect(readdirSync(dir)).toEqual(['fit']); // no hidden temporaries or old folders
  });

  it('streams chunked content and refuses a folder of the user own files', async () => {
    const dir = fresh();
    const out = join(dir, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'thesis.tex'), 'precious');
    await expect(writeOutputFolder(out, [{ name: 'fit.json', content: FIT }])).rejects.toThrow(/--out: the folder .*mine' holds files that squeaky did not write/);
    expect(readdirSync(out)).toEqual(['thesis.tex']);
    writeFileSync(join(dir, 'plain'), 'x');
    await expect(writeOutputFolder(join(dir, 'plain'), [{ name: 'fit.json', content: FIT }])).rejects.toThrow(/exists and is not a folder/);
    await expect(writeOutputFolder(join(dir, 'no', 'such'), [{ name: 'fit.json', content: FIT }])).rejects.toThrow(UsageError);
    await expect(writeOutputFolder('', [{ name: 'fit.json', content: FIT }])).rejects.toThrow(/--out: expected a file name/);
    expect(readdirSync(dir).sort()).toEqual(['mine', 'plain']);
    const s = join(dir, 's');
    await writeOutputFolder(s, [{ name: 'fit.json', content: async (w) => { await w('{"format": '); await w('"squeaky-fit"}'); } }]);
    expect(readFileSync(join(s, 'fit.json'), 'utf8')).toBe('{"format": "squeaky-fit"}');
  });

  it('the next write removes what a killed process left, restoring a folder it had moved aside', async () => {
    const dir = fresh();
    const pid = deadPid();
    const out = join(dir, 'fit');
    // A swap killed between its renames: the target is gone, the previous set sits aside.
    mkdirSync(join(dir, `.fit.${pid}.0badcafe.old`));
    writeFileSync(join(dir, `.fit.${pid}.0badcafe.old`, 'fit.json'), FIT);
    mkdirSync(join(dir, `.fit.${pid}.00c0ffee.tmp`));
    writeFileSync(join(dir, `.fit.json.${pid}.12345678.tmp`), 'half');
    writeFileSync(join(dir, `.fit.${process.pid}.aaaaaaaa.tmp`), 'a live process: kept');
    sweepStale(out);
    expect(readdirSync(dir).sort()).toEqual([`.fit.${process.pid}.aaaaaaaa.tmp`, `.fit.json.${pid}.12345678.tmp`, 'fit']);
    expect(readFileSync(join(out, 'fit.json'), 'utf8')).toBe(FIT);
    sweepStale(join(dir, 'fit.json'));
    expect(existsSync(join(dir, `.fit.json.${pid}.12345678.tmp`))).toBe(false);
  });
});

describe('writeFileAtomic', () => {
  it('refuses a folder as target and a missing folder, leaving nothing', async () => {
    const dir = fresh();
    await expect(writeFileAtomic(dir, 'x', '--out')).rejects.toThrow(/--out: cannot write .* is a folder/);
    await expect(writeFileAtomic(join(dir, 'missing', 'x.csv'), 'x', '--out')).rejects.toThrow(/the folder .*missing' does not exist/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a full disk (ENOSPC) mid-write is a UsageError naming the option, and leaves nothing', async () => {
    const dir = fresh();
    const full = async (write: (c: string) => Promise<void>): Promise<void> => {
      await write('customer,period\n');
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    await expect(writeFileAtomic(join(dir, 'p.csv'), full, '--out')).rejects.toThrow(/^--out: cannot write .*p\.csv' \(no space left on the device\); nothing was written$/);
    await expect(writeOutputFolder(join(dir, 'fit'), [{ name: 'fit.json', content: full }])).rejects.toThrow(/no space left on the device/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a streamed write that fails at once leaves no temporary behind, however the file opening is timed', async () => {
    // The stream opens its file asynchronously; removing the temporary before that open has
    // finished used to leave it behind in a few of hundreds of tries.
    const failing = async (write: (c: string) => Promise<void>): Promise<void> => {
      await write('customer,period\n');
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    let left = 0;
    for (let i = 0; i < 300; i++) {
      const dir = fresh();
      await writeFileAtomic(join(dir, 'p.csv'), failing, '--out').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 2));
      if (readdirSync(dir).length > 0) left++;
    }
    expect(left).toBe(0);
  }, 60_000);

  it('SIGTERM during a long streamed write removes the temporary and ends the process by SIGTERM', async () => {
    const dir = fresh();
    const target = join(dir, 'big.csv');
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(join(REPO, 'dist', 'src', 'data', 'outputFiles.js'))};
      await writeFileAtomic(${JSON.stringify(target)}, async (w) => {
        for (let i = 0; ; i++) { await w('x'.repeat(1 << 16) + '\\n'); if (i === 3) process.stdout.write('writing\\n'); await new Promise((r) => setTimeout(r, 1)); }
      });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((res) => child.stdout.on('data', (d) => String(d).includes('writing') && res()));
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(true);
    const sig = await new Promise<string | null>((res) => {
      child.on('exit', (_c, s) => res(s));
      child.kill('SIGTERM');
    });
    expect(sig).toBe('SIGTERM');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('kill test (short run of benchmarks/kill-write.mjs)', () => {
  it('kill -9 and SIGTERM in the write phase never leave a mixed set or SIGTERM temporaries', () => {
    const r = spawnSync(process.execPath, [join(REPO, 'benchmarks', 'kill-write.mjs'), '--trials', '6', '--seed', '7'], { encoding: 'utf8', timeout: 280_000 });
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    expect(s.trials).toBe(6);
    expect(s.setA + s.setB).toBe(6);
    expect(s.mixedOrMissing).toBe(0);
    expect(s.termLeftTemporaries).toBe(0);
    expect(s.sweptAfterKill).toBe(s.killLeftTemporaries);
  }, 300_000);
});
