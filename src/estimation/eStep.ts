/**
 * The E-step: probability tables and count tables allocated once per fit, filled every iteration.
 * Probabilities are computed per design pattern (rows with identical design rows share them), then
 * the forward-backward kernel accumulates expected counts per pattern into an EStepStatistics.
 *
 * Emission tables come in one of two representations, chosen per fit by size (the kernel is the
 * same for both):
 *   - per pattern: probabilities and counts [(p*K + k)*V + c], K*V values per emission pattern;
 *   - per row (observed voice only): when nearly every row has its own emission pattern (a
 *     continuous covariate), the forward-backward only ever reads the observed voice's probability
 *     and adds to the observed voice's count. The kernel is then given V' = 1, voice' = 0 (-1 when
 *     missing), emisIndex[r] = r and tables [r*K + k]: emisProb = P(voice_r | state k, x_r),
 *     counts = posterior weight of state k at row r. K values per row instead of K*V per pattern;
 *     the emission M-step reads them with the row -> voice map in stats.observed.emission;
 *   - per unit: the distinct (pattern, observed voice) pairs of the panel's rows (GroupedUnits,
 *     grouped by pattern). As per row, V' = 1 and voice' = 0 (-1 missing), but emisIndex[r] is the
 *     row's unit and tables are [u*K + k]: emisProb = P(voice_u | state k, pattern_u), counts =
 *     summed posterior weight of state k over the unit's rows, the same sums (same rows, same order)
 *     as the per-pattern table's non-zero entries, K values per unit; the emission M-step reads them
 *     grouped by pattern (stats.observed.emission is the GroupedUnits), one softmax per pattern.
 * With a selection sub-model (the firm's intervention as a second outcome) the kernel always reads
 * per-row tables: emisProb[r*K + k] is the joint probability of the row's voice and intervention
 * (jointEmission.ts), the kernel's per-row state weights are kept aside, and stats.counts.emission
 * and stats.counts.selection are per-pattern tables filled from them after every run.
 */
import type { Block, EStepStatistics, GroupedUnits, Parts, SubModel } from '../model/subModel.js';
import type { SelectionRows } from '../data/selectionDesign.js';
import { JointEmission } from './jointEmission.js';
import { checkHmmInputs, type HmmInputs } from '../kernels/hmmInputs.js';
import { createFbWork, forwardBackward, type FbWork } from '../kernels/forwardBackward.js';
import { forwardLogLik } from '../kernels/forwardLogLik.js';
import { createViterbiWork, viterbi as viterbiKernel } from '../kernels/viterbi.js';
import { forwardBackwardShard, type ShardInputs } from '../kernels/forwardBackwardShard.js';
import { EStepPool } from '../parallel/eStepPool.js';
import { noCopies, panelShards, reduceShared, shardIndex, type ShardedIndex } from './shards.js';

/** The sub-models in Block order (initial, transition, emission, optional selection). */
export type { Parts };

/**
 * What the EM driver, the quasi-Newton phase and the information code need from an E-step: the
 * one-class EStep here and the mixture's (mixtureEStep.ts) both provide it.
 */
export interface EStepEngine {
  readonly stats: EStepStatistics;
  readonly nSeq: number;
  /** E-step at the parts' current parameters (counts into stats); returns the log-likelihood. */
  run(parts: readonly SubModel[]): number;
  /** Log-likelihood by the forward pass alone; per-sequence values into perSequence when given. */
  logLik(parts: readonly SubModel[], perSequence?: Float64Array): number;
  /** Stop its worker threads, if it has any. */
  close?(): void;
}

/** Table length of a sub-model: nPatterns * nGroups * nOut. */
function tableLength(part: SubModel): number {
  return part.design.nPatterns * part.nGroups * part.nOut;
}

/** How the emission tables are laid out: per pattern, per row or per unit (observed voice only), or chosen by size. */
export type EmissionTables = 'patterns' | 'rows' | 'units' | 'auto';

