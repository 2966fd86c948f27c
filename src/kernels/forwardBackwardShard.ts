import { hmmKernel, type HmmKernelMode } from './compileHmmKernel.js';
import type { FbWork } from './forwardBackward.js';
import type { HmmInputs } from './hmmInputs.js';

/**
 * What one shard of the E-step reads and writes: kernel inputs whose tables may extend past the
 * probability tables' own units (shard copies), count tables in the same layouts, shard
 * boundaries in sequences seq[s] .. seq[s+1]-1 (Int32Array(nShards+1)) and the per-shard
 * log-likelihood out [s]. Every array may live in shared memory (worker threads).
 */
export interface ShardInputs extends HmmInputs {
  cInit: Float64Array;
  cTrans: Float64Array;
  cEmis: Float64Array;
  seq: Int32Array;
  shardLogLik: Float64Array;
}

/**
 * The forward-backward (mode 'counts': ADDS expected counts; gamma [row*K + k] when given) or the
 * forward pass alone ('loglik') over the sequences of shard s; writes the shard's log-likelihood
 * to shardLogLik[s]. Sizes are checked once by the caller (checkHmmInputs on the whole panel).
 */
export function forwardBackwardShard(inp: ShardInputs, work: FbWork, s: number, mode: HmmKernelMode, gamma: Float64Array | null = null): void {
  const s0 = inp.seq[s];
  const s1 = inp.seq[s + 1];
  const kernel = hmmKernel(inp.nStates, mode);
  inp.shardLogLik[s] = kernel(
    inp.nVoice, inp.offsets.subarray(s0, s1 + 1), inp.voice, inp.initIndex.subarray(s0, s1), inp.initProb, inp.transIndex, inp.transProb,
    inp.emisIndex, inp.emisProb, work.alpha, work.emis, work.invScale, inp.cInit, inp.cTrans, inp.cEmis, mode === 'counts' ? gamma : null, null,
  );
}
