/**
 * A persistent pool of worker threads for the E-step's shards (beside runParallel, which runs
 * independent jobs): the workers are started once per E-step object with every kernel array in
 * shared memory (SharedArrayBuffer: the panel's indices, the probability and count tables), and
 * each E-step only flips a generation counter. Shards are taken from a shared counter by whichever
 * thread is free (this thread too); each shard writes only its own entries (see
 * estimation/shards.ts), so which thread ran which shard never changes a number.
 *
 * Synchronous by design (Atomics.wait): the EM driver stays a plain loop.
 *   ctrl Int32Array(CTRL_LENGTH) in shared memory: [GEN] generation, [NEXT] next shard to take,
 *   [DONE] shards finished, [CMD] 1 = forward-backward with counts, 2 = forward pass only, 3 = exit,
 *   [FAILED] 1 when a shard threw (its message in the worker's stderr).
 */
import { Worker } from 'node:worker_threads';
import { createFbWork, type FbWork } from '../kernels/forwardBackward.js';
import { forwardBackwardShard, type ShardInputs } from '../kernels/forwardBackwardShard.js';
import { compiledUrl } from './runParallel.js';

export const GEN = 0;
export const NEXT = 1;
export const DONE = 2;
export const CMD = 3;
export const FAILED = 4;
export const CTRL_LENGTH = 5;
const COMMANDS = { counts: 1, loglik: 2, exit: 3 } as const;

/** Take shards from the shared counter and run them until none is left (any thread). */
export function drainShards(inputs: ShardInputs, work: FbWork, ctrl: Int32Array): void {
  const nShards = inputs.seq.length - 1;
  for (;;) {
    const s = Atomics.add(ctrl, NEXT, 1);
    if (s >= nShards) return;
    try {
      forwardBackwardShard(inputs, work, s, Atomics.load(ctrl, CMD) === COMMANDS.counts ? 'counts' : 'loglik');
    } catch (e) {
      Atomics.store(ctrl, FAILED, 1);
      process.stderr.write(`E-step shard ${s} failed: ${(e as Error).stack ?? String(e)}\n`);
    }
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
}

/** True when every array of the inputs lives in shared memory (what the workers need). */
export function isShared(inputs: ShardInputs): boolean {
  return Object.values(inputs).every((v) => !ArrayBuffer.isView(v) || (v as Int32Array).buffer instanceof SharedArrayBuffer);
}

export class EStepPool {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(CTRL_LENGTH * 4));
  private readonly workers: Worker[] = [];
  private readonly work: FbWork;

  /** `threads` counts this thread: threads - 1 workers are started. */
  constructor(
    private readonly inputs: ShardInputs,
    threads: number,
    maxLen: number,
  ) {
    if (!isShared(inputs)) throw new RangeError('E-step pool: every input array must be backed by a SharedArrayBuffer');
    this.work = createFbWork(inputs.nStates, maxLen);
    const url = new URL(compiledUrl(new URL(import.meta.url.endsWith('.ts') ? './eStepWorker.ts' : './eStepWorker.js', import.meta.url).href));
    for (let t = 1; t < threads; t++) {
      const w = new Worker(url, { workerData: { inputs, ctrl: this.ctrl, maxLen } });
      w.unref(); // an idle pool never keeps the process alive
      this.workers.push(w);
    }
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Run every shard (mode as forwardBackwardShard) on the pool and this thread; returns when all are done. */
  run(mode: 'counts' | 'loglik'): void {
    const c = this.ctrl;
    const nShards = this.inputs.seq.length - 1;
    Atomics.store(c, CMD, COMMANDS[mode]);
    Atomics.store(c, FAILED, 0);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, NEXT, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    drainShards(this.inputs, this.work, c);
    for (let d = Atomics.load(c, DONE); d < nShards; d = Atomics.load(c, DONE)) Atomics.wait(c, DONE, d);
    if (Atomics.load(c, FAILED)) throw new Error('an E-step shard failed on a worker thread (see the message above)');
  }

  /** Stop the workers. */
  close(): void {
    Atomics.store(this.ctrl, CMD, COMMANDS.exit);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
