/**
 * A grouped multinomial logit over design patterns: the initial model, the multinomial transition
 * model and the emission model are all instances.
 *
 * For pattern p (design row x) and group g, outcome c has linear predictor
 *   eta[g,c] = sum_j x_j * B[g,c,j],     prob[g,c] = exp(eta[g,c]) / sum_c' exp(eta[g,c'])
 * where the coefficient table B is filled from the flat parameters through a map:
 *   map[(g*nOut + c)*nCols + j] = parameter index, or -1 for a coefficient fixed at 0
 *   (reference outcomes). Several entries may share one parameter (slopes shared across groups).
 *
 * M-step objective (E-step counts n[p,g,c], ridge r on every free parameter, intercepts included,
 * because separation in these models shows up as an outcome never seen in a state, which sends an
 * intercept to infinity):
 *   Q(theta) = sum_{p,g,c} n[p,g,c] log prob[p,g,c] - r/2 |theta|^2
 * with exact gradient sum (n_c - N pi_c) dEta_c/dtheta - r theta and exact Hessian
 * -sum N (diag(pi) - pi pi') (x) x x' - r I (mapped onto the parameters), N = sum_c n_c.
 * Q is concave, so Newton with step-halving converges to its maximum.
 *
 * Relabelling of states (permuteStates) depends on the role of the groups and outcomes:
 *   'initial'    outcomes are states, reference outcome 0: re-referenced to the new first state;
 *   'transition' groups and outcomes are states, reference = staying: a pure permutation;
 *   'emission'   groups are states: a permutation of the groups (shared slopes untouched).
 */
import type { Block, EStepStatistics, GroupedUnits, MStepOptions, MStepReport, ObservedUnits, SubModel } from './subModel.js';
import type { PatternDesign } from './patternDesign.js';
import { newtonMaximize } from './newtonMaximize.js';
import { logitGradientFromTable, logitPass } from './logitPass.js';
import { logitTable } from './logitTable.js';
import { compileLogitPass, type LogitPassShape } from './compileLogitPass.js';
import { GATHER, GATHER_COMPUTE, passChunks, passMode, reducePassChunks, runPassChunk, type LogitPassData } from './logitPassChunks.js';

export type LogitRelabel = 'initial' | 'transition' | 'emission';

/** Largest probability table (in values) kept between the M-step and the next E-step. */
export const CACHE_MAX_ENTRIES = 1 << 24;
/** Units per chunk of the per-unit (observed-outcome) passes. */
const OBSERVED_CHUNK = 1024;

/**
 * The kept probability table, shared by a model and its clones (the starts of a fit), so a panel
 * holds one such table however many starts run: it is at `owner`'s parameters `theta`.
 */
export interface TableCache {
  table: Float64Array;
  theta: Float64Array;
  owner: MultinomialLogit | null;
  /**
   * The objective's log-sum-exp per pattern-group [p*nGroups + g] at the table's parameters, valid
   * when `lseKept` (the table was filled by the M-step's pass, which computes it anyway): the next
   * pass at those parameters reads it instead of a log per pattern-group.
   */
  lse: Float64Array;
  lseKept: boolean;
  /** The grouped units' table (an E-step's) that holds the gather of `table`, or null. */
  unitsFilled: Float64Array | null;
  /** The grouped units and table of the last groupedProbabilities: filled by the M-step's pass that refills `table`. */
  target: { units: GroupedUnits; out: Float64Array } | null;
}

export interface MultinomialLogitLayout {
  block: Block;
  nGroups: number;
  nOut: number;
  design: PatternDesign;
  /** [(g*nOut + c)*nCols + j] -> parameter index, -1 = fixed at 0. */
  map: Int32Array;
  names: string[];
  relabel: LogitRelabel;
}

