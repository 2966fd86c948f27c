/**
 * The E-step of a mixture of classes (mixtureModel.ts): per-pattern probability tables of every
 * class (a shared block: one table), filled from the parts' parameters on every run, and the
 * mixture kernel (kernels/compileMixtureKernel.ts) over the panel's shards, which adds every
 * customer's counts in class c weighted by the customer's posterior class probability.
 *
 * Tables: for block b with unit size U_b (initial K, transition K*K, emission K*V, membership C),
 * one full table per class copy, [c*stride_b + u*U_b + x], stride_b = 0 for a shared block (every
 * class reads and adds into the same table). As in eStep.ts, each full table holds the units of
 * the patterns and after them the shards' copies of units that several shards use (shards.ts), so
 * that shards write disjoint entries and are reduced in shard order: the same bits for any number
 * of threads. stats.counts[key] (key as classPartKey) is the view of the class copy's own units.
 *
 * Emission tables are per pattern (the one-class E-step's per-row and per-unit layouts for panels
 * whose emission design has a pattern per row are not offered with classes).
 */
import type { EStepStatistics, SubModel } from '../model/subModel.js';
import { BLOCKS, countsKeyOf, type Block } from '../model/subModel.js';
import { checkMixtureInputs, createMixtureWork, mixtureEStep, type MixtureWork } from '../kernels/compileMixtureKernel.js';
import type { MixtureShardInputs } from '../kernels/mixtureShard.js';
import { mixtureShard } from '../kernels/mixtureShard.js';
import { EStepPool } from '../parallel/eStepPool.js';
import { classPartKey, MEMBERSHIP_KEY, type MixtureModel } from '../model/mixtureModel.js';
import type { EStepEngine } from './eStep.js';
import { ModelError } from '../errors.js';
import { noCopies, panelShards, reduceShared, shardIndex, spreadShared, type ShardedIndex } from './shards.js';

/** Largest probability + count tables the mixture E-step allocates (the one-class E-step's per-row/per-unit layouts are not offered with classes). */
export const MAX_TABLE_BYTES = 2 ** 31;

export interface MixtureEStepOptions {
  /** Threads for the kernel (default 1); results do not depend on it. */
  threads?: number;
  /** Rows per shard (test hook). */
  shardRows?: number;
}

type Table = 'member' | Block;

interface TableInfo {
  sharded: ShardedIndex;
  unitSize: number;
  /** Distance between class copies (0: one table for all classes). */
  stride: number;
  copies: number;
  prob: Float64Array;
  count: Float64Array;
}

function toShared(a: Int32Array): Int32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Int32Array(new SharedArrayBuffer(Math.max(1, a.length) * 4)).subarray(0, a.length);
  out.set(a);
  return out;
}

export class MixtureEStep implements EStepEngine {
  readonly nClasses: number;
  readonly nStates: number;
  readonly nVoice: number;
  readonly nSeq: number;
  readonly nRows: number;
  readonly maxLen: number;
  readonly stats: EStepStatistics;
  /** Probability tables per part key (views of the class copies' own units). */
  readonly probs: Record<string, Float64Array>;
  readonly seq: Int32Array;
  readonly voice: Int32Array;
  /** The panel's CSR offsets. */
  readonly inputsOffsets: Int32Array;
  private readonly tables: Record<Table, TableInfo>;
  private readonly inputs: MixtureShardInputs;
  private readonly work: MixtureWork;
  private pool: EStepPool | null;

