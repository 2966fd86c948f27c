/**
 * Run independent jobs (bootstrap replicates, one fit per number of states, Monte Carlo batches,
 * starts) on worker threads. A job is a named export of an ES module, called as
 * `fn(payload, shared)`; results come back in the order of `payloads`, whatever the number of
 * threads or the order in which workers finish, so a job that takes its randomness from its
 * payload (a seed and a stream index) gives the same results with 1 and N threads.
 *
 * With `threads` 1 (or a single payload) the jobs run in this thread, one after another: the same
 * function on the same payloads, hence the same numbers. `shared` is sent to each worker once
 * (structured clone: typed arrays backed by a SharedArrayBuffer are shared, not copied; see
 * sharePanel); payloads and results are cloned per job, so keep them small.
 *
 * Workers run the compiled JavaScript in dist/. When this file runs from TypeScript sources (the
 * test runner), module URLs under src/ are mapped to their dist/ counterparts, which `npm test`
 * builds first (the `pretest` script).
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError, ModelError, UsageError } from '../errors.js';

/** Where a job function lives: `module` is the module's URL (pass `import.meta.url`), `name` its export. */
export interface JobRef {
  module: string;
  name: string;
}

export type JobFunction<P, R, S> = (payload: P, shared: S) => R | Promise<R>;

export interface ParallelOptions<S> {
  /** Worker threads (default: the machine's cores, at most the number of jobs). 1 = in this thread. */
  threads?: number;
  /** Sent once to every worker and passed to every job. */
  shared?: S;
  /** Called as each job finishes (in completion order), e.g. for a progress bar. */
  onDone?: (index: number, done: number, total: number) => void;
  /**
   * false: run on worker threads even with one thread or one payload (default true: those run in
   * this thread), e.g. to keep this thread free for work of its own while the workers run.
   */
  inThread?: boolean;
}

/** The machine's cores (os.availableParallelism). */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** The compiled JavaScript URL of a module URL (identity for .js; src/*.ts -> dist/src/*.js). */
export function compiledUrl(moduleUrl: string): string {
  if (!moduleUrl.endsWith('.ts')) return moduleUrl;
  const path = fileURLToPath(moduleUrl);
  const i = path.lastIndexOf('/src/');
  if (i < 0) throw new Error(`cannot map ${path} to compiled JavaScript: not under src/`);
  const js = path.slice(0, i) + '/dist' + path.slice(i).replace(/\.ts$/, '.js');
  if (!existsSync(js)) throw new Error(`worker threads need the compiled program: ${js} is missing (run npm run build)`);
  return pathToFileURL(js).href;
}

async function loadJob<P, R, S>(job: JobRef): Promise<JobFunction<P, R, S>> {
  const mod = (await import(job.module)) as Record<string, unknown>;
  const fn = mod[job.name];
  if (typeof fn !== 'function') throw new Error(`${job.module} has no exported function ${job.name}`);
  return fn as JobFunction<P, R, S>;
}

export interface WorkerReply {
  index: number;
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
}

/** A job's error as thrown in the worker: squeaky's typed errors keep their class (and so their exit code). */
export function rebuildError(e: WorkerReply['error']): Error {
  const message = e?.message ?? 'a worker job failed';
  const Typed = { UsageError, InputError, ModelError }[e?.name ?? ''];
  const err = Typed ? new Typed(message) : new Error(message);
  if (!Typed && e?.name) err.name = e.name;
  if (e?.stack) err.stack = e.stack;
  return err;
}

/**
 * `count` worker threads running worker.ts on `job` (its compiled module), each sent `shared` once:
 * the workers of runParallel and of startWorkerPool.
 */
export function startJobWorkers(job: JobRef, count: number, shared: unknown): Worker[] {
  const workerUrl = new URL(compiledUrl(new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url).href));
  const workerData = { module: compiledUrl(job.module), name: job.name, shared };
  return Array.from({ length: count }, () => new Worker(workerUrl, { workerData }));
}

/** Run `job` on every payload; resolves to the results in payload order. A job that throws rejects the whole run. */
export async function runParallel<P, R, S = undefined>(job: JobRef, payloads: readonly P[], options: ParallelOptions<S> = {}): Promise<R[]> {
  const total = payloads.length;
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreads(), total));
  if (!Number.isInteger(threads)) throw new RangeError(`threads must be a whole number >= 1, got ${options.threads}`);
  const results = new Array<R>(total);
  if (total === 0) return results;
  if (threads === 1 && options.inThread !== false) {
    const fn = await loadJob<P, R, S>(job);
    for (let i = 0; i < total; i++) {
      results[i] = await fn(payloads[i], options.shared as S);
      options.onDone?.(i, i + 1, total);
    }
    return results;
  }
  let next = 0;
  let done = 0;
  const workers = startJobWorkers(job, threads, options.shared);
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const feed = (w: Worker): void => {
        if (next < total) {
          const index = next++;
          w.postMessage({ index, payload: payloads[index] });
        }
      };
      for (const w of workers) {
        w.on('message', (m: WorkerReply) => {
          if (failed) return;
          if (!m.ok) {
            fail(rebuildError(m.error));
            return;
          }
          results[m.index] = m.result as R;
          done++;
          options.onDone?.(m.index, done, total);
          if (done === total) resolve();
          else feed(w);
        });
        w.on('error', (e) => fail(e));
        w.on('exit', (code) => {
          if (done < total && code !== 0) fail(new Error(`a worker thread exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
