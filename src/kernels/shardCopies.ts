/**
 * Per-shard copies of shared table units (estimation/shards.ts builds them): the work around the
 * forward-backward that each shard does for itself (copy the probabilities of its shared units in,
 * zero the count entries its rows add to) and the reduction of the copies, in shard order, for
 * any range of shared units. Pure functions over typed arrays, so any thread can run any shard or
 * any range and the numbers never depend on which.
 *
 * Layout of one table (probabilities or counts, unitSize values per unit):
 *   units 0 .. nUnits-1          the table's own units
 *   units nUnits + c             copy c (c = 0 .. nCopies-1)
 *   copyStart Int32Array(nShards+1): the copies of shard s are copyStart[s] .. copyStart[s+1]-1
 *   copyOf    Int32Array(nCopies):   the unit copy c mirrors
 *   shared    Int32Array(m):         the shared units, in unit order
 *   sumStart  Int32Array(m+1), sumCopy Int32Array(nCopies): the copies of shared[j] are
 *             sumCopy[sumStart[j] .. sumStart[j+1]-1], in shard order
 * A shard holds a copy only of the shared units its rows use.
 */
export interface ShardCopies {
  nUnits: number;
  unitSize: number;
  copyStart: Int32Array;
  copyOf: Int32Array;
  shared: Int32Array;
  sumStart: Int32Array;
  sumCopy: Int32Array;
}

/** Copy the probabilities of the shared units shard s uses into its copies. */
export function spreadShardCopies(table: Float64Array, sc: ShardCopies, s: number): void {
  const us = sc.unitSize;
  const base = sc.nUnits * us;
  const c1 = sc.copyStart[s + 1];
  for (let c = sc.copyStart[s]; c < c1; c++) {
    const src = sc.copyOf[c] * us;
    const dst = base + c * us;
    for (let x = 0; x < us; x++) table[dst + x] = table[src + x];
  }
}

/** Set every entry of the copies of shard s to 0. */
export function zeroShardCopies(table: Float64Array, sc: ShardCopies, s: number): void {
  const us = sc.unitSize;
  table.fill(0, (sc.nUnits + sc.copyStart[s]) * us, (sc.nUnits + sc.copyStart[s + 1]) * us);
}

/**
 * Shared units j0 .. j1-1 (indices into `shared`): every entry set to the sum of the unit's copies,
 * added in shard order starting from 0 (the kernel never adds to a shared unit in place).
 */
export function reduceShardCopies(table: Float64Array, sc: ShardCopies, j0: number, j1: number): void {
  const us = sc.unitSize;
  const base = sc.nUnits * us;
  for (let j = j0; j < j1; j++) {
    const dst = sc.shared[j] * us;
    const k0 = sc.sumStart[j];
    const k1 = sc.sumStart[j + 1];
    for (let x = 0; x < us; x++) {
      let sum = 0;
      for (let k = k0; k < k1; k++) sum += table[base + sc.sumCopy[k] * us + x];
      table[dst + x] = sum;
    }
  }
}