export class MultinomialLogit implements SubModel {
  readonly block: Block;
  readonly nGroups: number;
  readonly nOut: number;
  readonly design: PatternDesign;
  readonly nParams: number;
  private readonly map: Int32Array;
  private readonly names: string[];
  private readonly relabel: LogitRelabel;
  private readonly theta: Float64Array;
  /** Coefficient table B, row-major [(g*nOut + c)*nCols + j], kept in step with theta. */
  private readonly coef: Float64Array;
  /** Scratch of length nOut. */
  private readonly eta: Float64Array;
  /** Free outcomes per group, row-major [g*nFree + a]: outcomes with a free coefficient. */
  private readonly freeOut: Int32Array;
  private readonly nFree: number;
  /** Outcomes whose coefficients are all fixed at 0, [g*nOut + c] (1 = fixed); built on first use. */
  private fixedOut: Uint8Array | null = null;
  /** Pairs a <= b of free outcomes; entries j <= k of x x'. */
  private readonly nPairs: number;
  private readonly nTri: number;
  /** Gradient accumulator in coefficient space, row-major [(g*nFree + a)*nCols + j]. */
  private readonly gc: Float64Array;
  /** Hessian accumulator: sum over patterns of w_ab x_j x_k, row-major [(g*nPairs + ab)*nTri + jk]. */
  private readonly hm: Float64Array;
  /** Scratch of logitPass. */
  private readonly scratch: Float64Array;
  /**
   * The probability table of the last objective pass and the parameters it was computed at: the
   * M-step's last pass is at the parameters it returns, so the E-step's next probabilities() is a
   * copy, not another pass of exp/log over every pattern. Kept only for tables up to
   * CACHE_MAX_ENTRIES values (a very large table would double the memory of the biggest buffer).
   */
  /** Shared with clones (one table for every start): whose parameters the table is at. */
  private readonly cacheBox: TableCache | null;
  /** The M-step pass on worker threads, shared with clones (see enableParallelPass); null = this thread. */
  private readonly parallel: { data: LogitPassData | null; run: ((mode: number) => void) | null };
  /** Buffers of the chunked pass in this thread (allocated on first use). */
  private localPass: LogitPassData | null = null;
  /**
   * Buffers of the per-unit passes (allocated on first use): the design rows of a chunk of units,
   * row-major [i*nCols + j]; their count or probability table [(i*nGroups + g)*nOut + c]; the
   * chunk's gradient and Hessian accumulators (layouts of gc and hm).
   */
  private chunk: { rows: Float64Array; table: Float64Array; gc: Float64Array; hm: Float64Array } | null = null;

  constructor(
    layout: MultinomialLogitLayout,
    theta?: Float64Array,
    shared?: TableCache | null,
    parallel?: { data: LogitPassData | null; run: ((mode: number) => void) | null },
  ) {
    const { nGroups, nOut, design, map } = layout;
    if (map.length !== nGroups * nOut * design.nCols) {
      throw new RangeError(`map length ${map.length}, expected ${nGroups * nOut * design.nCols}`);
    }
    if (design.patterns.length !== design.nPatterns * design.nCols) {
      throw new RangeError(`design patterns length ${design.patterns.length}, expected ${design.nPatterns * design.nCols}`);
    }
    this.block = layout.block;
    this.nGroups = nGroups;
    this.nOut = nOut;
    this.design = design;
    this.map = map;
    this.names = layout.names;
    this.relabel = layout.relabel;
    this.nParams = layout.names.length;
    for (let e = 0; e < map.length; e++) {
      if (map[e] >= this.nParams) throw new RangeError(`map[${e}] = ${map[e]} outside [0, ${this.nParams})`);
    }
    this.theta = theta ? Float64Array.from(theta) : new Float64Array(this.nParams);
    if (this.theta.length !== this.nParams) throw new RangeError(`theta length ${this.theta.length}, expected ${this.nParams}`);
    this.coef = new Float64Array(map.length);
    this.eta = new Float64Array(nOut);
    // Free outcomes per group (outcomes with a free coefficient); every layout here has the same
    // number in each group (all but the reference outcome).
    const nCols = design.nCols;
    let nFree = -1;
    const free: number[] = [];
    for (let g = 0; g < nGroups; g++) {
      let count = 0;
      for (let c = 0; c < nOut; c++) {
        let any = false;
        for (let j = 0; j < nCols; j++) any = any || map[(g * nOut + c) * nCols + j] >= 0;
        if (any) {
          free.push(c);
          count++;
        }
      }
      if (nFree >= 0 && count !== nFree) throw new RangeError('every group must have the same number of free outcomes');
      nFree = count;
    }
    this.nFree = Math.max(0, nFree);
    // The softmax kernels rely on a reference outcome (linear predictor exactly 0) in every group.
    if (nOut > 0 && this.nFree >= nOut) throw new RangeError('every group needs a reference outcome with all coefficients fixed at 0');
    this.freeOut = Int32Array.from(free);
    this.nTri = (nCols * (nCols + 1)) / 2;
    this.nPairs = (this.nFree * (this.nFree + 1)) / 2;
    this.gc = new Float64Array(nGroups * this.nFree * nCols);
    this.hm = new Float64Array(nGroups * this.nPairs * this.nTri);
    this.scratch = new Float64Array(3 * nOut + this.nTri + this.nPairs);
    const tableSize = design.nPatterns * nGroups * nOut;
    this.cacheBox =
      shared !== undefined
        ? shared
        : tableSize <= CACHE_MAX_ENTRIES
          ? { table: new Float64Array(tableSize), theta: new Float64Array(this.nParams), owner: null, lse: new Float64Array(design.nPatterns * nGroups), lseKept: false, unitsFilled: null, target: null }
          : null;
    this.parallel = parallel ?? { data: null, run: null };
    this.expand();
  }

