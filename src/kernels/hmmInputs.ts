/**
 * The typed inputs shared by the forward-backward, forward-only and Viterbi kernels: a panel in
 * CSR layout plus per-pattern probability tables and a pattern index per unit.
 *
 * Layouts (K = nStates, V = nVoice):
 *   offsets     Int32Array(nSeq+1): rows of sequence s are offsets[s] .. offsets[s+1]-1
 *   voice       Int32Array(nRows): category in [0, V), -1 = missing (emission probability 1)
 *   initIndex   Int32Array(nSeq): initial pattern per sequence
 *   initProb    row-major [p*K + k]                 (one group: [(p*1 + 0)*K + k])
 *   transIndex  Int32Array(nRows): transition pattern of the transition INTO each row
 *               (the pattern of a sequence's first row is never used)
 *   transProb   row-major [(p*K + i)*K + j]        (origin i, destination j)
 *   emisIndex   Int32Array(nRows): emission pattern per row
 *   emisProb    row-major [(p*K + k)*V + c]
 * Count tables of the E-step have the same layouts as the probability tables.
 */
export interface HmmInputs {
  nStates: number;
  nVoice: number;
  offsets: Int32Array;
  voice: Int32Array;
  initIndex: Int32Array;
  initProb: Float64Array;
  transIndex: Int32Array;
  transProb: Float64Array;
  emisIndex: Int32Array;
  emisProb: Float64Array;
}

/** Number of patterns a table holds, or a RangeError if its length is not a multiple of the group size. */
function patternsIn(name: string, table: Float64Array, per: number): number {
  if (table.length % per !== 0) {
    throw new RangeError(`${name}: length ${table.length} is not a multiple of ${per}`);
  }
  return table.length / per;
}

/**
 * Check every length (O(1)): RangeError on a mismatch. Called at the entry of every kernel.
 * Returns the number of rows.
 */
export function checkHmmSizes(inp: HmmInputs): number {
  const K = inp.nStates;
  const V = inp.nVoice;
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`nStates must be an integer >= 1, got ${K}`);
  if (!Number.isInteger(V) || V < 1) throw new RangeError(`nVoice must be an integer >= 1, got ${V}`);
  const nSeq = inp.offsets.length - 1;
  if (nSeq < 0) throw new RangeError('offsets must have length nSeq+1 >= 1');
  if (inp.offsets[0] !== 0) throw new RangeError(`offsets[0] must be 0, got ${inp.offsets[0]}`);
  const nRows = inp.offsets[nSeq];
  if (inp.voice.length !== nRows) throw new RangeError(`voice: length ${inp.voice.length}, expected ${nRows} rows`);
  if (inp.initIndex.length !== nSeq) throw new RangeError(`initIndex: length ${inp.initIndex.length}, expected ${nSeq} sequences`);
  if (inp.transIndex.length !== nRows) throw new RangeError(`transIndex: length ${inp.transIndex.length}, expected ${nRows} rows`);
  if (inp.emisIndex.length !== nRows) throw new RangeError(`emisIndex: length ${inp.emisIndex.length}, expected ${nRows} rows`);
  patternsIn('initProb', inp.initProb, K);
  patternsIn('transProb', inp.transProb, K * K);
  patternsIn('emisProb', inp.emisProb, K * V);
  return nRows;
}

/**
 * Full check of contents (O(nRows)): offsets non-decreasing, voice and pattern indices in range.
 * Done once when an E-step is set up, not on every iteration. Returns the longest sequence length.
 */
export function checkHmmInputs(inp: HmmInputs): number {
  const nRows = checkHmmSizes(inp);
  const K = inp.nStates;
  const V = inp.nVoice;
  const nSeq = inp.offsets.length - 1;
  const nInit = inp.initProb.length / K;
  const nTrans = inp.transProb.length / (K * K);
  const nEmis = inp.emisProb.length / (K * V);
  let maxLen = 0;
  for (let s = 0; s < nSeq; s++) {
    const len = inp.offsets[s + 1] - inp.offsets[s];
    if (len < 0) throw new RangeError(`offsets must be non-decreasing (sequence ${s})`);
    if (len > maxLen) maxLen = len;
    const p = inp.initIndex[s];
    if (!(p >= 0 && p < nInit)) throw new RangeError(`initIndex[${s}] = ${p} outside [0, ${nInit})`);
  }
  for (let r = 0; r < nRows; r++) {
    const v = inp.voice[r];
    if (!(v >= -1 && v < V)) throw new RangeError(`voice[${r}] = ${v} outside [-1, ${V})`);
    const e = inp.emisIndex[r];
    if (!(e >= 0 && e < nEmis)) throw new RangeError(`emisIndex[${r}] = ${e} outside [0, ${nEmis})`);
  }
  for (let s = 0; s < nSeq; s++) {
    // The first row's transition pattern is never read, so it is not checked.
    for (let r = inp.offsets[s] + 1; r < inp.offsets[s + 1]; r++) {
      const p = inp.transIndex[r];
      if (!(p >= 0 && p < nTrans)) throw new RangeError(`transIndex[${r}] = ${p} outside [0, ${nTrans})`);
    }
  }
  return maxLen;
}

/** Length of the longest sequence. */
export function longestSequence(offsets: Int32Array): number {
  let maxLen = 0;
  for (let s = 0; s + 1 < offsets.length; s++) {
    const len = offsets[s + 1] - offsets[s];
    if (len > maxLen) maxLen = len;
  }
  return maxLen;
}
