/**
 * Shards of a panel for the E-step: consecutive customers, cut by the panel alone (never by the
 * number of threads), so that every sum the E-step makes has the same order whatever the threads.
 *
 * A count-table unit (a pattern's block of a probability/count table) that rows of several shards
 * use is "shared": each shard then adds into its own copy of the unit (placed after the table's
 * units; a shard holds copies only of the shared units it uses), and the copies are reduced in
 * shard order. A unit used by one shard only is added to in
 * place, in row order, as in a single pass. So shards write disjoint entries and can run on any
 * thread in any order; with one shard nothing is copied and the pass is the unsharded one.
 */
import { reduceShardCopies, spreadShardCopies, type ShardCopies } from '../kernels/shardCopies.js';

/** Rows per shard the panel is cut into (at customer boundaries; panels up to this size are one shard). */
export const SHARD_ROWS = 1 << 16;
/** At most this many shards. */
export const MAX_SHARDS = 256;

/** Shard boundaries in customers: shard i holds customers seq[i] .. seq[i+1]-1 (Int32Array(nShards+1)). */
export function panelShards(offsets: Int32Array, shardRows = SHARD_ROWS): Int32Array {
  const nSeq = offsets.length - 1;
  const nRows = nSeq >= 0 ? offsets[nSeq] : 0;
  const n = Math.max(1, Math.min(MAX_SHARDS, Math.ceil(nRows / shardRows), nSeq));
  const cuts = [0];
  let s = 0;
  for (let i = 1; i < n; i++) {
    const target = (nRows * i) / n;
    while (s < nSeq && offsets[s] < target) s++;
    if (s > cuts[cuts.length - 1] && s < nSeq) cuts.push(s);
  }
  cuts.push(nSeq);
  return Int32Array.from(cuts);
}

/** A table's units remapped for shards (see the file header and kernels/shardCopies.ts for the copies' layout). */
export interface ShardedIndex extends ShardCopies {
  /** Per item (row or customer), the unit it reads and adds to: its own, or its shard's copy. */
  index: Int32Array;
}

/**
 * Remap `index` (unit per item) for shards whose items are itemStart[s] .. itemStart[s+1]-1.
 * Items with `skip(item)` true are never read by the kernel and do not make a unit shared. A shard
 * gets a copy of a shared unit only when one of its items uses it; copies are numbered shard by
 * shard, in the order of first use.
 */
export function shardIndex(index: Int32Array, nUnits: number, itemStart: Int32Array, skip?: (item: number) => boolean, unitSize = 1): ShardedIndex {
  const nShards = itemStart.length - 1;
  const owner = new Int32Array(nUnits).fill(-1); // -1 unused, -2 shared, else the one shard
  for (let s = 0; s < nShards; s++) {
    for (let i = itemStart[s]; i < itemStart[s + 1]; i++) {
      if (skip?.(i)) continue;
      const u = index[i];
      if (owner[u] === -1) owner[u] = s;
      else if (owner[u] !== s) owner[u] = -2;
    }
  }
  const slot = new Int32Array(nUnits).fill(-1); // shared unit -> its j
  const shared: number[] = [];
  for (let u = 0; u < nUnits; u++) if (owner[u] === -2) slot[u] = shared.push(u) - 1;
  const m = shared.length;
  // copies shard by shard: lastCopy[j] = the copy of shared[j] of the shard being numbered, or -1
  const lastShard = new Int32Array(m).fill(-1);
  const lastCopy = new Int32Array(m);
  const copyStart = new Int32Array(nShards + 1);
  const copyOf: number[] = [];
  const perShared = new Int32Array(m);
  const out = new Int32Array(index.length);
  for (let s = 0; s < nShards; s++) {
    copyStart[s] = copyOf.length;
    for (let i = itemStart[s]; i < itemStart[s + 1]; i++) {
      const u = index[i];
      const j = slot[u];
      if (j < 0 || skip?.(i)) {
        out[i] = u; // own unit, or never read (a skipped item of a shared unit)
        continue;
      }
      if (lastShard[j] !== s) {
        lastShard[j] = s;
        lastCopy[j] = copyOf.push(u) - 1;
        perShared[j]++;
      }
      out[i] = nUnits + lastCopy[j];
    }
  }
  copyStart[nShards] = copyOf.length;
  // the copies of each shared unit in shard order (copies are numbered in shard order)
  const sumStart = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) sumStart[j + 1] = sumStart[j] + perShared[j];
  const fillAt = sumStart.slice(0, m);
  const sumCopy = new Int32Array(copyOf.length);
  for (let c = 0; c < copyOf.length; c++) sumCopy[fillAt[slot[copyOf[c]]]++] = c;
  return { index: out, nUnits, unitSize, shared: Int32Array.from(shared), copyStart, copyOf: Int32Array.from(copyOf), sumStart, sumCopy };
}

/** The layout of an unsharded table: no shared unit, no copy. */
export function noCopies(index: Int32Array, nUnits: number, unitSize: number, nShards: number): ShardedIndex {
  const none = new Int32Array(0);
  return { index, nUnits, unitSize, shared: none, copyStart: new Int32Array(nShards + 1), copyOf: none, sumStart: new Int32Array(1), sumCopy: none };
}

/** Copy every shared unit's entries into each of its shard copies. */
export function spreadShared(table: Float64Array, sh: ShardedIndex): void {
  for (let s = 0; s + 1 < sh.copyStart.length; s++) spreadShardCopies(table, sh, s);
}

/** Set every shared unit's entries to the sum of its shards' copies, added in shard order. */
export function reduceShared(table: Float64Array, sh: ShardedIndex): void {
  reduceShardCopies(table, sh, 0, sh.shared.length);
}
