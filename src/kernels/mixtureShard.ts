/**
 * One shard of the mixture E-step (as forwardBackwardShard.ts is for one class), and the dispatch
 * the E-step pool's threads use for either kind of shard inputs.
 */
import { createMixtureWork, mixtureEStep, type MixtureInputs, type MixtureKernelMode, type MixtureWork } from './compileMixtureKernel.js';
import { createFbWork, type FbWork } from './forwardBackward.js';
import { forwardBackwardShard, type ShardInputs } from './forwardBackwardShard.js';

/**
 * The mixture kernel's inputs with count tables (layouts and strides as the probability tables),
 * shard boundaries seq (Int32Array(nShards+1), in sequences) and the per-shard log-likelihood out.
 */
export interface MixtureShardInputs extends MixtureInputs {
  cMember: Float64Array;
  cInit: Float64Array;
  cTrans: Float64Array;
  cEmis: Float64Array;
  seq: Int32Array;
  shardLogLik: Float64Array;
}

/** The mixture kernel over the sequences of shard s ('counts' ADDS counts); its log-likelihood into shardLogLik[s]. */
export function mixtureShard(inp: MixtureShardInputs, work: MixtureWork, s: number, mode: MixtureKernelMode): void {
  const counts = mode === 'counts' ? { member: inp.cMember, init: inp.cInit, trans: inp.cTrans, emis: inp.cEmis } : null;
  inp.shardLogLik[s] = mixtureEStep(inp, work, counts, {}, inp.seq[s], inp.seq[s + 1]);
}

/** Shard inputs of either E-step. */
export type AnyShardInputs = ShardInputs | MixtureShardInputs;
export type ShardWork = FbWork | MixtureWork;

function isMixture(inputs: AnyShardInputs): inputs is MixtureShardInputs {
  return 'nClasses' in inputs;
}

/** Work buffers for the shards of `inputs` (sequences up to maxLen rows). */
export function createShardWork(inputs: AnyShardInputs, maxLen: number): ShardWork {
  return isMixture(inputs) ? createMixtureWork(inputs.nClasses, inputs.nStates, maxLen) : createFbWork(inputs.nStates, maxLen);
}

/** Run shard s of either E-step. */
export function runShard(inputs: AnyShardInputs, work: ShardWork, s: number, mode: 'counts' | 'loglik'): void {
  if (isMixture(inputs)) mixtureShard(inputs, work as MixtureWork, s, mode);
  else forwardBackwardShard(inputs, work as FbWork, s, mode);
}
