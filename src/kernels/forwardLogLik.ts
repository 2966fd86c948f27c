import { checkHmmSizes, longestSequence, type HmmInputs } from './hmmInputs.js';
import { hmmKernel } from './compileHmmKernel.js';
import { checkWork, type FbWork } from './forwardBackward.js';

const EMPTY = new Float64Array(0);

/**
 * Log-likelihood by the forward recursion alone (the same scaled path as forward-backward).
 * When `perSequence` (length nSeq) is given, writes each sequence's log-likelihood there.
 * Returns -Infinity when some sequence has probability 0.
 */
export function forwardLogLik(inp: HmmInputs, work: FbWork, perSequence?: Float64Array): number {
  checkHmmSizes(inp);
  const K = inp.nStates;
  const nSeq = inp.offsets.length - 1;
  if (perSequence !== undefined && perSequence.length !== nSeq) {
    throw new RangeError(`perSequence: length ${perSequence.length}, expected ${nSeq}`);
  }
  checkWork(work, K, longestSequence(inp.offsets));
  if (perSequence !== undefined) perSequence.fill(-Infinity);
  return hmmKernel(K, 'loglik')(
    inp.nVoice, inp.offsets, inp.voice, inp.initIndex, inp.initProb, inp.transIndex, inp.transProb, inp.emisIndex, inp.emisProb,
    work.alpha, work.emis, work.invScale, EMPTY, EMPTY, EMPTY, null, perSequence ?? null,
  );
}
