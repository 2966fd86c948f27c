/**
 * The E-step: probability tables and count tables allocated once per fit, filled every iteration.
 * Probabilities are computed per design pattern (rows with identical design rows share them), then
 * the forward-backward kernel accumulates expected counts per pattern into an EStepStatistics.
 */
import type { Block, EStepStatistics, SubModel } from '../model/subModel.js';
import { checkHmmInputs, type HmmInputs } from '../kernels/hmmInputs.js';
import { createFbWork, forwardBackward, type FbWork } from '../kernels/forwardBackward.js';
import { forwardLogLik } from '../kernels/forwardLogLik.js';
import { createViterbiWork, viterbi as viterbiKernel } from '../kernels/viterbi.js';

/** The three sub-models in Block order (initial, transition, emission). */
export type Parts = readonly [SubModel, SubModel, SubModel];

/** Table length of a sub-model: nPatterns * nGroups * nOut. */
function tableLength(part: SubModel): number {
  return part.design.nPatterns * part.nGroups * part.nOut;
}

export class EStep {
  readonly nStates: number;
  readonly nVoice: number;
  readonly nRows: number;
  readonly nSeq: number;
  /** Longest sequence (rows). */
  readonly maxLen: number;
  /** Filled by `run`: log-likelihood and expected counts, layouts as the sub-models' tables. */
  readonly stats: EStepStatistics;
  /** Probability tables of the last `run`/`logLik` (layout [(p*nGroups + g)*nOut + c]). */
  readonly probs: Record<Block, Float64Array>;
  /** Kernel inputs: the panel, pattern indices and the probability tables above. */
  readonly inputs: HmmInputs;
  private readonly work: FbWork;

  /**
   * @param parts   sub-models whose designs index the panel: initial one pattern per sequence,
   *                transition and emission one per row. Only their designs and sizes are kept;
   *                parameters are read on every `run`.
   * @param offsets panel CSR offsets; @param voice category per row, -1 = missing
   */
  constructor(parts: Parts, nStates: number, nVoice: number, offsets: Int32Array, voice: Int32Array) {
    const [initial, transition, emission] = parts;
    const shapes: [SubModel, number, number][] = [
      [initial, 1, nStates],
      [transition, nStates, nStates],
      [emission, nStates, nVoice],
    ];
    for (const [part, g, o] of shapes) {
      if (part.nGroups !== g || part.nOut !== o) {
        throw new RangeError(`${part.block} sub-model has ${part.nGroups} groups x ${part.nOut} outcomes, expected ${g} x ${o}`);
      }
    }
    this.nStates = nStates;
    this.nVoice = nVoice;
    this.nSeq = offsets.length - 1;
    this.probs = {
      initial: new Float64Array(tableLength(initial)),
      transition: new Float64Array(tableLength(transition)),
      emission: new Float64Array(tableLength(emission)),
    };
    this.stats = {
      logLik: NaN,
      counts: {
        initial: new Float64Array(tableLength(initial)),
        transition: new Float64Array(tableLength(transition)),
        emission: new Float64Array(tableLength(emission)),
      },
    };
    this.inputs = {
      nStates,
      nVoice,
      offsets,
      voice,
      initIndex: initial.design.index,
      initProb: this.probs.initial,
      transIndex: transition.design.index,
      transProb: this.probs.transition,
      emisIndex: emission.design.index,
      emisProb: this.probs.emission,
    };
    this.maxLen = checkHmmInputs(this.inputs);
    this.nRows = voice.length;
    this.work = createFbWork(nStates, this.maxLen);
  }

  /** Probability tables from the parts' current parameters. */
  computeProbabilities(parts: Parts): void {
    parts[0].probabilities(this.probs.initial);
    parts[1].probabilities(this.probs.transition);
    parts[2].probabilities(this.probs.emission);
  }

  /**
   * One E-step at the parts' current parameters: probabilities, zeroed counts, forward-backward.
   * Returns the log-likelihood (also in stats.logLik). `gamma` (length nRows*K) receives posterior
   * state probabilities [row*K + k] when given.
   */
  run(parts: Parts, gamma?: Float64Array): number {
    this.computeProbabilities(parts);
    const c = this.stats.counts;
    c.initial.fill(0);
    c.transition.fill(0);
    c.emission.fill(0);
    const ll = forwardBackward(this.inputs, this.work, { init: c.initial, trans: c.transition, emis: c.emission }, gamma);
    this.stats.logLik = ll;
    return ll;
  }

  /** Log-likelihood at the parts' current parameters by the forward pass alone. */
  logLik(parts: Parts, perSequence?: Float64Array): number {
    this.computeProbabilities(parts);
    return forwardLogLik(this.inputs, this.work, perSequence);
  }

  /** Most probable state path (0-based states per row). */
  viterbi(parts: Parts): Int32Array {
    const logInputs: HmmInputs = {
      ...this.inputs,
      initProb: new Float64Array(this.probs.initial.length),
      transProb: new Float64Array(this.probs.transition.length),
      emisProb: new Float64Array(this.probs.emission.length),
    };
    parts[0].logProbabilities(logInputs.initProb);
    parts[1].logProbabilities(logInputs.transProb);
    parts[2].logProbabilities(logInputs.emisProb);
    const out = new Int32Array(this.nRows);
    viterbiKernel(logInputs, createViterbiWork(this.nStates, this.maxLen), out);
    return out;
  }
}
