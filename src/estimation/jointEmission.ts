/**
 * The per-row table of what a period shows with a selection model: the voice and the firm's
 * intervention, jointly, given the state. For row r and state k (layout [r*K + k]):
 *   P(voice_r | k, x_r) * P(d_r | k, z_r)              voice observed (or not read by z),
 *   sum_v P(v | k, x_r) P(d_r | k, z_r(v))             voice missing and z reads this period's voice,
 * with P(voice | .) = 1 when the voice is missing and P(d | .) = 1 when the intervention d is.
 * The forward-backward kernel reads it as a per-row emission table (V' = 1), so the kernel is
 * unchanged, and gives back the posterior weight of each state at each row. From those weights
 * `scatter` fills the emission and selection count tables per design pattern (layouts of the
 * sub-models' probability tables): a row with missing voice and a voice-reading z splits its
 * weight over the voices v in proportion to P(v | k) P(d | k, z(v)) (the posterior of the missing
 * voice), so both M-steps maximise the exact expected complete-data log-likelihood and EM keeps
 * its monotone climb, and the counts give the exact score by Fisher's identity.
 */
import type { SelectionRows } from '../data/selectionDesign.js';
import type { SubModel } from '../model/subModel.js';

export class JointEmission {
  /** Emission probabilities per pattern [(p*K + k)*V + c] at the last `fill`. */
  readonly emisTable: Float64Array;
  /** Selection probabilities per pattern [(p*K + k)*2 + d] at the last `fill`. */
  readonly selTable: Float64Array;
  /** Emission counts per pattern, layout of emisTable (the emission M-step's counts). */
  readonly emisCounts: Float64Array;
  /** Selection counts per pattern, layout of selTable (the selection M-step's counts). */
  readonly selCounts: Float64Array;
  /** Log tables for Viterbi (allocated on first use). */
  private logTables: { emis: Float64Array; sel: Float64Array } | null = null;
  private readonly K: number;
  private readonly V: number;

  constructor(
    emission: SubModel,
    selection: SubModel,
    readonly rows: SelectionRows,
    /** The panel's voice per row (-1 = missing). */
    readonly voice: Int32Array,
    alloc: (n: number) => Float64Array,
  ) {
    this.K = emission.nGroups;
    this.V = emission.nOut;
    const n = voice.length;
    if (rows.unitStart.length !== n + 1) throw new RangeError(`selection units: ${rows.unitStart.length - 1} rows, expected ${n}`);
    if (rows.outcome.length !== n) throw new RangeError(`selection outcome: length ${rows.outcome.length}, expected ${n}`);
    if (selection.design.index.length !== rows.unitStart[n]) throw new RangeError(`selection design index: ${selection.design.index.length} units, expected ${rows.unitStart[n]}`);
    if (emission.design.index.length !== n) throw new RangeError(`emission design index: length ${emission.design.index.length}, expected ${n} rows`);
    this.emisTable = new Float64Array(emission.design.nPatterns * this.K * this.V);
    this.selTable = new Float64Array(selection.design.nPatterns * this.K * 2);
    this.emisCounts = alloc(this.emisTable.length);
    this.selCounts = alloc(this.selTable.length);
  }

  /** Whether row r shows anything (voice or intervention observed): the kernel skips the others. */
  observed(r: number): boolean {
    return this.voice[r] >= 0 || this.rows.outcome[r] >= 0;
  }

  /** The joint table [r*K + k] (or its log) at the sub-models' current parameters. */
  fill(emission: SubModel, selection: SubModel, log: boolean, out: Float64Array): void {
    const { K, V, voice } = this;
    const { unitStart, unitVoice, outcome } = this.rows;
    const n = voice.length;
    if (out.length !== n * K) throw new RangeError(`joint table: length ${out.length}, expected ${n * K}`);
    emission.probabilities(this.emisTable);
    selection.probabilities(this.selTable);
    let E = this.emisTable;
    let S = this.selTable;
    if (log) {
      this.logTables ??= { emis: new Float64Array(E.length), sel: new Float64Array(S.length) };
      emission.logProbabilities(this.logTables.emis);
      selection.logProbabilities(this.logTables.sel);
      E = this.logTables.emis;
      S = this.logTables.sel;
    }
    const eIdx = emission.design.index;
    const sIdx = selection.design.index;
    for (let r = 0; r < n; r++) {
      const v = voice[r];
      const d = outcome[r];
      const pe = eIdx[r] * K;
      const u0 = unitStart[r];
      const nu = unitStart[r + 1] - u0;
      if (nu === 1 || d < 0) {
        // one unit (the common case): the branches once per row, not per state
        const eb = pe * V + v; // E[eb + k*V] = P(v | k)
        const sb = sIdx[u0] * K * 2 + d; // S[sb + 2k] = P(d | k)
        const o = r * K;
        if (v >= 0 && d >= 0) {
          if (log) for (let k = 0; k < K; k++) out[o + k] = E[eb + k * V] + S[sb + 2 * k];
          else for (let k = 0; k < K; k++) out[o + k] = E[eb + k * V] * S[sb + 2 * k];
        } else if (v >= 0) for (let k = 0; k < K; k++) out[o + k] = E[eb + k * V];
        else if (d >= 0) for (let k = 0; k < K; k++) out[o + k] = S[sb + 2 * k];
        else out.fill(log ? 0 : 1, o, o + K);
        continue;
      }
      for (let k = 0; k < K; k++) {
        const o = r * K + k;
        if (!log) {
          let acc = 0;
          for (let u = u0; u < u0 + nu; u++) acc += E[(pe + k) * V + unitVoice[u]] * S[(sIdx[u] * K + k) * 2 + d];
          out[o] = acc;
        } else {
          let m = -Infinity;
          for (let u = u0; u < u0 + nu; u++) m = Math.max(m, E[(pe + k) * V + unitVoice[u]] + S[(sIdx[u] * K + k) * 2 + d]);
          let acc = 0;
          if (m > -Infinity) for (let u = u0; u < u0 + nu; u++) acc += Math.exp(E[(pe + k) * V + unitVoice[u]] + S[(sIdx[u] * K + k) * 2 + d] - m);
          out[o] = m + Math.log(acc);
        }
      }
    }
  }

