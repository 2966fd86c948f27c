/**
 * The shared-memory board through which a fit's thread and its start workers share the screened
 * starts to finish (startsOnThreads.ts): the workers are started before the screening, build their
 * models while it runs, then wait on the board. The fit's thread posts every job (a screened
 * start's parameters and EM state) at once; any thread (the fit's thread too) claims the next job
 * by an atomic counter, so the work balances itself, and which thread ran a job never changes a
 * number. A running job posts its iterations in its progress slot, which the fit's thread reads.
 *
 * Layout (all in SharedArrayBuffers; J = the most jobs, H = the longest screened history):
 *   ctrl Int32Array(2 + 2J): [COUNT] jobs posted (-2 not yet, -1 closed without jobs, else 0..J),
 *     [NEXT] next job to claim, then per job k: [2 + 2k] state (0 posted, 1 running, 2 done),
 *     [3 + 2k] progress sequence number (odd while its slot is being written);
 *   jobs Float64Array(J * stride), stride = 4 + P + 2H, job k at k * stride: start index, extrapolation
 *     step bound, history length h, checkpoint count c, then the P parameter values, then H history
 *     entries (first h used), then H checkpoint entries (first c used);
 *   progress Float64Array(3J): job k's last iteration, log-likelihood and relative change.
 */
import type { EmResume } from './em.js';
import type { FinishJob } from './fitStarts.js';

export const COUNT = 0;
export const NEXT = 1;
const NOT_POSTED = -2;
const CLOSED = -1;

export interface StartBoard {
  ctrl: Int32Array;
  jobs: Float64Array;
  progress: Float64Array;
  maxJobs: number;
  nParams: number;
  maxHistory: number;
}

const sharedF64 = (n: number) => new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8));

export function createStartBoard(maxJobs: number, nParams: number, maxHistory: number): StartBoard {
  const ctrl = new Int32Array(new SharedArrayBuffer((2 + 2 * maxJobs) * 4));
  ctrl[COUNT] = NOT_POSTED;
  return { ctrl, jobs: sharedF64(maxJobs * (4 + nParams + 2 * maxHistory)), progress: sharedF64(3 * maxJobs), maxJobs, nParams, maxHistory };
}

const stride = (b: StartBoard) => 4 + b.nParams + 2 * b.maxHistory;

/** True when `jobs` fit the board. */
export function fitsBoard(b: StartBoard, jobs: readonly FinishJob[]): boolean {
  return jobs.length <= b.maxJobs && jobs.every((j) => j.values.length === b.nParams && j.resume.monitor.history.length <= b.maxHistory && j.resume.monitor.checkpoints.length <= b.maxHistory);
}

/** Post the jobs (fitsBoard must hold) and wake the workers. */
export function postJobs(b: StartBoard, jobs: readonly FinishJob[]): void {
  if (!fitsBoard(b, jobs)) throw new RangeError('the screened starts do not fit the start board');
  const w = stride(b);
  jobs.forEach((j, k) => {
    const o = k * w;
    const { history, checkpoints } = j.resume.monitor;
    b.jobs[o] = j.index;
    b.jobs[o + 1] = j.resume.stepMax;
    b.jobs[o + 2] = history.length;
    b.jobs[o + 3] = checkpoints.length;
    b.jobs.set(j.values, o + 4);
    b.jobs.set(history, o + 4 + b.nParams);
    b.jobs.set(checkpoints, o + 4 + b.nParams + b.maxHistory);
  });
  Atomics.store(b.ctrl, COUNT, jobs.length);
  Atomics.notify(b.ctrl, COUNT);
}

/** Close the board without jobs (the fit ended before posting): waiting workers return. */
export function closeBoard(b: StartBoard): void {
  if (Atomics.compareExchange(b.ctrl, COUNT, NOT_POSTED, CLOSED) === NOT_POSTED) Atomics.notify(b.ctrl, COUNT);
}

/** Wait until the jobs are posted or the board is closed; the number of jobs (0 when closed). */
export function waitForJobs(b: StartBoard): number {
  while (Atomics.load(b.ctrl, COUNT) === NOT_POSTED) Atomics.wait(b.ctrl, COUNT, NOT_POSTED);
  return Math.max(0, Atomics.load(b.ctrl, COUNT));
}

/** Claim the next job (marked running); -1 when every job is taken. */
export function claimJob(b: StartBoard): number {
  const n = Atomics.load(b.ctrl, COUNT);
  if (n <= 0 || Atomics.load(b.ctrl, NEXT) >= n) return -1;
  const k = Atomics.add(b.ctrl, NEXT, 1);
  if (k >= n) return -1;
  Atomics.store(b.ctrl, 2 + 2 * k, 1);
  return k;
}

export function markDone(b: StartBoard, k: number): void {
  Atomics.store(b.ctrl, 2 + 2 * k, 2);
}

/** Posted job k. */
export function readJob(b: StartBoard, k: number): FinishJob {
  const o = k * stride(b);
  const h = b.jobs[o + 2];
  const c = b.jobs[o + 3];
  const hAt = o + 4 + b.nParams;
  const cAt = hAt + b.maxHistory;
  const resume: EmResume = {
    stepMax: b.jobs[o + 1],
    monitor: { history: Array.from(b.jobs.subarray(hAt, hAt + h)), checkpoints: Array.from(b.jobs.subarray(cAt, cAt + c)) },
  };
  return { index: b.jobs[o], values: b.jobs.slice(o + 4, o + 4 + b.nParams), resume };
}

/** Job k's start index. */
export function jobStart(b: StartBoard, k: number): number {
  return b.jobs[k * stride(b)];
}

/** Post job k's latest iteration in its progress slot. */
export function writeProgress(b: StartBoard, k: number, iteration: number, logLik: number, change: number): void {
  const seq = 3 + 2 * k;
  Atomics.add(b.ctrl, seq, 1);
  b.progress[3 * k] = iteration;
  b.progress[3 * k + 1] = logLik;
  b.progress[3 * k + 2] = change;
  Atomics.add(b.ctrl, seq, 1);
}

/** Job k's state (0 posted, 1 running, 2 done) and latest posted iteration (undefined while its slot is being written). */
export function readProgress(b: StartBoard, k: number): { state: number; iteration: number; logLik: number; change: number } | undefined {
  const seq = 3 + 2 * k;
  const s0 = Atomics.load(b.ctrl, seq);
  if (s0 % 2 === 1) return undefined;
  const iteration = b.progress[3 * k];
  const logLik = b.progress[3 * k + 1];
  const change = b.progress[3 * k + 2];
  if (Atomics.load(b.ctrl, seq) !== s0) return undefined;
  return { state: Atomics.load(b.ctrl, 2 + 2 * k), iteration, logLik, change };
}