  /** The kept probability table (see cacheBox), or null. */
  private get cache(): Float64Array | null {
    return this.cacheBox?.table ?? null;
  }

  /** Whether the M-step pass runs in chunks (designs with more than PASS_CHUNK patterns). */
  get chunkedPass(): boolean {
    return passChunks(this.design.nPatterns) > 1;
  }

  /**
   * Move what the chunked M-step pass reads into shared memory for worker threads, with `counts`
   * (and `units`) the E-step's shared count table: returns the pass's data for the workers. Then
   * `useParallelPass(run)` hands the pass over; this model and its clones share both.
   */
  shareParallelPass(counts: Float64Array, units: GroupedUnits | null, unitProbs?: Float64Array): LogitPassData {
    const sab = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8));
    if (this.cacheBox !== null && !(this.cacheBox.table.buffer instanceof SharedArrayBuffer)) {
      const t = sab(this.cacheBox.table.length).subarray(0, this.cacheBox.table.length);
      t.set(this.cacheBox.table);
      this.cacheBox.table = t;
      const l = sab(this.cacheBox.lse.length).subarray(0, this.cacheBox.lse.length);
      l.set(this.cacheBox.lse);
      this.cacheBox.lse = l;
    }
    let patterns = this.design.patterns;
    if (!(patterns.buffer instanceof SharedArrayBuffer)) {
      // the design (shared with clones) keeps the shared copy: one copy of the patterns, not two
      patterns = sab(patterns.length).subarray(0, patterns.length);
      patterns.set(this.design.patterns);
      this.design.patterns = patterns;
    }
    const d = this.passData(counts, units, patterns, sab);
    // groupedProbabilities into the E-step's shared table then also runs on the pool
    if (units !== null && unitProbs !== undefined && unitProbs.buffer instanceof SharedArrayBuffer) d.unitProbs = unitProbs;
    this.parallel.data = d;
    return d;
  }

  /** Run the chunked M-step pass through `run(mode)` (see shareParallelPass); null: in this thread again. */
  useParallelPass(run: ((mode: number) => void) | null): void {
    this.parallel.run = run;
  }

  private passData(counts: Float64Array, units: GroupedUnits | null, patterns: Float64Array, alloc: (n: number) => Float64Array): LogitPassData {
    const n = passChunks(this.design.nPatterns);
    const shape = { nGroups: this.nGroups, nOut: this.nOut, nCols: this.design.nCols, free: this.freeOut, nFree: this.nFree, fixed: this.fixedOutcomes(), layout: units ? ('units' as const) : ('patterns' as const) };
    return {
      shape,
      nPatterns: this.design.nPatterns,
      patterns,
      coef: alloc(this.coef.length).subarray(0, this.coef.length),
      cache: this.cache,
      lse: this.cacheBox?.lse ?? null,
      counts,
      start: units?.start ?? null,
      outcome: units?.outcome ?? null,
      gcLength: this.gc.length,
      hmLength: this.hm.length,
      q: alloc(n).subarray(0, n),
      gc: alloc(n * this.gc.length).subarray(0, n * this.gc.length),
      hm: alloc(n * this.hm.length).subarray(0, n * this.hm.length),
    };
  }

  private fixedOutcomes(): Uint8Array {
    if (this.fixedOut === null) {
      this.fixedOut = new Uint8Array(this.nGroups * this.nOut).fill(1);
      for (let g = 0; g < this.nGroups; g++) for (let a = 0; a < this.nFree; a++) this.fixedOut[g * this.nOut + this.freeOut[g * this.nFree + a]] = 0;
    }
    return this.fixedOut;
  }

  private layout(): MultinomialLogitLayout {
    return { block: this.block, nGroups: this.nGroups, nOut: this.nOut, design: this.design, map: this.map, names: this.names, relabel: this.relabel };
  }

  private expand(): void {
    const map = this.map;
    for (let e = 0; e < map.length; e++) this.coef[e] = map[e] >= 0 ? this.theta[map[e]] : 0;
  }

  parameterNames(): string[] {
    return this.names.slice();
  }

  getParams(out: Float64Array, offset: number): void {
    if (offset < 0 || offset + this.nParams > out.length) throw new RangeError(`getParams: no room for ${this.nParams} values at ${offset}`);
    out.set(this.theta, offset);
  }

  setParams(src: Float64Array, offset: number): void {
    if (offset < 0 || offset + this.nParams > src.length) throw new RangeError(`setParams: fewer than ${this.nParams} values at ${offset}`);
    this.theta.set(src.subarray(offset, offset + this.nParams));
    this.expand();
  }

  probabilities(out: Float64Array): void {
    if (this.cache !== null && out.length >= this.cache.length && this.cacheCurrent()) {
      out.set(this.cache);
      return;
    }
    this.probabilitiesFor(this.design.patterns, this.design.nPatterns, out);
    if (this.cache !== null && out.length >= this.cache.length) {
      // kept so that a gradient at these parameters (right after the E-step) needs no exp
      this.cache.set(out.subarray(0, this.cache.length));
      this.markCache();
    }
  }

  /** Whether the kept probability table is at the current parameters. */
  private cacheCurrent(): boolean {
    const box = this.cacheBox;
    if (box === null || box.owner !== this) return false;
    for (let a = 0; a < this.nParams; a++) if (box.theta[a] !== this.theta[a]) return false;
    return true;
  }

  /**
   * The kept table now holds this model's probabilities at its current parameters (with their
   * log-sum-exps when `lse`; gathered into `units` when given).
   */
  private markCache(lse = false, units: Float64Array | null = null): void {
    const box = this.cacheBox!;
    box.theta.set(this.theta);
    box.owner = this;
    box.lseKept = lse;
    box.unitsFilled = units;
  }

  probabilitiesFor(rows: Float64Array, nPatterns: number, out: Float64Array): void {
    this.table(rows, nPatterns, out, false);
  }

  logProbabilities(out: Float64Array): void {
    this.table(this.design.patterns, this.design.nPatterns, out, true);
  }

  /** out row-major [(p*nGroups + g)*nOut + c]; rows row-major [p*nCols + j]. */
  private table(rows: Float64Array, nPatterns: number, out: Float64Array, log: boolean): void {
    logitTable(nPatterns, this.nGroups, this.nOut, this.design.nCols, rows, this.coef, log, out, this.eta);
  }

  private chunkBuffers(): { rows: Float64Array; table: Float64Array; gc: Float64Array; hm: Float64Array } {
    if (this.chunk === null) {
      this.chunk = {
        rows: new Float64Array(OBSERVED_CHUNK * this.design.nCols),
        table: new Float64Array(OBSERVED_CHUNK * this.nGroups * this.nOut),
        gc: new Float64Array(this.gc.length),
        hm: new Float64Array(this.hm.length),
      };
    }
    return this.chunk;
  }

  /**
   * RangeError unless `outcome` has one entry per unit (of design.index, or the grouped units) and
   * `perUnit` has nGroups per unit.
   */
  private checkObserved(observed: ObservedUnits, perUnit: Float64Array, what: string): void {
    if (!(observed instanceof Int32Array)) {
      const { start, outcome } = observed;
      const nP = this.design.nPatterns;
      if (start.length !== nP + 1) throw new RangeError(`${this.block} grouped units: start length ${start.length}, expected ${nP + 1}`);
      const units = start[nP];
      if (outcome.length !== units) throw new RangeError(`${this.block} grouped units: ${outcome.length} outcomes, expected ${units}`);
      if (perUnit.length !== units * this.nGroups) throw new RangeError(`${this.block} ${what}: length ${perUnit.length}, expected ${units * this.nGroups}`);
      return;
    }
    const outcome = observed;
    const units = this.design.index.length;
    if (outcome.length !== units) throw new RangeError(`${this.block} observed outcomes: length ${outcome.length}, expected ${units} units`);
    if (perUnit.length !== units * this.nGroups) throw new RangeError(`${this.block} ${what}: length ${perUnit.length}, expected ${units * this.nGroups}`);
  }

  /**
   * Per-unit table of the observed outcome, out [u*nGroups + g] (see SubModel): the design rows of
   * units with an observed outcome are gathered a chunk at a time and run through the same
   * logitTable as `probabilities`, so every entry has the bits of the per-pattern table's entry.
   */
  observedProbabilities(outcome: Int32Array, log: boolean, out: Float64Array): void {
    this.checkObserved(outcome, out, 'observed probabilities');
    const { nGroups, nOut } = this;
    const { nCols, patterns, index } = this.design;
    const { rows, table } = this.chunkBuffers();
    const units = index.length;
    const missing = log ? 0 : 1;
    for (let u0 = 0; u0 < units; u0 += OBSERVED_CHUNK) {
      const u1 = Math.min(units, u0 + OBSERVED_CHUNK);
      let m = 0;
      for (let u = u0; u < u1; u++) {
        if (outcome[u] < 0) continue;
        const xb = index[u] * nCols;
        for (let j = 0; j < nCols; j++) rows[m * nCols + j] = patterns[xb + j];
        m++;
      }
      logitTable(m, nGroups, nOut, nCols, rows, this.coef, log, table, this.eta);
      m = 0;
      for (let u = u0; u < u1; u++) {
        const v = outcome[u];
        if (v < 0) {
          for (let g = 0; g < nGroups; g++) out[u * nGroups + g] = missing;
          continue;
        }
        for (let g = 0; g < nGroups; g++) out[u * nGroups + g] = table[(m * nGroups + g) * nOut + v];
        m++;
      }
    }
  }

  /**
   * Table of grouped units, out [u*nGroups + g] (see SubModel): entries gathered from the
   * per-pattern table, taken from the kept table when it is at the current parameters, else
   * computed by logitTable (into the kept table when there is one, else a chunk of patterns at a
   * time), so every entry has the bits of the per-pattern table's entry.
   */
  groupedProbabilities(units: GroupedUnits, log: boolean, out: Float64Array): void {
    this.checkObserved(units, out, 'grouped probabilities');
    const { nGroups, nOut } = this;
    const { nCols, nPatterns, patterns } = this.design;
    const { start, outcome } = units;
    const gather = (table: Float64Array, p0: number, p1: number): void => {
      for (let p = p0; p < p1; p++) {
        for (let u = start[p]; u < start[p + 1]; u++) {
          const c = outcome[u];
          for (let g = 0; g < nGroups; g++) out[u * nGroups + g] = table[((p - p0) * nGroups + g) * nOut + c];
        }
      }
    };
    if (!log && this.cache !== null) {
      const box = this.cacheBox!;
      box.target = { units, out };
      const current = this.cacheCurrent();
      // the M-step's last pass at these parameters already gathered the table into `out`
      if (current && box.unitsFilled === out) return;
      const par = this.parallel;
      const d = par.data;
      if (par.run !== null && d !== null && d.unitProbs === out && d.start === start && d.cache === this.cache) {
        // in chunks of patterns on the worker threads (logitPassChunks.ts GATHER): the same entries
        if (!current) d.coef.set(this.coef);
        par.run(current ? GATHER : GATHER | GATHER_COMPUTE);
        if (current) box.unitsFilled = out;
        else this.markCache(false, out);
        return;
      }
      if (!current) {
        this.table(patterns, nPatterns, this.cache, false);
        this.markCache();
      }
      gather(this.cache, 0, nPatterns);
      box.unitsFilled = out;
      return;
    }
    const { rows, table } = this.chunkBuffers();
    for (let p0 = 0; p0 < nPatterns; p0 += OBSERVED_CHUNK) {
      const p1 = Math.min(nPatterns, p0 + OBSERVED_CHUNK);
      rows.set(patterns.subarray(p0 * nCols, p1 * nCols));
      logitTable(p1 - p0, nGroups, nOut, nCols, rows, this.coef, log, table, this.eta);
      gather(table, p0, p1);
    }
  }

  /**
   * The pass of `evaluate` from per-unit weights [u*nGroups + g] of the observed outcomes: units are
   * gathered a chunk at a time into a count table with one pattern per unit and run through the same
   * logitPass, chunk results added up; into this.gc / this.hm. Equals the per-pattern pass on the
   * counts aggregated by pattern up to the order of summation.
   */
  private observedPass(weights: Float64Array, outcome: Int32Array, grad: boolean, hess: boolean): number {
    const { nGroups, nOut, nFree } = this;
    const { nCols, patterns, index } = this.design;
    const ch = this.chunkBuffers();
    const units = index.length;
    const GO = nGroups * nOut;
    if (grad) this.gc.fill(0);
    if (hess) this.hm.fill(0);
    let q = 0;
    for (let u0 = 0; u0 < units; u0 += OBSERVED_CHUNK) {
      const u1 = Math.min(units, u0 + OBSERVED_CHUNK);
      ch.table.fill(0);
      let m = 0;
      for (let u = u0; u < u1; u++) {
        const v = outcome[u];
        if (v < 0) continue;
        const xb = index[u] * nCols;
        for (let j = 0; j < nCols; j++) ch.rows[m * nCols + j] = patterns[xb + j];
        for (let g = 0; g < nGroups; g++) ch.table[m * GO + g * nOut + v] = weights[u * nGroups + g];
        m++;
      }
      if (m === 0) continue;
      // Unused tail units of the chunk have zero counts, which logitPass skips.
      q += logitPass(OBSERVED_CHUNK, nGroups, nOut, nCols, nFree, ch.rows, this.coef, ch.table, this.freeOut, grad ? ch.gc : null, hess ? ch.hm : null, this.scratch, null);
      if (grad) for (let e = 0; e < ch.gc.length; e++) this.gc[e] += ch.gc[e];
      if (hess) for (let e = 0; e < ch.hm.length; e++) this.hm[e] += ch.hm[e];
    }
    return q;
  }

  /**
   * logitPass (compiled for this shape, compileLogitPass.ts) over per-pattern counts or grouped
   * units, into this.gc / this.hm: the kept table at these parameters spares the pass its exp;
   * otherwise the pass refreshes that table.
   */
  private compiledPass(counts: Float64Array, units: GroupedUnits | null, grad: boolean, hess: boolean): number {
    const { nGroups, nOut } = this;
    const { nPatterns, nCols, patterns } = this.design;
    const current = this.cacheCurrent();
    const probs: LogitPassShape['probs'] = current ? 'in' : this.cache !== null ? 'out' : 'exp';
    if (units === null && counts.length !== nPatterns * nGroups * nOut) throw new RangeError(`counts: length ${counts.length} != ${nPatterns * nGroups * nOut}`);
    // A pass that refills the kept table keeps its log-sum-exps (read by the next pass at the same
    // parameters instead of a log each) and, over the E-step's grouped units, gathers the table
    // into the E-step's unit table (which its next groupedProbabilities then finds filled).
    const box = this.cacheBox;
    const keep = probs === 'out' || (probs === 'in' && box!.lseKept);
    const target = probs === 'out' && units !== null && box!.target !== null && box!.target.units.start === units.start ? box!.target.out : null;
    if (passChunks(nPatterns) > 1) {
      // chunks fixed by the design, added up in chunk order (logitPassChunks.ts): on the worker
      // threads when the counts are the shared E-step table they were given, else here
      const par = this.parallel;
      let d: LogitPassData;
      if (par.run !== null && par.data !== null && par.data.counts === counts && par.data.start === (units?.start ?? null)) {
        d = par.data;
        const fill = target !== null && d.unitProbs === target;
        const mode = passMode(grad, hess, probs, keep, fill);
        d.coef.set(this.coef);
        par.run(mode);
        const q = reducePassChunks(d, mode, this.gc, this.hm);
        if (probs === 'out') this.markCache(true, fill ? target : null);
        return q;
      } else {
        d = this.localPass ??= this.passData(counts, units, this.design.patterns, (n) => new Float64Array(n));
        d.counts = counts;
        d.start = units?.start ?? null;
        d.outcome = units?.outcome ?? null;
        d.shape = { ...d.shape, layout: units ? 'units' : 'patterns' };
        d.coef = this.coef;
        d.cache = this.cache;
        d.lse = box?.lse ?? null;
        d.unitProbs = target;
        const mode = passMode(grad, hess, probs, keep, target !== null);
        const n = passChunks(nPatterns);
        for (let c = 0; c < n; c++) runPassChunk(d, c, mode, this.scratch);
        const q = reducePassChunks(d, mode, this.gc, this.hm);
        if (probs === 'out') this.markCache(true, target);
        return q;
      }
    }
    const shape: LogitPassShape = { nGroups, nOut, nCols, free: this.freeOut, nFree: this.nFree, fixed: this.fixedOutcomes(), layout: units ? 'units' : 'patterns', grad, hess, probs, keep, gather: target !== null };
    const pass = compileLogitPass(shape);
    const q = pass(nPatterns, patterns, this.coef, counts, units?.start ?? null, units?.outcome ?? null, grad ? this.gc : null, hess ? this.hm : null, current ? this.cache : null, probs === 'out' ? this.cache : null, this.scratch, keep ? box!.lse : null, target);
    if (probs === 'out') this.markCache(true, target);
    return q;
  }

  private checkCounts(counts: Float64Array): void {
    const need = this.design.nPatterns * this.nGroups * this.nOut;
    if (counts.length !== need) throw new RangeError(`${this.block} counts: length ${counts.length}, expected ${need}`);
  }

  objective(counts: Float64Array, ridge: number, observed?: ObservedUnits): number {
    if (observed !== undefined) {
      this.checkObserved(observed, counts, 'counts');
      return this.evaluate(counts, ridge, undefined, undefined, observed);
    }
    this.checkCounts(counts);
    return this.evaluate(counts, ridge, undefined, undefined);
  }

  gradient(counts: Float64Array, ridge: number, out: Float64Array, observed?: ObservedUnits): void {
    if (out.length !== this.nParams) throw new RangeError(`gradient out: length ${out.length}, expected ${this.nParams}`);
    if (observed !== undefined) {
      this.checkObserved(observed, counts, 'counts');
      this.evaluate(counts, ridge, out, undefined, observed);
      return;
    }
    this.checkCounts(counts);
    this.evaluate(counts, ridge, out, undefined, undefined, this.cacheCurrent());
  }

  hessian(counts: Float64Array, ridge: number, out: Float64Array, observed?: ObservedUnits): void {
    const P = this.nParams;
    if (out.length !== P * P) throw new RangeError(`hessian out: length ${out.length}, expected ${P * P}`);
    if (observed !== undefined) this.checkObserved(observed, counts, 'counts');
    else this.checkCounts(counts);
    this.evaluate(counts, ridge, undefined, out, observed);
  }

  /**
   * The objective and, when asked, its gradient and Hessian, from one pass over the patterns
   * (logitPass, the hot loop): the M-step needs all three at every Newton point and the softmax
   * is most of the work. The pass accumulates derivatives in coefficient space; they are mapped
   * onto the parameters here.
   */
  private evaluate(
    counts: Float64Array,
    ridge: number,
    grad: Float64Array | undefined,
    hess: Float64Array | undefined,
    observed?: ObservedUnits,
    /** Gradient only, from the kept probability table at these parameters (no exp); returns NaN. */
    fromTable = false,
  ): number {
    const { nGroups, nOut, map, nFree, nPairs, nTri } = this;
    const { nPatterns, nCols, patterns } = this.design;
    const free = this.freeOut;
    const gc = this.gc;
    const hm = this.hm;
    let q: number;
    if (observed !== undefined && !(observed instanceof Int32Array)) {
      q = this.compiledPass(counts, observed, grad !== undefined, hess !== undefined);
    } else if (observed !== undefined) {
      q = this.observedPass(counts, observed, grad !== undefined, hess !== undefined);
    } else if (fromTable && grad !== undefined && hess === undefined) {
      logitGradientFromTable(nPatterns, nGroups, nOut, nCols, nFree, patterns, this.cache!, counts, free, gc);
      q = NaN;
    } else {
      // the kept table at these parameters (the M-step's first point, right after the E-step)
      // spares the pass its exp; otherwise the pass refreshes the table
      q = this.compiledPass(counts, null, grad !== undefined, hess !== undefined);
    }
    const P = this.nParams;
    const theta = this.theta;
    let ss = 0;
    for (let a = 0; a < P; a++) ss += theta[a] * theta[a];
    if (grad) {
      for (let a = 0; a < P; a++) grad[a] = -ridge * theta[a];
      for (let g = 0; g < nGroups; g++) {
        for (let a = 0; a < nFree; a++) {
          const mb = (g * nOut + free[g * nFree + a]) * nCols;
          for (let j = 0; j < nCols; j++) {
            const m = map[mb + j];
            if (m >= 0) grad[m] += gc[(g * nFree + a) * nCols + j];
          }
        }
      }
    }
    if (hess) {
      hess.fill(0);
      for (let a = 0; a < P; a++) hess[a * P + a] = -ridge;
      for (let g = 0; g < nGroups; g++) {
        for (let a = 0; a < nFree; a++) {
          const ma = (g * nOut + free[g * nFree + a]) * nCols;
          for (let b = 0; b < nFree; b++) {
            const mb = (g * nOut + free[g * nFree + b]) * nCols;
            const lo = Math.min(a, b);
            const hi = Math.max(a, b);
            const ab = lo * nFree - (lo * (lo - 1)) / 2 + (hi - lo); // index of pair (lo, hi), lo <= hi
            const rb = (g * nPairs + ab) * nTri;
            for (let j = 0; j < nCols; j++) {
              const m = map[ma + j];
              if (m < 0) continue;
              for (let k = 0; k < nCols; k++) {
                const m2 = map[mb + k];
                if (m2 < 0) continue;
                const jl = Math.min(j, k);
                const kh = Math.max(j, k);
                const jk = jl * nCols - (jl * (jl - 1)) / 2 + (kh - jl); // index of (jl, kh), jl <= kh
                hess[m * P + m2] -= hm[rb + jk];
              }
            }
          }
        }
      }
    }
    return q - 0.5 * ridge * ss;
  }

  mStep(stats: EStepStatistics, options: MStepOptions): MStepReport {
    const counts = stats.counts[this.block];
    const observed = stats.observed?.[this.block];
    if (observed !== undefined) this.checkObserved(observed, counts, 'counts');
    else this.checkCounts(counts);
    const ridge = options.ridge;
    return newtonMaximize(
      {
        n: this.nParams,
        get: (out) => out.set(this.theta),
        set: (x) => {
          this.theta.set(x);
          this.expand();
        },
        evaluate: (grad, hess) => this.evaluate(counts, ridge, grad, hess, observed),
      },
      options,
    );
  }

  permuteStates(perm: Int32Array): void {
    const { nGroups, nOut, map } = this;
    const nCols = this.design.nCols;
    const K = this.relabel === 'initial' ? nOut : nGroups;
    checkPermutation(perm, K);
    const old = this.coef.slice();
    const next = new Float64Array(old.length);
    for (let g = 0; g < nGroups; g++) {
      for (let c = 0; c < nOut; c++) {
        for (let j = 0; j < nCols; j++) {
          let v: number;
          if (this.relabel === 'initial') v = old[perm[c] * nCols + j] - old[perm[0] * nCols + j];
          else if (this.relabel === 'transition') v = old[(perm[g] * nOut + perm[c]) * nCols + j];
          else v = old[(perm[g] * nOut + c) * nCols + j];
          next[(g * nOut + c) * nCols + j] = v;
        }
      }
    }
    for (let e = 0; e < map.length; e++) {
      if (map[e] >= 0) this.theta[map[e]] = next[e];
      else if (next[e] !== 0) throw new Error(`${this.block}: relabelling moved a value onto a fixed coefficient`);
    }
    this.expand();
  }

  clone(): MultinomialLogit {
    return new MultinomialLogit(this.layout(), this.theta, this.cacheBox, this.parallel);
  }
}

/** RangeError unless perm is a permutation of 0..K-1. */
export function checkPermutation(perm: Int32Array, K: number): void {
  if (perm.length !== K) throw new RangeError(`permutation of length ${perm.length}, expected ${K}`);
  const seen = new Uint8Array(K);
  for (let s = 0; s < K; s++) {
    const v = perm[s];
    if (!(v >= 0 && v < K) || seen[v]) throw new RangeError(`not a permutation of 0..${K - 1}: [${Array.from(perm).join(', ')}]`);
    seen[v] = 1;
  }
}
