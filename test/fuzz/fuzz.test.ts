/**
 * The fuzz suite. A short seeded run is part of `npm test`; the long run is
 *   FUZZ_CASES=2000 FUZZ_SEED=1 FUZZ_REPORT=fuzz.json npx vitest run test/fuzz
 * (counts in benchmarks/RESULTS.md). A failing case is replayed alone with FUZZ_ONLY=index.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli } from '../helpers/runCli.js';
import { workspace, removeWorkspaces } from '../cli/fixtures.js';
import { FAMILIES, runCase, type CaseResult, type FuzzBase } from './fuzzCase.js';

const CASES = Number(process.env.FUZZ_CASES ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const ONLY = process.env.FUZZ_ONLY === undefined ? undefined : Number(process.env.FUZZ_ONLY);

let base: FuzzBase;
beforeAll(async () => {
  const ws = await workspace(12, 8, 17);
  const dir = mkdtempSync(join(tmpdir(), 'squeaky-fuzz-'));
  const fit = join(dir, 'base-fit', 'fit.json');
  const r = await runCli(['fit', ws.panel, '--states', '2', '--starts', '0', '--max-iter', '5', '--quiet', '--out', join(dir, 'base-fit')]);
  expect(r.code, r.stderr).toBe(0);
  const events = join(dir, 'events.csv');
  writeFileSync(events, readFileSync(join(REPO, 'data', 'example-events.csv'), 'utf8').split('\n').slice(0, 301).join('\n') + '\n');
  base = { dir, panel: ws.panel, panelText: readFileSync(ws.panel, 'utf8'), fit, fitText: readFileSync(fit, 'utf8'), events, eventsText: readFileSync(events, 'utf8'), truth: ws.truth };
});
afterAll(() => {
  removeWorkspaces();
  if (base) rmSync(base.dir, { recursive: true, force: true });
});

describe(`fuzz: ${ONLY !== undefined ? `case ${ONLY}` : `${CASES} cases`}, seed ${SEED}`, () => {
  it('every case exits 0 or 2 with no stack trace, no NaN/Infinity/null, located lines, nothing written on failure, within the time bound', async () => {
    const results: CaseResult[] = [];
    const indices = ONLY !== undefined ? [ONLY] : Array.from({ length: CASES }, (_, i) => i);
    const t0 = performance.now();
    for (const i of indices) {
      const r = await runCase(SEED, i, base);
      results.push(r);
      rmSync(join(base.dir, `case-${i}`), { recursive: true, force: true });
    }
    const failed = results.filter((r) => r.problems.length > 0);
    const byFamily = Object.fromEntries(
      FAMILIES.map((f) => {
        const rs = results.filter((r) => r.family === f);
        return [f, { cases: rs.length, exit0: rs.filter((r) => r.code === 0).length, exit2: rs.filter((r) => r.code === 2).length, failed: rs.filter((r) => r.problems.length).length }];
      }),
    );
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const summary = {
      bench: 'fuzz',
      seed: SEED,
      cases: results.length,
      exit0: results.filter((r) => r.code === 0).length,
      exit2: results.filter((r) => r.code === 2).length,
      other: results.filter((r) => r.code !== 0 && r.code !== 2).length,
      failed: failed.length,
      byFamily,
      medianCaseMs: +ms[Math.floor(ms.length / 2)].toFixed(1),
      maxCaseMs: +ms[ms.length - 1].toFixed(1),
      totalSeconds: +((performance.now() - t0) / 1000).toFixed(1),
    };
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ ...summary, failures: failed, ...(process.env.FUZZ_ALL ? { all: results } : {}) }, null, 2) + '\n');
    console.log(JSON.stringify(summary));
    expect(failed.slice(0, 10)).toEqual([]);
  }, 3_600_000);
});
