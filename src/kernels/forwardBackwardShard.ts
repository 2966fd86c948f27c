import { hmmKernel, type HmmKernelMode } from './compileHmmKernel.js';
import type { FbWork } from './forwardBackward.js';
import type { HmmInputs } from './hmmInputs.js';
import { spreadShardCopies, zeroShardCopies, type ShardCopies } from './shardCopies.js';

/**
 * What one shard of the E-step reads and writes: kernel inputs whose tables may extend past the
 * probability tables' own units (shard copies), count tables in the same layouts, shard
 * boundaries in sequences seq[s] .. seq[s+1]-1 (Int32Array(nShards+1)) and the per-shard
 * log-likelihood out [s]. Every array may live in shared memory (worker threads).
 *
 * With `copies` (initial, transition, emission tables; see shardCopies.ts) each shard first copies
 * the probabilities of the shared units it uses into its own copies and, with counts, zeroes its
 * copies' counts; the caller zeroes the tables' own units before (zeroOwnCounts). Without
 * `copies`, the caller does all of it.
 */
export interface ShardInputs extends HmmInputs {
  cInit: Float64Array;
  cTrans: Float64Array;
  cEmis: Float64Array;
  seq: Int32Array;
  shardLogLik: Float64Array;
  copies?: readonly [ShardCopies, ShardCopies, ShardCopies];
}

/**
 * The forward-backward (mode 'counts': ADDS expected counts; gamma [row*K + k] when given) or the
 * forward pass alone ('loglik') over the sequences of shard s; writes the shard's log-likelihood
 * to shardLogLik[s]. Sizes are checked once by the caller (checkHmmInputs on the whole panel).
 */
export function forwardBackwardShard(inp: ShardInputs, work: FbWork, s: number, mode: HmmKernelMode, gamma: Float64Array | null = null): void {
  const s0 = inp.seq[s];
  const s1 = inp.seq[s + 1];
  if (inp.copies !== undefined) {
    spreadShardCopies(inp.initProb, inp.copies[0], s);
    spreadShardCopies(inp.transProb, inp.copies[1], s);
    spreadShardCopies(inp.emisProb, inp.copies[2], s);
    if (mode === 'counts') {
      zeroShardCopies(inp.cInit, inp.copies[0], s);
      zeroShardCopies(inp.cTrans, inp.copies[1], s);
      zeroShardCopies(inp.cEmis, inp.copies[2], s);
    }
  }
  const kernel = hmmKernel(inp.nStates, mode);
  inp.shardLogLik[s] = kernel(
    inp.nVoice, inp.offsets.subarray(s0, s1 + 1), inp.voice, inp.initIndex.subarray(s0, s1), inp.initProb, inp.transIndex, inp.transProb,
    inp.emisIndex, inp.emisProb, work.alpha, work.emis, work.invScale, inp.cInit, inp.cTrans, inp.cEmis, mode === 'counts' ? gamma : null, null,
  );
}

/** Count entries per item of zeroOwnCounts (2 MiB of doubles). */
export const ZERO_CHUNK = 1 << 18;

/** The own units' count entries (before any copy) of the three tables, in items of ZERO_CHUNK entries. */
export function zeroOwnItems(inp: ShardInputs): number {
  let n = 0;
  for (const sc of inp.copies ?? []) n += Math.ceil((sc.nUnits * sc.unitSize) / ZERO_CHUNK);
  return n;
}

/** Item `item` of zeroOwnCounts: ZERO_CHUNK entries of one table's own units set to 0. */
export function zeroOwnCounts(inp: ShardInputs, item: number): void {
  const tables = [inp.cInit, inp.cTrans, inp.cEmis];
  let i = item;
  for (let b = 0; b < 3; b++) {
    const sc = inp.copies![b];
    const own = sc.nUnits * sc.unitSize;
    const n = Math.ceil(own / ZERO_CHUNK);
    if (i < n) {
      tables[b].fill(0, i * ZERO_CHUNK, Math.min(own, (i + 1) * ZERO_CHUNK));
      return;
    }
    i -= n;
  }
  throw new RangeError(`zeroing item ${item} out of range`);
}
