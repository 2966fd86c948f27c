/**
 * Worker threads kept alive across several batches of jobs and started before the first job is
 * known, with this thread working on the same queue: `startWorkerPool(job, {workers, shared,
 * warm, here})` starts `workers` threads at once (each loading the job module and, with `warm`,
 * running the job on that payload to build whatever it caches, e.g. a model), `submit(payload)`
 * queues one job and resolves to its result, and `workHere()` runs queued jobs in this thread
 * (by `here`, e.g. on objects this thread already has) until the queue is empty. Idle workers
 * take the queue's first job; `front: true` puts a job at the head (long jobs found late start
 * first). Each worker holds up to two jobs (one running, one waiting) when this thread works too,
 * so a worker that finishes while this thread is inside a job does not wait for it.
 *
 * As with runParallel, a job takes everything it needs from its payload and `shared` (never from
 * the thread), and `here` must compute what the job computes, so a result does not depend on who
 * ran it. With 0 workers every job runs in this thread, in queue order.
 */
import type { Worker } from 'node:worker_threads';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { rebuildError, startJobWorkers, type JobRef, type WorkerReply } from './runParallel.js';

export interface WorkerPoolOptions<P, R, S> {
  /** Worker threads (>= 0). */
  workers: number;
  /** Sent once to every worker and passed to every job. */
  shared?: S;
  /** Run once on every worker as soon as it starts (its result ignored). */
  warm?: P;
  /** The job in this thread (required with 0 workers); without it, workHere does nothing. */
  here?: (payload: P) => R;
}

export interface WorkerPool<P, R> {
  readonly workers: number;
  /** Queue one job; resolves to its result (rejects with the job's error, typed errors keeping their class). */
  submit(payload: P, options?: { front?: boolean }): Promise<R>;
  /** Run queued jobs in this thread until the queue is empty (letting the workers' replies in between jobs). */
  workHere(): Promise<void>;
  /** Stop the workers; jobs not finished reject. */
  close(): Promise<void>;
}

interface Pending<P, R> {
  payload: P;
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}

/** Start a pool (see the file header). */
export function startWorkerPool<P, R, S = undefined>(job: JobRef, options: WorkerPoolOptions<P, R, S>): WorkerPool<P, R> {
  const nWorkers = options.workers;
  if (!Number.isInteger(nWorkers) || nWorkers < 0) throw new RangeError(`workers must be a whole number >= 0, got ${nWorkers}`);
  if (nWorkers === 0 && !options.here) throw new RangeError('a pool without workers needs a job in this thread (here)');
  const queue: Pending<P, R>[] = [];
  const running = new Map<number, Pending<P, R>>();
  const held = new Map<Worker, number>();
  const workers: Worker[] = [];
  const perWorker = options.here ? 2 : 1;
  let nextId = 0;
  let closed = false;
  const feed = (w: Worker): void => {
    while ((held.get(w) ?? 0) < perWorker && queue.length) {
      const p = queue.shift()!;
      const id = nextId++;
      running.set(id, p);
      held.set(w, (held.get(w) ?? 0) + 1);
      w.postMessage({ index: id, payload: p.payload });
    }
  };
  const feedAll = (): void => {
    for (const w of workers) if (held.has(w)) feed(w);
  };
  const failAll = (e: Error): void => {
    for (const p of [...running.values(), ...queue]) p.reject(e);
    running.clear();
    queue.length = 0;
  };
  if (nWorkers > 0) {
    for (const w of startJobWorkers(job, nWorkers, options.shared)) {
      workers.push(w);
      // A worker enters `held` (and gets jobs) once its warm job is done.
      if (options.warm !== undefined) w.postMessage({ index: -1, payload: options.warm });
      else held.set(w, 0);
      w.on('message', (m: WorkerReply) => {
        if (m.index === -1) {
          if (!m.ok) failAll(rebuildError(m.error));
          held.set(w, 0);
        } else {
          held.set(w, (held.get(w) ?? 1) - 1);
          const p = running.get(m.index);
          running.delete(m.index);
          if (p) {
            if (m.ok) p.resolve(m.result as R);
            else p.reject(rebuildError(m.error));
          }
        }
        if (!closed) feed(w);
      });
      w.on('error', (e) => failAll(e));
      w.on('exit', (code) => {
        if (!closed && code !== 0) failAll(new Error(`a worker thread exited with code ${code}`));
      });
    }
  }
  return {
    workers: nWorkers,
    submit(payload, o = {}) {
      if (closed) return Promise.reject(new Error('the worker pool is closed'));
      return new Promise<R>((resolve, reject) => {
        const p = { payload, resolve, reject };
        if (o.front) queue.unshift(p);
        else queue.push(p);
        feedAll();
      });
    },
    async workHere() {
      const here = options.here;
      if (!here) return;
      while (queue.length && !closed) {
        const p = queue.shift()!;
        try {
          p.resolve(here(p.payload));
        } catch (e) {
          p.reject(e instanceof Error ? e : new Error(String(e)));
        }
        // Let the workers' replies (and the callers' reactions to this result) in before the next job.
        await yieldToEvents();
      }
    },
    async close() {
      closed = true;
      failAll(new Error('the worker pool was closed before the job finished'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