  /**
   * Emission and selection counts from the posterior state weights per row, gamma [r*K + k]
   * (the kernel's per-row counts), and the joint table of the same parameters, joint [r*K + k].
   * emission and selection are the sub-models whose patterns index the tables.
   */
  scatter(emission: SubModel, selection: SubModel, gamma: Float64Array, joint: Float64Array): void {
    const { K, V, voice } = this;
    const { unitStart, unitVoice, outcome } = this.rows;
    const E = this.emisTable;
    const S = this.selTable;
    const ce = this.emisCounts;
    const cs = this.selCounts;
    ce.fill(0);
    cs.fill(0);
    const eIdx = emission.design.index;
    const sIdx = selection.design.index;
    const n = voice.length;
    for (let r = 0; r < n; r++) {
      const v = voice[r];
      const d = outcome[r];
      const pe = eIdx[r] * K;
      const u0 = unitStart[r];
      const nu = unitStart[r + 1] - u0;
      if (nu === 1 || d < 0) {
        const o = r * K;
        if (v >= 0) {
          const eb = pe * V + v;
          for (let k = 0; k < K; k++) ce[eb + k * V] += gamma[o + k];
        }
        if (d >= 0) {
          const sb = sIdx[u0] * K * 2 + d;
          for (let k = 0; k < K; k++) cs[sb + 2 * k] += gamma[o + k];
        }
        continue;
      }
      for (let k = 0; k < K; k++) {
        const g = gamma[r * K + k];
        if (g === 0) continue;
        const j = joint[r * K + k];
        if (!(j > 0)) continue;
        for (let u = u0; u < u0 + nu; u++) {
          const vu = unitVoice[u];
          const su = (sIdx[u] * K + k) * 2 + d;
          const w = (g * E[(pe + k) * V + vu] * S[su]) / j;
          ce[(pe + k) * V + vu] += w;
          cs[su] += w;
        }
      }
    }
  }

  /**
   * Add a start's responsibilities g (length K, normalised) of row r to the count tables: at the
   * observed voice and intervention; a missing voice read by z spreads evenly over the voices.
   */
  addResponsibility(emission: SubModel, selection: SubModel, r: number, g: Float64Array): void {
    const { K, V, voice } = this;
    const { unitStart, unitVoice, outcome } = this.rows;
    const v = voice[r];
    const d = outcome[r];
    const pe = emission.design.index[r] * K;
    const sIdx = selection.design.index;
    const u0 = unitStart[r];
    const nu = unitStart[r + 1] - u0;
    for (let k = 0; k < K; k++) {
      if (nu === 1 || d < 0) {
        if (v >= 0) this.emisCounts[(pe + k) * V + v] += g[k];
        if (d >= 0) this.selCounts[(sIdx[u0] * K + k) * 2 + d] += g[k];
        continue;
      }
      for (let u = u0; u < u0 + nu; u++) {
        this.emisCounts[(pe + k) * V + unitVoice[u]] += g[k] / nu;
        this.selCounts[(sIdx[u] * K + k) * 2 + d] += g[k] / nu;
      }
    }
  }

  /** Entries of the emission or selection table within eps of 0 or 1 (for boundary warnings). */
  countBoundary(which: 'emission' | 'selection', eps: number): number {
    const p = which === 'emission' ? this.emisTable : this.selTable;
    let n = 0;
    for (let i = 0; i < p.length; i++) if (p[i] < eps || p[i] > 1 - eps) n++;
    return n;
  }
}