  constructor(model: MixtureModel, offsets: Int32Array, voice: Int32Array, options: MixtureEStepOptions = {}) {
    const C = model.nClasses;
    const K = model.nStates;
    const V = model.nVoice;
    this.nClasses = C;
    this.nStates = K;
    this.nVoice = V;
    this.nSeq = offsets.length - 1;
    this.nRows = voice.length;
    this.voice = voice;
    this.inputsOffsets = offsets;
    const threadsAsked = Math.max(1, options.threads ?? 1);
    const alloc = (n: number): Float64Array => (threadsAsked > 1 ? new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8)).subarray(0, n) : new Float64Array(n));
    const share = (a: Int32Array): Int32Array => (threadsAsked > 1 ? toShared(a) : a);
    this.seq = panelShards(offsets, options.shardRows);
    const nShards = this.seq.length - 1;
    const rowStart = Int32Array.from(this.seq, (q) => offsets[q]);
    const [initial, transition, emission] = model.classes[0].parts;
    const member = model.membership;
    const specs: [Table, SubModel, number, Int32Array, boolean, ((i: number) => boolean) | undefined][] = [
      ['member', member, C, this.seq, false, undefined],
      ['initial', initial, K, this.seq, model.specific.initial, undefined],
      ['transition', transition, K * K, rowStart, model.specific.transition, undefined],
      ['emission', emission, K * V, rowStart, model.specific.emission, (r) => voice[r] < 0],
    ];
    const sharded = nShards > 1;
    let bytes = 0;
    for (const [, part, unitSize, , specific] of specs) bytes += 2 * 8 * part.design.nPatterns * unitSize * (specific ? C : 1);
    if (bytes > MAX_TABLE_BYTES) {
      throw new ModelError(
        `the E-step tables of ${C} classes would take ${(bytes / 2 ** 30).toFixed(1)} GiB (the emission design has ${emission.design.nPatterns} distinct rows); ` +
          'with classes the tables are kept per design pattern: use fewer classes, share the emission block (--class-specific initial,transition), or a coarser emission covariate',
      );
    }
    this.tables = {} as Record<Table, TableInfo>;
    const index = {} as Record<Table, Int32Array>;
    for (const [t, part, unitSize, itemStart, specific, skip] of specs) {
      const nUnits = part.design.nPatterns;
      const sh = sharded ? shardIndex(part.design.index, nUnits, itemStart, skip, unitSize) : noCopies(part.design.index, nUnits, unitSize, nShards);
      const full = (nUnits + sh.copyOf.length) * unitSize;
      const copies = specific ? C : 1;
      this.tables[t] = { sharded: sh, unitSize, stride: specific ? full : 0, copies, prob: alloc(copies * full), count: alloc(copies * full) };
      index[t] = share(sh.index);
    }
    const probs: Record<string, Float64Array> = {};
    const counts: Record<string, Float64Array> = {};
    const own = (t: Table, c: number, which: 'prob' | 'count') => {
      const info = this.tables[t];
      const n = info.sharded.nUnits * info.unitSize;
      return info[which].subarray(c * info.stride, c * info.stride + n);
    };
    probs[MEMBERSHIP_KEY] = own('member', 0, 'prob');
    counts[MEMBERSHIP_KEY] = own('member', 0, 'count');
    for (const b of BLOCKS) {
      for (let c = 0; c < (model.specific[b] ? C : 1); c++) {
        const key = classPartKey(c, b, model.specific[b]);
        probs[key] = own(b, c, 'prob');
        counts[key] = own(b, c, 'count');
      }
    }
    this.probs = probs;
    this.stats = { logLik: NaN, counts };
    const T = this.tables;
    this.inputs = {
      nClasses: C,
      nStates: K,
      nVoice: V,
      offsets: share(offsets),
      voice: share(voice),
      memberIndex: index.member,
      memberProb: T.member.prob,
      initIndex: index.initial,
      initProb: T.initial.prob,
      initStride: T.initial.stride,
      transIndex: index.transition,
      transProb: T.transition.prob,
      transStride: T.transition.stride,
      emisIndex: index.emission,
      emisProb: T.emission.prob,
      emisStride: T.emission.stride,
      cMember: T.member.count,
      cInit: T.initial.count,
      cTrans: T.transition.count,
      cEmis: T.emission.count,
      seq: share(this.seq),
      shardLogLik: alloc(nShards),
    };
    this.maxLen = checkMixtureInputs(this.inputs, { member: T.member.count, init: T.initial.count, trans: T.transition.count, emis: T.emission.count });
    this.work = createMixtureWork(C, K, this.maxLen);
    const threads = Math.min(threadsAsked, nShards);
    this.pool = threads > 1 ? new EStepPool(this.inputs, threads, this.maxLen) : null;
  }

  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  close(): void {
    this.pool?.close();
    this.pool = null;
  }

  /** Probability tables from the parts' current parameters (parts: the mixture's flat list). */
  computeProbabilities(parts: readonly SubModel[]): void {
    for (const part of parts) {
      const out = this.probs[countsKeyOf(part)];
      if (out === undefined) throw new RangeError(`the mixture E-step has no table for part '${countsKeyOf(part)}'`);
      part.probabilities(out);
    }
  }

  private runShards(mode: 'counts' | 'loglik', out: { classPost?: Float64Array; gamma?: Float64Array; perSeq?: Float64Array } = {}): number {
    const nShards = this.seq.length - 1;
    for (const info of Object.values(this.tables)) {
      if (info.sharded.shared.length === 0) continue;
      for (let c = 0; c < info.copies; c++) {
        const full = info.stride === 0 ? info.prob : info.prob.subarray(c * info.stride, (c + 1) * info.stride);
        spreadShared(full, info.sharded);
      }
    }
    if (mode === 'counts') for (const info of Object.values(this.tables)) info.count.fill(0);
    const inp = this.inputs;
    const extra = out.classPost !== undefined || out.gamma !== undefined || out.perSeq !== undefined;
    if (this.pool !== null && !extra) this.pool.run(mode);
    else {
      const counts = mode === 'counts' ? { member: inp.cMember, init: inp.cInit, trans: inp.cTrans, emis: inp.cEmis } : null;
      for (let s = 0; s < nShards; s++) {
        inp.shardLogLik[s] = mixtureEStep(inp, this.work, counts, { classPost: out.classPost ?? null, gamma: out.gamma ?? null, perSeq: out.perSeq ?? null }, this.seq[s], this.seq[s + 1]);
      }
    }
    if (mode === 'counts') {
      for (const info of Object.values(this.tables)) {
        if (info.sharded.shared.length === 0) continue;
        for (let c = 0; c < info.copies; c++) {
          const full = info.stride === 0 ? info.count : info.count.subarray(c * info.stride, (c + 1) * info.stride);
          reduceShared(full, info.sharded);
        }
      }
    }
    let ll = 0;
    for (let s = 0; s < nShards; s++) ll += inp.shardLogLik[s];
    return ll;
  }

  /**
   * One E-step at the parts' current parameters. `classPost` (length nSeq*C) receives posterior
   * class probabilities [s*C + c], `gamma` (nRows*K) posterior state probabilities [row*K + k]
   * (summed over classes) when given.
   */
  run(parts: readonly SubModel[], gamma?: Float64Array, classPost?: Float64Array): number {
    this.computeProbabilities(parts);
    const ll = this.runShards('counts', { gamma, classPost });
    this.stats.logLik = ll;
    return ll;
  }

  /** Log-likelihood by the forward passes alone; per-customer values into perSequence when given. */
  logLik(parts: readonly SubModel[], perSequence?: Float64Array): number {
    this.computeProbabilities(parts);
    return this.runShards('loglik', perSequence ? { perSeq: perSequence } : {});
  }

  /** Summed posterior class probabilities of the last `run` (the class sizes of the labelling rule). */
  classSizes(): Float64Array {
    const C = this.nClasses;
    const m = this.stats.counts[MEMBERSHIP_KEY];
    const out = new Float64Array(C);
    for (let i = 0; i < m.length; i++) out[i % C] += m[i];
    return out;
  }

  /** Count probabilities within eps of 0 or 1 in the tables of the parts with this block. */
  countBoundary(block: Block, eps: number): number {
    let n = 0;
    for (const [key, p] of Object.entries(this.probs)) {
      if (key !== block && !key.endsWith(`.${block}`)) continue;
      for (let i = 0; i < p.length; i++) if (p[i] < eps || p[i] > 1 - eps) n++;
    }
    return n;
  }
}
