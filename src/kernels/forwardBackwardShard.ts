import { hmmKernel, type HmmKernelMode } from './compileHmmKernel.js';
import type { FbWork } from './forwardBackward.js';
import type { HmmInputs } from './hmmInputs.js';
import { spreadShardCopies, type ShardCopies } from './shardCopies.js';

/**
 * What one shard of the E-step reads and writes: kernel inputs whose tables may extend past the
 * probability tables' own units (shard copies), count tables in the same layouts, shard
 * boundaries in sequences seq[s] .. seq[s+1]-1 (Int32Array(nShards+1)) and the per-shard
 * log-likelihood out [s]. Every array may live in shared memory (worker threads).
 *
 * With `copies` (initial, transition, emission tables; see shardCopies.ts) each shard first copies
 * the probabilities of the shared units it uses into its own copies and, with counts, zeroes the
 * count entries its rows add to, so that nothing is done for the whole table in one thread.
 * Without, the caller does both.
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
 * Set to 0 every count entry the forward-backward over shard s adds to (the entries of its rows'
 * units and of its copies): the first-period entries of its sequences, the transition entries of
 * every row after a sequence's first, the observed voice's emission entries.
 */
export function zeroShardCounts(inp: ShardInputs, s: number): void {
  const K = inp.nStates;
  const V = inp.nVoice;
  const KK = K * K;
  const KV = K * V;
  const { offsets, voice, initIndex, transIndex, emisIndex, cInit, cTrans, cEmis } = inp;
  const s1 = inp.seq[s + 1];
  for (let q = inp.seq[s]; q < s1; q++) {
    const r0 = offsets[q];
    const r1 = offsets[q + 1];
    if (r1 === r0) continue;
    const ib = initIndex[q] * K;
    for (let k = 0; k < K; k++) cInit[ib + k] = 0;
    for (let r = r0; r < r1; r++) {
      if (r > r0) {
        const tb = transIndex[r] * KK;
        for (let x = 0; x < KK; x++) cTrans[tb + x] = 0;
      }
      const v = voice[r];
      if (v >= 0) {
        const eb = emisIndex[r] * KV + v;
        for (let k = 0; k < K; k++) cEmis[eb + k * V] = 0;
      }
    }
  }
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
    if (mode === 'counts') zeroShardCounts(inp, s);
  }
  const kernel = hmmKernel(inp.nStates, mode);
  inp.shardLogLik[s] = kernel(
    inp.nVoice, inp.offsets.subarray(s0, s1 + 1), inp.voice, inp.initIndex.subarray(s0, s1), inp.initProb, inp.transIndex, inp.transProb,
    inp.emisIndex, inp.emisProb, work.alpha, work.emis, work.invScale, inp.cInit, inp.cTrans, inp.cEmis, mode === 'counts' ? gamma : null, null,
  );
}
