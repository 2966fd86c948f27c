import type { PatternDesign } from './patternDesign.js';
import type { LogitPassData } from './logitPassChunks.js';

/**
 * The three sub-models of DESIGN.md and the optional fourth, the firm's selection model (the
 * intervention as a second observed outcome of each period, see selectionModel.ts).
 */
export type CoreBlock = 'initial' | 'transition' | 'emission';
export type Block = CoreBlock | 'selection';
/** The three blocks every model has, in order (a selection sub-model, when present, comes after them). */
export const BLOCKS: readonly CoreBlock[] = ['initial', 'transition', 'emission'];

/** The sub-models of a model in Block order: initial, transition, emission, then (optional) selection. */
export type Parts = readonly [SubModel, SubModel, SubModel, ...SubModel[]];

/**
 * Every sub-model is a conditional categorical regression over design patterns:
 * for each pattern p and each group g, a distribution over nOut outcomes.
 *   initial:    nGroups = 1,        nOut = K       (state of the first period)
 *   transition: nGroups = K origin, nOut = K destination
 *   emission:   nGroups = K state,  nOut = nVoice
 *   selection:  nGroups = K state,  nOut = 2 (no intervention, intervention)
 * Probability tables and E-step counts share one layout: row-major [(p*nGroups + g)*nOut + c].
 */
export interface SubModel {
  readonly block: Block;
  /** Where the E-step keeps this part's counts when that is not `block` (a part of one class of a mixture). */
  readonly countsKey?: string;
  readonly nGroups: number;
  readonly nOut: number;
  readonly design: PatternDesign;
  readonly nParams: number;
  /** Names like `transition[2->3]:lag(intervention)`, `emission[1]:complaint:(Intercept)`. */
  parameterNames(): string[];
  getParams(out: Float64Array, offset: number): void;
  setParams(src: Float64Array, offset: number): void;
  /** Fill probabilities for the model's own patterns, layout [(p*nGroups + g)*nOut + c], length nPatterns*nGroups*nOut. */
  probabilities(out: Float64Array): void;
  /**
   * Same for arbitrary design rows (row-major [p*nCols + c], columns as `design.names`): used by
   * the effects report and the simulator. out length nPatterns*nGroups*nOut.
   */
  probabilitiesFor(rows: Float64Array, nPatterns: number, out: Float64Array): void;
  /** Same table in log space (used by Viterbi). */
  logProbabilities(out: Float64Array): void;
  /**
   * Optional per-unit table of the observed outcome only (the E-step's per-row emission tables):
   * out row-major [u*nGroups + g] = P(outcome[u] | group g, design row of unit u), or its log when
   * `log`; 1 (log: 0) where outcome[u] < 0. Same bits as the entries of `probabilities` /
   * `logProbabilities`. outcome has one entry per unit of `design.index`.
   */
  observedProbabilities?(outcome: Int32Array, log: boolean, out: Float64Array): void;
  /**
   * Optional table of grouped units (see GroupedUnits): out row-major [u*nGroups + g] =
   * P(outcome[u] | group g, pattern of u), or its log when `log`. Same bits as the entries of
   * `probabilities` / `logProbabilities`.
   */
  groupedProbabilities?(units: GroupedUnits, log: boolean, out: Float64Array): void;
  /** Weighted M-step: maximise sum(counts * log prob) - ridge/2 * |slopes|^2 by Newton-Raphson. */
  mStep(stats: EStepStatistics, options: MStepOptions): MStepReport;
  /**
   * The M-step objective at the current parameters (for tests and monitoring). With `observed`
   * (stats.observed[block], only for sub-models with observedProbabilities), counts are per-unit
   * weights [u*nGroups + g] of those outcomes; likewise for gradient and hessian.
   */
  objective(counts: Float64Array, ridge: number, observed?: ObservedUnits): number;
  /** Exact gradient / Hessian of `objective` with respect to the flat parameters (Hessian row-major nParams^2). */
  gradient(counts: Float64Array, ridge: number, out: Float64Array, observed?: ObservedUnits): void;
  hessian(counts: Float64Array, ridge: number, out: Float64Array, observed?: ObservedUnits): void;
  /**
   * Relabel states: new state s is old state perm[s]. Changes parameters so the model is the
   * same distribution under the new labels (exactly, for every pattern).
   */
  permuteStates(perm: Int32Array): void;
  clone(): SubModel;
  /** Optional: whether the M-step pass runs in chunks of patterns that worker threads can share (logitPassChunks.ts). */
  readonly chunkedPass?: boolean;
  /**
   * Optional: move the chunked pass's inputs into shared memory, with the E-step's shared counts
   * (and, with grouped units, its shared per-unit probability table, so that groupedProbabilities
   * runs on the workers too); returns them for the workers.
   */
  shareParallelPass?(counts: Float64Array, units: GroupedUnits | null, unitProbs?: Float64Array): LogitPassData;
  /** Optional: run the chunked pass through `run(mode)` (worker threads; shared with clones), or in this thread again (null). */
  useParallelPass?(run: ((mode: number) => void) | null): void;
}

