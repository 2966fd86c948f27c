import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync as mkdtempOnce, mkdirSync, readdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitToJson, loadFit, parseFit } from '../../src/report/fitFile.js';
import { writeFilesAtomic } from '../../src/report/writeAtomic.js';
import { InputError, UsageError } from '../../src/errors.js';
import { fixedFit } from './fixedFit.js';

const made: string[] = [];
function mkdtempSync(prefix: string): string {
  const d = mkdtempOnce(prefix);
  made.push(d);
  return d;
}
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function issuesOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('expected an InputError');
}

describe('fit.json', () => {
  it('round-trips every field exactly', () => {
    const fit = fixedFit();
    fit.starts.push({ index: 2, kind: 'random', logLik: -Infinity, iterations: 0, converged: false });
    fit.starts.push({ index: 3, kind: 'random', logLik: -1301.5, iterations: 5, converged: false, screened: true, screenLogLik: -1301.5 });
    const back = parseFit(fitToJson(fit), 'fit.json');
    expect(back).toEqual(fit);
    expect(back.parameters.values).toBeInstanceOf(Float64Array);
  });

  it('keeps the period length when the fit has one, and checks it', () => {
    const fit = { ...fixedFit(), periodLength: { spec: 'week', hours: 168 } };
    expect(parseFit(fitToJson(fit), 'fit.json').periodLength).toEqual({ spec: 'week', hours: 168 });
    expect(parseFit(fitToJson(fixedFit()), 'fit.json').periodLength).toBeUndefined();
    const bad = { ...JSON.parse(fitToJson(fit)), periodLength: { spec: 'week', hours: 'many' } };
    expect(issuesOf(() => parseFit(JSON.stringify(bad), 'f.json'))).toContain("column 'periodLength.hours'");
  });

  it('names the file and the JSON path of every problem', () => {
    const good = JSON.parse(fitToJson(fixedFit()));
    const bad = structuredClone(good);
    bad.spec.nStates = 0;
    bad.spec.transitionType = 'ladder';
    bad.parameters.values.pop();
    const msg = issuesOf(() => parseFit(JSON.stringify(bad), 'my/fit.json'));
    expect(msg).toContain("my/fit.json, column 'spec.nStates': value '0': an integer >= 1");
    expect(msg).toContain("column 'spec.transitionType'");
    expect(msg).toContain("column 'parameters.values'");
    const bad2 = structuredClone(good);
    bad2.effectsBasis.complaintStateMix = [1];
    expect(issuesOf(() => parseFit(JSON.stringify(bad2), 'f.json'))).toContain("column 'effectsBasis.complaintStateMix': value '\"1 entries\"': one probability per state (2)");
  });

  it('rejects non-JSON, other JSON and missing files with a clear message', async () => {
    expect(issuesOf(() => parseFit('{not json', 'x.json'))).toMatch(/x\.json is not a squeaky fit file[\s\S]*valid JSON/);
    expect(issuesOf(() => parseFit('{"customers": 3}', 'panel.json'))).toContain("written by 'squeaky fit'");
    expect(issuesOf(() => parseFit('[1,2]', 'a.json'))).toContain('an object');
    await expect(loadFit('/nonexistent/fit.json')).rejects.toThrow(/cannot read fit file \/nonexistent\/fit\.json[\s\S]*an existing fit\.json/);
  });

  it('loads what was written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'squeaky-fit-'));
    writeFileSync(join(dir, 'fit.json'), fitToJson(fixedFit()));
    expect((await loadFit(join(dir, 'fit.json'))).logLik).toBe(-1234.5678);
  });
});

describe('writeFilesAtomic', () => {
  it('writes all files and leaves no temporaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'squeaky-atomic-'));
    mkdirSync(join(dir, 'sub'));
    await writeFilesAtomic([
      { path: join(dir, 'a.txt'), content: 'A' },
      { path: join(dir, 'sub', 'b.txt'), content: 'B' },
    ]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('A');
    expect(readFileSync(join(dir, 'sub', 'b.txt'), 'utf8')).toBe('B');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'sub']);
  });

  it('writes nothing when one file cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'squeaky-atomic-'));
    writeFileSync(join(dir, 'blocker'), 'a file, not a folder');
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'a.txt'), content: 'A' },
        { path: join(dir, 'blocker', 'b.txt'), content: 'B' },
      ]),
    ).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['blocker']);
  });
});

describe('writeFilesAtomic errors', () => {
  it('an unwritable target is a UsageError naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'squeaky-atomic-'));
    writeFileSync(join(dir, 'file'), 'x');
    await expect(writeFilesAtomic([{ path: join(dir, 'file', 'fit.json'), content: '{}' }])).rejects.toThrow(UsageError);
    await expect(writeFilesAtomic([{ path: join(dir, 'file', 'fit.json'), content: '{}' }])).rejects.toThrow(/cannot write .*file\/fit\.json/);
  });
});
