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
 *   [DONE] items finished, [CMD] 1 = forward-backward with counts, 2 = forward pass only, 3 = exit,
 *   4 = the chunks of M-step pass [PASS] in mode [MODE], 5 = the reduction of the shards' count
 *   copies (REDUCE_CHUNK shared units per item), 6 = zero the count tables' own units (ZERO_CHUNK
 *   entries per item); [FAILED] 1 when an item threw (its message
 *   in the worker's stderr). NEXT carries the generation (see drainShards).
 */
import { Worker } from 'node:worker_threads';
import { createShardWork, runShard, type AnyShardInputs as ShardInputs, type ShardWork as FbWork } from '../kernels/mixtureShard.js';
import { zeroOwnCounts, zeroOwnItems, type ShardInputs as OneClassInputs } from '../kernels/forwardBackwardShard.js';
import { compiledUrl } from './runParallel.js';
import { passChunks, runPassChunk, type LogitPassData } from '../model/logitPassChunks.js';
import { reduceShardCopies } from '../kernels/shardCopies.js';

export const GEN = 0;
export const NEXT = 1;
export const DONE = 2;
export const CMD = 3;
export const FAILED = 4;
/** With CMD 4: which registered M-step pass, and its mode (logitPassChunks.ts passMode). */
export const PASS = 5;
export const MODE = 6;
export const CTRL_LENGTH = 7;
const COMMANDS = { counts: 1, loglik: 2, exit: 3, pass: 4, reduce: 5, zero: 6 } as const;
/** Shared units per item of the reduction of the shards' count copies (fixed, so the items are too). */
export const REDUCE_CHUNK = 4096;

/** The shard copies of one-class inputs (the mixture E-step spreads and reduces its own). */
function copiesOf(inputs: ShardInputs): OneClassInputs['copies'] {
  return 'copies' in inputs ? inputs.copies : undefined;
}

/** The count tables of the three blocks, in the order of inputs.copies. */
function countTables(inputs: OneClassInputs): [Float64Array, Float64Array, Float64Array] {
  return [inputs.cInit, inputs.cTrans, inputs.cEmis];
}

/** Items of the reduction: every block's shared units in chunks of REDUCE_CHUNK, block by block. */
function reduceItems(inputs: ShardInputs): number {
  let n = 0;
  for (const sc of copiesOf(inputs) ?? []) n += Math.ceil(sc.shared.length / REDUCE_CHUNK);
  return n;
}

/** Own count entries to zero, in items of ZERO_CHUNK (one-class inputs with copies only). */
function zeroItems(inputs: ShardInputs): number {
  return copiesOf(inputs) === undefined ? 0 : zeroOwnItems(inputs as OneClassInputs);
}

/** Reduction item `item` (see reduceItems). */
function runReduceItem(inputs: OneClassInputs, item: number): void {
  const tables = countTables(inputs);
  let i = item;
  for (let b = 0; b < 3; b++) {
    const sc = inputs.copies![b];
    const n = Math.ceil(sc.shared.length / REDUCE_CHUNK);
    if (i < n) {
      reduceShardCopies(tables[b], sc, i * REDUCE_CHUNK, Math.min(sc.shared.length, (i + 1) * REDUCE_CHUNK));
      return;
    }
    i -= n;
  }
  throw new RangeError(`reduction item ${item} out of range`);
}
/** Bits of NEXT for the item index (items per command: at most 2^ITEM_BITS) and the generation above them. */
const ITEM_BITS = 12;
const ITEM_MASK = (1 << ITEM_BITS) - 1;
const GEN_MASK = (1 << (31 - ITEM_BITS)) - 1;
/** Most items (shards, pass chunks) one command can have. */
export const MAX_ITEMS = ITEM_MASK;

/** Items of the current command: shards, or the chunks of the M-step pass. */
function itemCount(inputs: ShardInputs, passes: readonly LogitPassData[], cmd: number, pass: number): number {
  if (cmd === COMMANDS.pass) return passChunks(passes[pass].nPatterns);
  if (cmd === COMMANDS.reduce) return reduceItems(inputs);
  if (cmd === COMMANDS.zero) return zeroItems(inputs);
  return inputs.seq.length - 1;
}

/**
 * Take items (shards or pass chunks) of generation `gen` from the shared counter and run them
 * until none is left (any thread). NEXT holds the generation (GEN_MASK bits) above the next item's
 * index (ITEM_BITS): an item is taken by compare-and-swap only while NEXT still names `gen`, so a
 * thread that woke for an older generation never takes an item of a newer one.
 */
export function drainShards(inputs: ShardInputs, work: FbWork, passes: readonly LogitPassData[], nb: Float64Array, ctrl: Int32Array, gen: number): void {
  const cmd = Atomics.load(ctrl, CMD);
  const pass = Atomics.load(ctrl, PASS);
  const mode = Atomics.load(ctrl, MODE);
  const count = itemCount(inputs, passes, cmd, pass);
  const tag = (gen & GEN_MASK) << ITEM_BITS;
  for (;;) {
    const v = Atomics.load(ctrl, NEXT);
    if ((v & ~ITEM_MASK) !== tag) return;
    const s = v & ITEM_MASK;
    if (s >= count) return;
    if (Atomics.compareExchange(ctrl, NEXT, v, v + 1) !== v) continue;
    try {
      if (cmd === COMMANDS.pass) runPassChunk(passes[pass], s, mode, nb);
      else if (cmd === COMMANDS.reduce) runReduceItem(inputs as OneClassInputs, s);
      else if (cmd === COMMANDS.zero) zeroOwnCounts(inputs as OneClassInputs, s);
      else runShard(inputs, work, s, cmd === COMMANDS.counts ? 'counts' : 'loglik');
    } catch (e) {
      Atomics.store(ctrl, FAILED, 1);
      process.stderr.write(`E-step item ${s} failed: ${(e as Error).stack ?? String(e)}\n`);
    }
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
}

/** True when every array of the inputs lives in shared memory (what the workers need). */
export function isShared(inputs: ShardInputs): boolean {
  const shared = (o: object): boolean => Object.values(o).every((v) => !ArrayBuffer.isView(v) || (v as Int32Array).buffer instanceof SharedArrayBuffer);
  return shared(inputs) && (copiesOf(inputs) ?? []).every(shared);
}

export class EStepPool {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(CTRL_LENGTH * 4));
  private readonly workers: Worker[] = [];
  private readonly work: FbWork;
  private readonly nb = new Float64Array(64);

  /**
   * `threads` counts this thread: threads - 1 workers are started. `passes`: M-step passes the
   * pool can also run (their arrays in shared memory), by their index.
   */
  constructor(
    private readonly inputs: ShardInputs,
    threads: number,
    maxLen: number,
    private readonly passes: readonly LogitPassData[] = [],
  ) {
    if (!isShared(inputs)) throw new RangeError('E-step pool: every input array must be backed by a SharedArrayBuffer');
    this.work = createShardWork(inputs, maxLen);
    const url = new URL(compiledUrl(new URL(import.meta.url.endsWith('.ts') ? './eStepWorker.ts' : './eStepWorker.js', import.meta.url).href));
    for (let t = 1; t < threads; t++) {
      const w = new Worker(url, { workerData: { inputs, ctrl: this.ctrl, maxLen, passes } });
      w.unref(); // an idle pool never keeps the process alive
      this.workers.push(w);
    }
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Run every shard (mode as forwardBackwardShard) on the pool and this thread; returns when all are done. */
  run(mode: 'counts' | 'loglik'): void {
    this.start(COMMANDS[mode]);
  }

  /** Run every chunk of registered M-step pass `index` in `mode` (logitPassChunks.ts). */
  runPass(index: number, mode: number): void {
    this.start(COMMANDS.pass, index, mode);
  }

  /** Set the count tables' own units to 0 (before run('counts')), in fixed chunks. */
  zero(): void {
    if (zeroItems(this.inputs) > 0) this.start(COMMANDS.zero);
  }

  /** Reduce the shards' count copies of every shared unit (after run('counts')), in shard order. */
  reduce(): void {
    if (reduceItems(this.inputs) > 0) this.start(COMMANDS.reduce);
  }

  private start(cmd: number, pass = 0, mode = 0): void {
    const c = this.ctrl;
    const count = itemCount(this.inputs, this.passes, cmd, pass);
    if (count > MAX_ITEMS) throw new RangeError(`the E-step pool runs at most ${MAX_ITEMS} items per command, got ${count}`);
    const gen = (Atomics.load(c, GEN) + 1) & GEN_MASK;
    // first retag NEXT (with no item left), so that a thread still draining the last command can
    // take nothing while the new one is set up; then open it at item 0
    Atomics.store(c, NEXT, (gen << ITEM_BITS) | ITEM_MASK);
    Atomics.store(c, CMD, cmd);
    Atomics.store(c, PASS, pass);
    Atomics.store(c, MODE, mode);
    Atomics.store(c, FAILED, 0);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, NEXT, gen << ITEM_BITS);
    Atomics.store(c, GEN, gen);
    Atomics.notify(c, GEN);
    drainShards(this.inputs, this.work, this.passes, this.nb, c, gen);
    for (let d = Atomics.load(c, DONE); d < count; d = Atomics.load(c, DONE)) Atomics.wait(c, DONE, d);
    if (Atomics.load(c, FAILED)) throw new Error('an E-step shard or M-step chunk failed on a worker thread (see the message above)');
  }

  /** Stop the workers. */
  close(): void {
    Atomics.store(this.ctrl, CMD, COMMANDS.exit);
    Atomics.store(this.ctrl, GEN, (Atomics.load(this.ctrl, GEN) + 1) & GEN_MASK);
    Atomics.notify(this.ctrl, GEN);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