export interface EStepOptions {
  /** Default 'auto': per unit when that is smaller and the per-pattern tables exceed PER_ROW_MIN_BYTES. */
  emission?: EmissionTables;
  /**
   * Threads for the forward-backward (default 1; at most the number of shards). Results do not
   * depend on it: shards are fixed by the panel (shardRows) and reduced in shard order.
   */
  threads?: number;
  /** Rows per shard (default SHARD_ROWS); a test hook: results depend on it in the last bits. */
  shardRows?: number;
  /**
   * The selection model's units and outcomes; required exactly when `parts` has a selection
   * sub-model (then the kernel reads the joint table of jointEmission.ts per row).
   */
  selection?: SelectionRows;
}

/** Per-pattern emission tables (probabilities + counts) below this size are always kept per pattern. */
export const PER_ROW_MIN_BYTES = 64 * 1024 * 1024;

/** The emission tables' layout (see the file header). */
function emissionLayout(emission: SubModel, nStates: number, nVoice: number, nRows: number, choice: EmissionTables): 'patterns' | 'rows' | 'units' {
  if (choice === 'patterns') return 'patterns';
  if (choice === 'rows') {
    if (emission.observedProbabilities === undefined) throw new RangeError('the emission sub-model has no per-row (observed) probabilities');
    return 'rows';
  }
  if (emission.groupedProbabilities === undefined) {
    if (choice === 'units') throw new RangeError('the emission sub-model has no grouped (per-unit) probabilities');
    return 'patterns';
  }
  if (choice === 'units') return 'units';
  const perPattern = 2 * tableLength(emission) * 8;
  // per unit: two K-tables per unit (at most one unit per row), the unit index and voice' (4 bytes each)
  const perUnit = nRows * (2 * nStates * 8 + 8);
  return perPattern > PER_ROW_MIN_BYTES && perUnit < perPattern && nVoice > 1 ? 'units' : 'patterns';
}

/**
 * The grouped units of the emission design (see the file header) and each row's unit (-1 where the
 * voice is missing): a bit mask of the voices seen per pattern, then units numbered pattern by
 * pattern in voice order.
 */
export function emissionUnits(index: Int32Array, nPatterns: number, voice: Int32Array, nVoice: number): { units: GroupedUnits; rowUnit: Int32Array } {
  if (nVoice > 31) throw new RangeError(`grouped emission units support at most 31 voice labels, got ${nVoice}`);
  const n = voice.length;
  if (index.length !== n) throw new RangeError(`emission design index: length ${index.length}, expected ${n} rows`);
  const mask = new Int32Array(nPatterns);
  for (let r = 0; r < n; r++) {
    const v = voice[r];
    if (!(v >= -1 && v < nVoice)) throw new RangeError(`voice[${r}] = ${v} outside [-1, ${nVoice})`);
    if (v >= 0) mask[index[r]] |= 1 << v;
  }
  const bits = (m: number): number => {
    let c = 0;
    for (; m !== 0; m &= m - 1) c++;
    return c;
  };
  const start = new Int32Array(nPatterns + 1);
  for (let p = 0; p < nPatterns; p++) start[p + 1] = start[p] + bits(mask[p]);
  const outcome = new Int32Array(start[nPatterns]);
  for (let p = 0; p < nPatterns; p++) {
    let u = start[p];
    for (let v = 0; v < nVoice; v++) if (mask[p] & (1 << v)) outcome[u++] = v;
  }
  const rowUnit = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const v = voice[r];
    const p = index[r];
    rowUnit[r] = v < 0 ? -1 : start[p] + bits(mask[p] & ((1 << v) - 1));
  }
  return { units: { start, outcome }, rowUnit };
}

/** The array itself when it is in shared memory, else a shared copy. */
function toShared(a: Int32Array): Int32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Int32Array(new SharedArrayBuffer(Math.max(1, a.length) * 4)).subarray(0, a.length);
  out.set(a);
  return out;
}

