/**
 * Where a fit's screened starts are run on to convergence. The E-step pool splits every E-step
 * over the panel's shards; a panel with fewer shards than threads (the example panel is one shard)
 * leaves threads idle there. The starts are independent, so those threads can each run one: when
 * more threads are kept busy by the starts than by the shards (min(threads, starts) >
 * min(threads, shards), starts = those screening keeps), the fit's thread and min(threads, starts)
 * - 1 worker threads (runParallel, finishStartJob.ts) take the starts from a shared board
 * (startBoard.ts), each thread one at a time with its own single-thread E-step; otherwise they stay
 * in the fit's thread on its E-step pool. The workers are started before the screening, so that
 * building their models overlaps it. Only the process's main thread starts such workers: a fit
 * that itself runs on a worker (select's numbers of states, bootstrap replicates) keeps its starts
 * in that thread, so threads never nest.
 *
 * Either way each start continues from its screened parameters and EM state with the same
 * operations, so the fit is the same to the last bit (test/estimation/startsOnThreads.test.ts).
 */
import { isMainThread } from 'node:worker_threads';
import type { Panel } from '../data/panel.js';
import { runParallel } from '../parallel/runParallel.js';
import { sharePanel } from '../parallel/sharePanel.js';
import type { StartsShared, WorkerRuns } from './finishStartJob.js';
import { runStartsAsync, startsPlan, type Finisher, type FinishedRun, type FitHooks, type FitModel, type StartsPlan } from './fitStarts.js';
import type { EStepEngine } from './eStep.js';
import type { DataSummary, FitOptions, FitResult } from './fitTypes.js';
import type { ModelSpec } from './spec.js';
import { claimJob, closeBoard, createStartBoard, fitsBoard, jobStart, markDone, postJobs, readProgress } from './startBoard.js';

/** The workers' job (the .ts source under the test runner; runParallel maps it to dist/ for workers). */
const STARTS_JOB = { module: new URL(import.meta.url.endsWith('.ts') ? './finishStartJob.ts' : './finishStartJob.js', import.meta.url).href, name: 'finishStartsJob' };

/** While the fit's thread waits for the workers, their progress is relayed this often (ms). */
const RELAY_MS = 100;

/**
 * Threads (the fit's own included) that run `starts` independent starts of a fit with `threads`
 * threads on a panel of `shards` shards; 0 = the starts stay in the fit's thread, one after another
 * (see the file header for the rule).
 */
export function startThreads(threads: number, shards: number, starts: number, mainThread = isMainThread): number {
  if (!mainThread || threads < 2 || starts < 2) return 0;
  const byStarts = Math.min(threads, starts);
  return byStarts > Math.min(threads, shards) ? byStarts : 0;
}

export interface StartThreads {
  finisher: Finisher;
  /** Release the workers (when the fit ended before its starts were posted) and wait for them to exit. */
  close(): Promise<void>;
}

/**
 * Start the workers of a fit of `panel` (before its screening) when startThreads says so:
 * `plan` from startsPlan, `nParams` the model's parameter count. Undefined: no workers.
 */
export function openStartThreads(panel: Panel, spec: ModelSpec, options: FitOptions, shards: number, plan: StartsPlan, nParams: number): StartThreads | undefined {
  const threads = startThreads(options.threads ?? 1, shards, plan.maxJobs);
  if (threads === 0) return undefined;
  const workers = threads - 1;
  const board = createStartBoard(plan.maxJobs, nParams, plan.screen + 1);
  const shared: StartsShared = { panel: sharePanel(panel), spec, settings: plan.settings, board };
  const running = runParallel<number, WorkerRuns, StartsShared>(STARTS_JOB, Array.from({ length: workers }, (_, w) => w), { threads: workers, shared, inThread: false });
  const settled = running.then(
    (runs) => ({ runs }),
    (error: unknown) => ({ error }),
  );
  options.onPhase?.(`starting ${workers} worker thread${workers === 1 ? '' : 's'} for the starts that screening keeps (${threads} starts at once)`);

  const finisher: Finisher = (jobs, runHere, nStarts) => {
    if (jobs.length === 0 || !fitsBoard(board, jobs)) {
      closeBoard(board);
      return undefined;
    }
    postJobs(board, jobs);
    const onProgress = options.onProgress;
    const mine = new Set<number>();
    const seen = new Float64Array(jobs.length).fill(-1);
    const busy = (): number => {
      let n = 0;
      for (let k = 0; k < jobs.length; k++) if (readProgress(board, k)?.state === 1) n++;
      return Math.max(1, n);
    };
    // the workers' latest iterations (each once), then this thread's own
    const relay = (): void => {
      if (!onProgress) return;
      for (let k = 0; k < jobs.length; k++) {
        if (mine.has(k)) continue;
        const p = readProgress(board, k);
        if (!p || p.state === 0 || p.iteration === seen[k] || p.iteration === 0) continue;
        seen[k] = p.iteration;
        onProgress({ start: jobStart(board, k), nStarts, iteration: p.iteration, logLik: p.logLik, change: p.change, running: busy() });
      }
    };
    const own = onProgress && ((p: Parameters<typeof onProgress>[0]) => {
      relay();
      onProgress({ ...p, running: busy() });
    });
    options.onPhase?.(`running starts ${jobs.map((j) => j.index + 1).join(', ')} on to convergence, ${threads} at once`);
    const here = new Map<number, FinishedRun>();
    for (let k = claimJob(board); k >= 0; k = claimJob(board)) {
      mine.add(k);
      here.set(k, runHere(k, own));
      markDone(board, k);
    }
    return (async () => {
      const timer = onProgress ? setInterval(relay, RELAY_MS) : undefined;
      let done: Awaited<typeof settled>;
      try {
        done = await settled;
      } finally {
        if (timer) clearInterval(timer);
      }
      relay();
      if ('error' in done) throw done.error;
      for (const r of done.runs.flat()) here.set(r.job, r.run);
      return jobs.map((j, k) => {
        const run = here.get(k);
        if (!run) throw new Error(`start ${j.index + 1} was not run on to convergence by any thread`);
        return run;
      });
    })();
  };
  return {
    finisher,
    close: async () => {
      closeBoard(board);
      await settled;
    },
  };
}

/**
 * runStartsAsync with the start workers of openStartThreads (when the rule says so), which are
 * released and awaited at the end; closes `eStep`. What fitAsync and fitMixtureAsync share.
 */
export async function runStartsOnThreads<M extends FitModel>(
  panel: Panel,
  spec: ModelSpec,
  options: FitOptions,
  base: M,
  eStep: EStepEngine & { readonly seq: Int32Array },
  summary: DataSummary,
  given: Float64Array | undefined,
  hooks: FitHooks<M>,
): Promise<FitResult> {
  let threads: StartThreads | undefined;
  try {
    threads = openStartThreads(panel, spec, options, eStep.seq.length - 1, startsPlan(options), base.nParams);
    return await runStartsAsync(base, eStep, summary, spec, options, given, hooks, threads?.finisher ?? (() => undefined));
  } finally {
    eStep.close?.();
    await threads?.close();
  }
}
