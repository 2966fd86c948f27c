import { beforeAll, describe, expect, it } from 'vitest';
import { runParallel } from '../../src/parallel/runParallel.js';
import { sharePanel } from '../../src/parallel/sharePanel.js';
import type { Panel } from '../../src/data/panel.js';
import { ModelError } from '../../src/errors.js';
import { buildDist } from '../helpers/runCli.js';
import { selfTestPanel } from '../helpers/selfTestPanel.js';

const job = { module: new URL('../../src/parallel/selfTestJob.ts', import.meta.url).href, name: 'selfTestJob' };

const panel = (): Panel => selfTestPanel(7);

describe('runParallel', () => {
  beforeAll(() => buildDist());
  const payloads = Array.from({ length: 7 }, (_, customer) => ({ customer, seed: 11 }));

  it('gives the same results in payload order with 1, 2 and 3 threads, on shared memory', async () => {
    const shared = sharePanel(panel());
    const one = await runParallel(job, payloads, { threads: 1, shared });
    const progress: number[] = [];
    const two = await runParallel(job, payloads, { threads: 2, shared, onDone: (_i, done) => progress.push(done) });
    const three = await runParallel(job, payloads, { threads: 3, shared });
    expect(two).toEqual(one);
    expect(three).toEqual(one);
    expect(one.map((r) => (r as { customer: number }).customer)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(two.every((r) => (r as { shared: boolean }).shared)).toBe(true);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('rethrows a job error with its type in workers and in this thread', async () => {
    const bad = payloads.map((p, i) => ({ ...p, fail: i === 3 }));
    for (const threads of [1, 2]) {
      await expect(runParallel(job, bad, { threads, shared: sharePanel(panel()) })).rejects.toBeInstanceOf(ModelError);
    }
  });
});