export class EStep {
  readonly nStates: number;
  readonly nVoice: number;
  readonly nRows: number;
  readonly nSeq: number;
  /** Longest sequence (rows). */
  readonly maxLen: number;
  /** Filled by `run`: log-likelihood and expected counts, layouts as `probs` (emission per row: with stats.observed.emission). */
  readonly stats: EStepStatistics;
  /** Probability tables of the last `run`/`logLik` (layout [(p*nGroups + g)*nOut + c]; emission per row: [r*K + k]). */
  readonly probs: Record<Block, Float64Array>;
  /** Kernel inputs: the panel, pattern indices and the probability tables above. */
  readonly inputs: HmmInputs;
  /**
   * True when the emission tables are per row (see the file header): `inputs` then hold V' = 1,
   * voice' and the identity emission index, and probs.emission / stats.counts.emission are [r*K + k].
   */
  readonly emissionPerRow: boolean;
  /** The emission tables' layout (see the file header); 'rows' exactly when emissionPerRow. */
  readonly emissionLayout: 'patterns' | 'rows' | 'units';
  /** With per-unit emission tables, the grouped units (also stats.observed.emission). */
  readonly emissionUnits: GroupedUnits | null = null;
  /** The panel's voice per row (category, -1 = missing), whatever the representation. */
  readonly voice: Int32Array;
  private readonly work: FbWork;
  /** Shard boundaries in customers (see shards.ts), fixed by the panel. */
  readonly seq: Int32Array;
  /** Per block, the units remapped for shards. */
  private readonly sharded: Record<Block, ShardedIndex>;
  /** The kernel's view by shard: remapped indices, tables with the shards' copies, counts. */
  private readonly shardInputs: ShardInputs;
  private pool: EStepPool | null;