export interface MStepOptions {
  /** Ridge penalty (on all coefficients except thresholds/intercepts where stated) against separation. */
  ridge: number;
  maxNewtonIter: number;
  /** Stop Newton when the largest |step| falls below this. */
  newtonTol: number;
  /**
   * Also stop when the gain Newton's quadratic model predicts (half the Newton decrement) is below
   * gainTol * (1 + |objective|). Default 1e-12; 0 iterates until the step criterion.
   */
  gainTol?: number;
}

export interface MStepReport {
  iterations: number;
  /** Objective before and after. After must be >= before (step-halving guarantees it). */
  before: number;
  after: number;
}

/**
 * What the E-step fills. Each sub-model's M-step reads only `counts[this.block]`
 * (layout as the sub-model's probability table).
 */
export interface EStepStatistics {
  logLik: number;
  /**
   * Keyed by block; inside a mixture of classes by each part's `countsKey` (class parts have their
   * own tables, see mixtureModel.ts), so read them with partCounts / partObserved.
   */
  counts: Record<string, Float64Array>;
  /**
   * Per-unit (observed-outcome) counts, for a block whose sub-model has `observedProbabilities`:
   * when `observed[block]` is set, `counts[block]` is row-major [u*nGroups + g], the weight of group
   * g at unit u (of `design.index`) whose outcome is observed[block][u] (-1: no outcome, weight
   * ignored), instead of the per-pattern table. When it is a GroupedUnits, counts[block] is
   * [u*nGroups + g] over those units. The M-step is the same maximisation either way.
   */
  observed?: Partial<Record<string, ObservedUnits>>;
}

/** The key of a part's tables in EStepStatistics: its own countsKey (a class's part), else its block. */
export function countsKeyOf(part: SubModel): string {
  return part.countsKey ?? part.block;
}

/** The E-step counts a part's gradient, Hessian and objective read. */
export function partCounts(stats: EStepStatistics, part: SubModel): Float64Array {
  return stats.counts[countsKeyOf(part)];
}

/** The observed units of a part's counts (per-row or grouped layouts), if any. */
export function partObserved(stats: EStepStatistics, part: SubModel): ObservedUnits | undefined {
  return stats.observed?.[countsKeyOf(part)];
}

/**
 * Observed units grouped by pattern: the distinct (pattern, observed outcome) pairs of a design's
 * rows. Units of pattern p are start[p] .. start[p+1]-1 (Int32Array(nPatterns+1)), in increasing
 * outcome order; outcome[u] is unit u's outcome. A per-unit table [u*nGroups + g] then holds what
 * the per-pattern table holds at its non-zero count entries, and nothing else.
 */
export interface GroupedUnits {
  start: Int32Array;
  outcome: Int32Array;
}

/** Per-unit outcomes (units of `design.index`, -1 = none) or grouped units. */
export type ObservedUnits = Int32Array | GroupedUnits;
