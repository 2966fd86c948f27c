import { checkHmmSizes, longestSequence, type HmmInputs } from './hmmInputs.js';
import { hmmKernel } from './compileHmmKernel.js';

/**
 * Work buffers of the forward-backward kernels, sized by the longest sequence (maxLen) and K.
 *   alpha, emis  row-major [t*K + k], length maxLen*K
 *   invScale     [t], length maxLen
 */
export interface FbWork {
  nStates: number;
  maxLen: number;
  alpha: Float64Array;
  emis: Float64Array;
  invScale: Float64Array;
}

export function createFbWork(nStates: number, maxLen: number): FbWork {
  if (!Number.isInteger(nStates) || nStates < 1) throw new RangeError(`nStates must be an integer >= 1, got ${nStates}`);
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new RangeError(`maxLen must be an integer >= 0, got ${maxLen}`);
  const n = Math.max(1, maxLen);
  return {
    nStates,
    maxLen: n,
    alpha: new Float64Array(n * nStates),
    emis: new Float64Array(n * nStates),
    invScale: new Float64Array(n),
  };
}

/**
 * E-step statistics: expected counts in the layouts of the probability tables (see hmmInputs.ts).
 *   init  [p*K + k]            expected first-period states
 *   trans [(p*K + i)*K + j]    expected transitions i -> j into rows of pattern p
 *   emis  [(p*K + k)*V + c]    expected state-k rows of pattern p with observed voice c
 */
export interface HmmCounts {
  init: Float64Array;
  trans: Float64Array;
  emis: Float64Array;
}

export function checkWork(work: FbWork, K: number, maxLenNeeded: number): void {
  if (work.nStates !== K) throw new RangeError(`work buffers are for ${work.nStates} states, inputs have ${K}`);
  if (
    work.alpha.length < work.maxLen * K ||
    work.emis.length < work.maxLen * K ||
    work.invScale.length < work.maxLen
  ) {
    throw new RangeError('work buffers are shorter than their declared size');
  }
  if (maxLenNeeded > work.maxLen) throw new RangeError(`a sequence has ${maxLenNeeded} rows, work buffers hold ${work.maxLen}`);
}

/**
 * Scaled forward-backward over every sequence. ADDS expected counts to `counts` (the caller zeroes
 * them) and, when `gamma` is given, writes posterior state probabilities row-major [row*K + k].
 * Returns the log-likelihood; -Infinity if some sequence has probability 0 (counts then invalid).
 *
 * Time convention: the transition into row t uses row t's transition pattern.
 */
export function forwardBackward(inp: HmmInputs, work: FbWork, counts: HmmCounts, gamma?: Float64Array): number {
  const nRows = checkHmmSizes(inp);
  const K = inp.nStates;
  if (counts.init.length !== inp.initProb.length) throw new RangeError(`counts.init: length ${counts.init.length}, expected ${inp.initProb.length}`);
  if (counts.trans.length !== inp.transProb.length) throw new RangeError(`counts.trans: length ${counts.trans.length}, expected ${inp.transProb.length}`);
  if (counts.emis.length !== inp.emisProb.length) throw new RangeError(`counts.emis: length ${counts.emis.length}, expected ${inp.emisProb.length}`);
  if (gamma !== undefined && gamma.length !== nRows * K) throw new RangeError(`gamma: length ${gamma.length}, expected ${nRows * K}`);
  checkWork(work, K, longestSequence(inp.offsets));
  return hmmKernel(K, 'counts')(
    inp.nVoice, inp.offsets, inp.voice, inp.initIndex, inp.initProb, inp.transIndex, inp.transProb, inp.emisIndex, inp.emisProb,
    work.alpha, work.emis, work.invScale, counts.init, counts.trans, counts.emis, gamma ?? null, null,
  );
}