  /**
   * @param parts   sub-models whose designs index the panel: initial one pattern per sequence,
   *                transition and emission one per row. Only their designs and sizes are kept;
   *                parameters are read on every `run`.
   * @param offsets panel CSR offsets; @param voice category per row, -1 = missing
   */
  constructor(parts: Parts, nStates: number, nVoice: number, offsets: Int32Array, voice: Int32Array, options: EStepOptions = {}) {
    const [initial, transition, emission, selection] = parts;
    const shapes: [SubModel, number, number][] = [
      [initial, 1, nStates],
      [transition, nStates, nStates],
      [emission, nStates, nVoice],
    ];
    if (selection !== undefined) shapes.push([selection, nStates, 2]);
    if (parts.length > 4) throw new RangeError(`at most four sub-models, got ${parts.length}`);
    if ((selection !== undefined) !== (options.selection !== undefined)) throw new RangeError('the selection units are needed exactly when there is a selection sub-model');
    for (const [part, g, o] of shapes) {
      if (part.nGroups !== g || part.nOut !== o) {
        throw new RangeError(`${part.block} sub-model has ${part.nGroups} groups x ${part.nOut} outcomes, expected ${g} x ${o}`);
      }
    }
    this.nStates = nStates;
    this.nVoice = nVoice;
    this.nSeq = offsets.length - 1;
    this.voice = voice;
    const nRows = voice.length;
    // with a selection model the kernel reads the joint table per row (jointEmission.ts)
    const layout = selection !== undefined ? 'rows' : emissionLayout(emission, nStates, nVoice, nRows, options.emission ?? 'auto');
    const perRow = layout === 'rows';
    this.emissionLayout = layout;
    this.emissionPerRow = perRow;
    let grouped: { units: GroupedUnits; rowUnit: Int32Array } | null = null;
    const threadsAsked = Math.max(1, options.threads ?? 1);
    if (layout === 'units') {
      grouped = emissionUnits(emission.design.index, emission.design.nPatterns, voice, nVoice);
      if (threadsAsked > 1) grouped.units = { start: toShared(grouped.units.start), outcome: toShared(grouped.units.outcome) };
      this.emissionUnits = grouped.units;
    }
    const emisLength = perRow ? nRows * nStates : grouped ? grouped.units.outcome.length * nStates : tableLength(emission);
    let kernelVoice = voice;
    let emisIndex = emission.design.index;
    if (perRow) {
      if (emisIndex.length !== nRows) throw new RangeError(`emission design index: length ${emisIndex.length}, expected ${nRows} rows`);
      kernelVoice = new Int32Array(nRows); // voice': 0 observed, -1 missing
      emisIndex = new Int32Array(nRows); // identity: row r reads table row r
      for (let r = 0; r < nRows; r++) {
        const v = voice[r];
        if (!(v >= -1 && v < nVoice)) throw new RangeError(`voice[${r}] = ${v} outside [-1, ${nVoice})`);
        kernelVoice[r] = v >= 0 || (options.selection !== undefined && options.selection.outcome[r] >= 0) ? 0 : -1;
        emisIndex[r] = r;
      }
    } else if (grouped) {
      // voice': 0 observed, -1 missing; emisIndex: the row's unit (0 where missing: never read)
      kernelVoice = new Int32Array(nRows);
      emisIndex = grouped.rowUnit;
      for (let r = 0; r < nRows; r++) {
        const u = emisIndex[r];
        kernelVoice[r] = u >= 0 ? 0 : -1;
        if (u < 0) emisIndex[r] = 0;
      }
    }
    const V1 = layout === 'patterns' ? nVoice : 1;
    // Shards (see shards.ts): each block's tables get room for the shards' copies of shared units
    // after their own units; probs and stats.counts are views of the tables' own units.
    this.seq = panelShards(offsets, options.shardRows);
    const nShards = this.seq.length - 1;
    const threads = Math.min(threadsAsked, nShards);
    const sharded = nShards > 1;
    const rowStart = Int32Array.from(this.seq, (q) => offsets[q]);
    const blocks: [Block, Int32Array, number, number, Int32Array, ((i: number) => boolean) | undefined][] = [
      ['initial', initial.design.index, initial.design.nPatterns, nStates, this.seq, undefined],
      ['transition', transition.design.index, transition.design.nPatterns, nStates * nStates, rowStart, undefined],
      ['emission', emisIndex, emisLength / (nStates * V1), nStates * V1, rowStart, (r) => kernelVoice[r] < 0],
    ];
    const alloc = (n: number): Float64Array => (threadsAsked > 1 ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n));
    const share = (a: Int32Array): Int32Array => (threadsAsked > 1 ? toShared(a) : a);
    const probs = {} as Record<Block, Float64Array>;
    const counts = {} as Record<Block, Float64Array>;
    const fullProbs = {} as Record<Block, Float64Array>;
    const fullCounts = {} as Record<Block, Float64Array>;
    const index = {} as Record<Block, Int32Array>;
    this.sharded = {} as Record<Block, ShardedIndex>;
    for (const [block, idx, nUnits, unitSize, itemStart, skip] of blocks) {
      const sh = sharded ? shardIndex(idx, nUnits, itemStart, skip, unitSize) : noCopies(idx, nUnits, unitSize, nShards);
      for (const key of ['index', 'shared', 'copyStart', 'copyOf', 'sumStart', 'sumCopy'] as const) sh[key] = share(sh[key]);
      this.sharded[block] = sh;
      const length = (nUnits + sh.copyOf.length) * unitSize;
      fullProbs[block] = alloc(sharded ? length : nUnits * unitSize);
      fullCounts[block] = alloc(sharded ? length : nUnits * unitSize);
      probs[block] = fullProbs[block].subarray(0, nUnits * unitSize);
      counts[block] = fullCounts[block].subarray(0, nUnits * unitSize);
      index[block] = sh.index;
    }
    if (selection !== undefined) {
      // the kernel's per-row weights are kept aside; the M-steps read per-pattern counts
      const joint = new JointEmission(emission, selection, options.selection!, voice, alloc);
      this.joint = joint;
      this.rowWeights = counts.emission;
      counts.emission = joint.emisCounts;
      counts.selection = joint.selCounts;
      probs.selection = joint.selTable;
    } else {
      counts.selection = new Float64Array(0);
      probs.selection = new Float64Array(0);
    }
    this.probs = probs;
    this.stats = { logLik: NaN, counts };
    if (perRow && this.joint === null) this.stats.observed = { emission: voice };
    else if (grouped) this.stats.observed = { emission: grouped.units };
    this.inputs = {
      nStates,
      nVoice: V1,
      offsets,
      voice: kernelVoice,
      initIndex: initial.design.index,
      initProb: this.probs.initial,
      transIndex: transition.design.index,
      transProb: this.probs.transition,
      emisIndex,
      emisProb: this.probs.emission,
    };
    this.maxLen = checkHmmInputs(this.inputs);
    this.nRows = nRows;
    this.work = createFbWork(nStates, this.maxLen);
    this.shardInputs = {
      nStates,
      nVoice: V1,
      offsets: share(offsets),
      voice: share(kernelVoice),
      initIndex: index.initial,
      initProb: fullProbs.initial,
      transIndex: index.transition,
      transProb: fullProbs.transition,
      emisIndex: index.emission,
      emisProb: fullProbs.emission,
      cInit: fullCounts.initial,
      cTrans: fullCounts.transition,
      cEmis: fullCounts.emission,
      seq: share(this.seq),
      shardLogLik: alloc(nShards),
      copies: [this.sharded.initial, this.sharded.transition, this.sharded.emission],
    };
    checkHmmInputs(this.shardInputs);
    // M-step passes in chunks (sub-models with many patterns) run on the same pool
    const chunked = threadsAsked > 1 ? parts.filter((part) => part.chunkedPass === true && part.shareParallelPass !== undefined) : [];
    const passes = chunked.map((part) =>
      part.block === 'emission'
        ? part.shareParallelPass!(this.stats.counts.emission, this.emissionUnits, this.emissionUnits !== null ? this.probs.emission : undefined)
        : part.shareParallelPass!(this.stats.counts[part.block], null),
    );
    const poolThreads = Math.max(threads, chunked.length > 0 ? threadsAsked : 1);
    this.pool = poolThreads > 1 ? new EStepPool(this.shardInputs, poolThreads, this.maxLen, passes) : null;
    this.passParts = chunked;
    const pool = this.pool;
    chunked.forEach((part, i) => part.useParallelPass!((mode) => pool!.runPass(i, mode)));
  }

  /** Sub-models whose chunked M-step pass runs on the pool. */
  private readonly passParts: SubModel[];
  /** With a selection sub-model: the joint per-row table of voice and intervention, and its count tables. */
  readonly joint: JointEmission | null = null;
  /** With a selection sub-model: the kernel's posterior state weights per row [r*K + k]. */
  private readonly rowWeights: Float64Array | null = null;

  /** Threads the E-step runs on (1 = this thread only; never more than the shards). */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** Stop the worker threads (if any); the E-step runs in this thread afterwards. */
  close(): void {
    for (const part of this.passParts) part.useParallelPass!(null);
    this.pool?.close();
    this.pool = null;
  }

  /** Every shard through the kernel (on the pool when there is one), shared units reduced; the log-likelihood summed in shard order. */
  private runShards(mode: 'counts' | 'loglik', gamma?: Float64Array): number {
    const inp = this.shardInputs;
    const nShards = this.seq.length - 1;
    const counts: [Block, Float64Array][] = [
      ['initial', inp.cInit],
      ['transition', inp.cTrans],
      ['emission', inp.cEmis],
    ];
    // the own units' counts are zeroed first; each shard copies its shared units' probabilities in
    // and zeroes its copies itself (forwardBackwardShard with inp.copies); the shared units are
    // reduced after every shard
    if (this.pool !== null && gamma === undefined) {
      if (mode === 'counts') this.pool.zero();
      this.pool.run(mode);
      if (mode === 'counts') this.pool.reduce();
    } else {
      if (mode === 'counts') for (const [b, c] of counts) c.fill(0, 0, this.sharded[b].nUnits * this.sharded[b].unitSize);
      for (let s = 0; s < nShards; s++) forwardBackwardShard(inp, this.work, s, mode, gamma ?? null);
      if (mode === 'counts') for (const [b, c] of counts) reduceShared(c, this.sharded[b]);
    }
    let ll = 0;
    for (let s = 0; s < nShards; s++) ll += inp.shardLogLik[s];
    return ll;
  }

  /** The emission table (probabilities or, with log, log-probabilities) in this E-step's representation. */
  private emissionTable(parts: Parts, log: boolean, out: Float64Array): void {
    const emission = parts[2];
    if (this.joint !== null) this.joint.fill(emission, parts[3], log, out);
    else if (this.emissionPerRow) emission.observedProbabilities!(this.voice, log, out);
    else if (this.emissionUnits !== null) emission.groupedProbabilities!(this.emissionUnits, log, out);
    else if (log) emission.logProbabilities(out);
    else emission.probabilities(out);
  }

  /**
   * Number of probability-table entries within eps of 0 or 1 (for boundary warnings). With per-row
   * emission tables, the emission entries counted are the observed voices' probabilities.
   */
  countBoundary(block: Block, eps: number): number {
    if (this.joint !== null && (block === 'emission' || block === 'selection')) return this.joint.countBoundary(block, eps);
    const p = this.probs[block];
    const perRow = block === 'emission' && this.emissionPerRow;
    const K = this.nStates;
    let n = 0;
    for (let i = 0; i < p.length; i++) {
      if (perRow && this.voice[(i - (i % K)) / K] < 0) continue;
      if (p[i] < eps || p[i] > 1 - eps) n++;
    }
    return n;
  }

  /** Probability tables from the parts' current parameters. */
  computeProbabilities(parts: Parts): void {
    parts[0].probabilities(this.probs.initial);
    parts[1].probabilities(this.probs.transition);
    this.emissionTable(parts, false, this.probs.emission);
  }

  /**
   * One E-step at the parts' current parameters: probabilities, zeroed counts, forward-backward.
   * Returns the log-likelihood (also in stats.logLik). `gamma` (length nRows*K) receives posterior
   * state probabilities [row*K + k] when given.
   */
  run(parts: Parts, gamma?: Float64Array): number {
    this.computeProbabilities(parts);
    if (gamma !== undefined && gamma.length !== this.nRows * this.nStates) throw new RangeError(`gamma: length ${gamma.length}, expected ${this.nRows * this.nStates}`);
    const ll = this.runShards('counts', gamma);
    if (this.joint !== null) this.joint.scatter(parts[2], parts[3], this.rowWeights!, this.probs.emission);
    this.stats.logLik = ll;
    return ll;
  }

  /**
   * Posterior state probabilities shard by shard at the parts' current parameters, without a
   * rows x K array of the whole panel: `onShard(rowStart, gamma)` gets gamma [(r - rowStart)*K + k]
   * for each shard's rows, shards in order; the same values as `run`'s gamma (each sequence's
   * forward-backward reads the same probabilities). The count tables serve as scratch: stats are
   * not valid afterwards (stats.logLik is NaN). Not with a selection sub-model.
   */
  forEachPosteriorShard(parts: Parts, onShard: (rowStart: number, gamma: Float64Array) => void): void {
    if (this.joint !== null) throw new RangeError('forEachPosteriorShard: not with a selection sub-model');
    this.computeProbabilities(parts);
    const inp = this.inputs;
    const K = this.nStates;
    const c = this.stats.counts;
    const counts = { init: c.initial, trans: c.transition, emis: c.emission };
    let buffer = new Float64Array(0);
    for (let q = 0; q + 1 < this.seq.length; q++) {
      const s0 = this.seq[q];
      const s1 = this.seq[q + 1];
      const r0 = inp.offsets[s0];
      const r1 = inp.offsets[s1];
      if (buffer.length < (r1 - r0) * K) buffer = new Float64Array((r1 - r0) * K);
      const gamma = buffer.subarray(0, (r1 - r0) * K);
      const offsets = Int32Array.from(inp.offsets.subarray(s0, s1 + 1), (o) => o - r0);
      const shard: HmmInputs = { ...inp, offsets, voice: inp.voice.subarray(r0, r1), initIndex: inp.initIndex.subarray(s0, s1), transIndex: inp.transIndex.subarray(r0, r1), emisIndex: inp.emisIndex.subarray(r0, r1) };
      forwardBackward(shard, this.work, counts, gamma);
      onShard(r0, gamma);
    }
    this.stats.logLik = NaN;
  }

  /** Log-likelihood at the parts' current parameters by the forward pass alone. */
  logLik(parts: Parts, perSequence?: Float64Array): number {
    this.computeProbabilities(parts);
    if (perSequence === undefined) return this.runShards('loglik');
    forwardLogLik(this.inputs, this.work, perSequence);
    // the sum in shard order, as runShards adds it up
    let ll = 0;
    for (let q = 0; q + 1 < this.seq.length; q++) {
      let acc = 0;
      for (let i = this.seq[q]; i < this.seq[q + 1]; i++) acc += perSequence[i];
      ll += acc;
    }
    return ll;
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
    this.emissionTable(parts, true, logInputs.emisProb);
    const out = new Int32Array(this.nRows);
    viterbiKernel(logInputs, createViterbiWork(this.nStates, this.maxLen), out);
    return out;
  }
}
