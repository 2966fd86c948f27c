import { beforeAll, describe, expect, it } from 'vitest';
import { startWorkerPool } from '../../src/parallel/workerPool.js';
import { selfTestJob } from '../../src/parallel/selfTestJob.js';
import { sharePanel } from '../../src/parallel/sharePanel.js';
import type { Panel } from '../../src/data/panel.js';
import { ModelError } from '../../src/errors.js';
import { buildDist } from '../helpers/runCli.js';
import { selfTestPanel } from '../helpers/selfTestPanel.js';

const job = { module: new URL('../../src/parallel/selfTestJob.ts', import.meta.url).href, name: 'selfTestJob' };
type Payload = { customer: number; seed: number; fail?: boolean };
type Result = ReturnType<typeof selfTestJob>;

const panel = (): Panel => selfTestPanel(9);

describe('startWorkerPool', () => {
  beforeAll(() => buildDist());
  const payloads: Payload[] = Array.from({ length: 9 }, (_, customer) => ({ customer, seed: 5 }));

  it('gives every job the result of the job function, whoever runs it (0, 1 and 2 workers, with this thread working too)', async () => {
    const shared = sharePanel(panel());
    const plain = panel(); // this thread's jobs read a plain copy: their results say shared false
    // this thread's jobs are slow, so the workers (started with the pool) take some of them
    const slow = (p: Payload): Result => {
      const until = performance.now() + 40;
      while (performance.now() < until);
      return selfTestJob(p, plain);
    };
    const many: Payload[] = Array.from({ length: 27 }, (_, i) => ({ customer: i % 9, seed: 5 + Math.floor(i / 9) }));
    const expectedMany = many.map((p) => selfTestJob(p, plain));
    for (const workers of [0, 1, 2]) {
      const ranHere: number[] = [];
      const pool = startWorkerPool<Payload, Result, Panel>(job, { workers, shared, warm: { customer: 0, seed: 0 }, here: (p) => (ranHere.push(p.customer), slow(p)) });
      try {
        const all = Promise.all(many.map((p) => pool.submit(p)));
        await pool.workHere();
        const got = await all;
        expect(got.map((r) => r.value)).toEqual(expectedMany.map((r) => r.value));
        expect(got.map((r) => r.customer)).toEqual(many.map((p) => p.customer));
        if (workers === 0) expect(ranHere).toEqual(many.map((p) => p.customer));
        else {
          // some jobs ran on workers (on the shared panel), the others here
          expect(ranHere.length).toBeLessThan(many.length);
          expect(got.filter((r) => r.shared).length).toBe(many.length - ranHere.length);
        }
      } finally {
        await pool.close();
      }
    }
  });

  it('runs a job queued at the front first, in this thread', async () => {
    const shared = panel();
    const order: number[] = [];
    const pool = startWorkerPool<Payload, Result, Panel>(job, { workers: 0, shared, here: (p) => (order.push(p.customer), selfTestJob(p, shared)) });
    const jobs = [pool.submit(payloads[1]), pool.submit(payloads[2]), pool.submit(payloads[3], { front: true })];
    await pool.workHere();
    await Promise.all(jobs);
    expect(order).toEqual([3, 1, 2]);
    await pool.close();
  });

  it('rejects a failing job with its type, on a worker and in this thread, and the others still finish', async () => {
    const shared = sharePanel(panel());
    for (const workers of [0, 2]) {
      const pool = startWorkerPool<Payload, Result, Panel>(job, { workers, shared, here: workers === 0 ? (p) => selfTestJob(p, shared) : undefined });
      try {
        const all = Promise.allSettled(payloads.map((p, i) => pool.submit({ ...p, fail: i === 4 })));
        await pool.workHere();
        const settled = await all;
        expect(settled.filter((s) => s.status === 'rejected').length).toBe(1);
        const bad = settled[4];
        expect(bad.status === 'rejected' && bad.reason).toBeInstanceOf(ModelError);
      } finally {
        await pool.close();
      }
    }
  });

  it('refuses a pool without workers and without a job in this thread', () => {
    expect(() => startWorkerPool(job, { workers: 0 })).toThrow(RangeError);
  });
});
