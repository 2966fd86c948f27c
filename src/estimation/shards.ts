/**
 * Shards of a panel for the E-step: consecutive customers, cut by the panel alone (never by the
 * number of threads), so that every sum the E-step makes has the same order whatever the threads.
 *
 * A count-table unit (a pattern's block of a probability/count table) that rows of several shards
 * use is "shared": each shard then adds into its own copy of the unit (placed after the table's
 * units), and the copies are reduced in shard order. A unit used by one shard only is added to in
 * place, in row order, as in a single pass. So shards write disjoint entries and can run on any
 * thread in any order; with one shard nothing is copied and the pass is the unsharded one.
 */

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

/** A table's units remapped for shards (see the file header). */
export interface ShardedIndex {
  /** Per item (row or customer), the unit it reads and adds to: its own, or its shard's copy. */
  index: Int32Array;
  /** Units of the table itself. */
  nUnits: number;
  /** Shared units, in unit order; the copy of shared[j] for shard s is unit nUnits + s*shared.length + j. */
  shared: Int32Array;
}

/**
 * Remap `index` (unit per item) for shards whose items are itemStart[s] .. itemStart[s+1]-1.
 * Items with `skip(item)` true are never read by the kernel and do not make a unit shared.
 */
export function shardIndex(index: Int32Array, nUnits: number, itemStart: Int32Array, skip?: (item: number) => boolean): ShardedIndex {
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
  const slot = new Int32Array(nUnits).fill(-1);
  const shared: number[] = [];
  for (let u = 0; u < nUnits; u++) if (owner[u] === -2) slot[u] = shared.push(u) - 1;
  const nShared = shared.length;
  const out = new Int32Array(index.length);
  for (let s = 0; s < nShards; s++) {
    for (let i = itemStart[s]; i < itemStart[s + 1]; i++) {
      const u = index[i];
      out[i] = slot[u] >= 0 ? nUnits + s * nShared + slot[u] : u;
    }
  }
  return { index: out, nUnits, shared: Int32Array.from(shared) };
}

/** Copy every shared unit's entries (unitSize values) into each shard's copy. */
export function spreadShared(table: Float64Array, sh: ShardedIndex, nShards: number, unitSize: number): void {
  const m = sh.shared.length;
  for (let s = 0; s < nShards; s++) {
    for (let j = 0; j < m; j++) {
      const src = sh.shared[j] * unitSize;
      const dst = (sh.nUnits + s * m + j) * unitSize;
      for (let x = 0; x < unitSize; x++) table[dst + x] = table[src + x];
    }
  }
}

/** Set every shared unit's entries to the sum of its shards' copies, added in shard order. */
export function reduceShared(table: Float64Array, sh: ShardedIndex, nShards: number, unitSize: number): void {
  const m = sh.shared.length;
  for (let j = 0; j < m; j++) {
    const dst = sh.shared[j] * unitSize;
    for (let x = 0; x < unitSize; x++) {
      let sum = table[dst + x]; // 0: no item adds to a shared unit in place
      for (let s = 0; s < nShards; s++) sum += table[(sh.nUnits + s * m + j) * unitSize + x];
      table[dst + x] = sum;
    }
  }
}
