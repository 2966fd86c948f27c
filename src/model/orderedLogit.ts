/**
 * The ordered ("ladder") transition model: per origin state i (group), over destinations 1..K,
 *   P(S_t <= j | S_{t-1} = i, x) = F(theta_ij - x'beta_i),   j = 1..K-1,   F = logistic,
 * so P(S_t = j) = F(u_j) - F(u_{j-1}) with u_j = theta_ij - x'beta_i, u_0 = -inf, u_K = +inf.
 * A positive beta lowers every cumulative probability and so moves customers up the ladder
 * (toward better states). x excludes the '(Intercept)' column: the thresholds play its role.
 *
 * Thresholds are ordered by construction: the flat vector stores unconstrained values
 *   a_i1 = theta_i1                        named transition[i]:cut[1|2]
 *   a_ij = log(theta_ij - theta_i,j-1)     named transition[i]:logstep[j|j+1], j >= 2
 * followed by the slopes beta_i           named transition[i]:<column>.
 * Per origin: K-1 threshold parameters then the slopes; origins in order 1..K.
 *
 * Probabilities use P = -expm1(u_{j-1} - u_j) F(u_j) F(-u_{j-1}) (= F(u_j) - F(u_{j-1}) exactly),
 * which has no cancellation when both cumulative probabilities are close to 1.
 *
 * M-step objective: Q = sum n[p,i,j] log P[p,i,j] - ridge/2 |a, beta|^2, gradient and Hessian by
 * the chain rule through u (exact, including the second derivative of exp(a_ij)). Q is not
 * necessarily concave in the a's; the Newton routine then damps its system (see newtonMaximize).
 *
 * Relabelling: the only relabellings that keep the ladder a ladder are the identity and the full
 * reversal s -> K-1-s, an exact reparametrisation: beta' = -beta, theta'_j = -theta_{K-j}, i.e.
 * a'_1 = -theta_{K-1} and the log-steps reversed.
 */
import type { EStepStatistics, MStepOptions, MStepReport, SubModel } from './subModel.js';
import type { PatternDesign } from './patternDesign.js';
import { newtonMaximize } from './newtonMaximize.js';
import { checkPermutation } from './multinomialLogit.js';
import { ModelError } from '../errors.js';

export const INTERCEPT = '(Intercept)';

/** log logistic(u) without overflow or underflow to -inf for moderate u. */
function logLogistic(u: number): number {
  return u >= 0 ? -Math.log1p(Math.exp(-u)) : u - Math.log1p(Math.exp(u));
}

/** Thresholds from the unconstrained a's at theta[b..b+K-2] into out[o..o+K-2]. */
function thresholdsOf(theta: Float64Array, b: number, K: number, out: Float64Array, o = 0): void {
  let t = 0;
  for (let j = 0; j < K - 1; j++) {
    t = j === 0 ? theta[b] : t + Math.exp(theta[b + j]);
    out[o + j] = t;
  }
}

export class OrderedLogit implements SubModel {
  readonly block = 'transition' as const;
  readonly nGroups: number;
  readonly nOut: number;
  readonly design: PatternDesign;
  readonly nParams: number;
  /** Design columns used as slopes (all but '(Intercept)'). */
  private readonly slopeCols: Int32Array;
  /** Parameters per origin: K-1 thresholds then slopes. */
  private readonly perGroup: number;
  private readonly theta: Float64Array;
  private readonly names: string[];
  // Scratch (length K+1 / K): thresholds (relabelling), u, P, f(u), f'(u), du gradient, du Hessian band.
  private readonly thr: Float64Array;
  private readonly u: Float64Array;
  private readonly prob: Float64Array;
  private readonly fu: Float64Array;
  private readonly dfu: Float64Array;
  private readonly gu: Float64Array;
  private readonly huDiag: Float64Array;
  private readonly huOff: Float64Array;
  private readonly jac: Float64Array;
  /** Thresholds of every origin, row-major [g*(K-1) + j]; exp(a) per origin [g*(K-1) + m]. */
  private readonly thrAll: Float64Array;
  private readonly steps: Float64Array;
  /** F(u_r) and F(-u_r), r = 0..K. */
  private readonly cdf: Float64Array;
  private readonly sf: Float64Array;

  constructor(nStates: number, design: PatternDesign, theta?: Float64Array) {
    if (!Number.isInteger(nStates) || nStates < 1) throw new RangeError(`nStates must be an integer >= 1, got ${nStates}`);
    const K = nStates;
    this.nGroups = K;
    this.nOut = K;
    this.design = design;
    const cols: number[] = [];
    design.names.forEach((n, j) => {
      if (n !== INTERCEPT) cols.push(j);
    });
    this.slopeCols = Int32Array.from(cols);
    this.perGroup = K - 1 + cols.length;
    this.nParams = K * this.perGroup;
    const names: string[] = [];
    for (let i = 1; i <= K; i++) {
      for (let j = 1; j < K; j++) names.push(j === 1 ? `transition[${i}]:cut[1|2]` : `transition[${i}]:logstep[${j}|${j + 1}]`);
      for (const c of cols) names.push(`transition[${i}]:${design.names[c]}`);
    }
    this.names = names;
    this.theta = theta ? Float64Array.from(theta) : new Float64Array(this.nParams);
    // Default (all zero): thresholds 0, 1, 2, ... and no slopes.
    if (this.theta.length !== this.nParams) throw new RangeError(`theta length ${this.theta.length}, expected ${this.nParams}`);
    this.thr = new Float64Array(K + 1);
    this.u = new Float64Array(K + 1);
    this.prob = new Float64Array(K);
    this.fu = new Float64Array(K + 1);
    this.dfu = new Float64Array(K + 1);
    this.gu = new Float64Array(K + 1);
    this.huDiag = new Float64Array(K + 1);
    this.huOff = new Float64Array(K + 1);
    this.jac = new Float64Array((K + 1) * Math.max(1, this.perGroup));
    this.thrAll = new Float64Array(K * Math.max(0, K - 1));
    this.steps = new Float64Array(K * Math.max(0, K - 1));
    this.cdf = new Float64Array(K + 1);
    this.sf = new Float64Array(K + 1);
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
  }

  /** Thresholds theta_i1..theta_i,K-1 of origin i (0-based) into out[0..K-2]. */
  thresholds(i: number, out: Float64Array): void {
    thresholdsOf(this.theta, i * this.perGroup, this.nOut, out);
  }

  /** Recompute the thresholds of every origin from the a's (once per pass, not per pattern). */
  private refreshThresholds(): void {
    const K = this.nOut;
    for (let g = 0; g < K; g++) thresholdsOf(this.theta, g * this.perGroup, K, this.thrAll, g * (K - 1));
  }

  /**
   * For origin g at rows[base..] (thresholds from thrAll): u[1..K-1] (u[0] = -inf, u[K] = +inf),
   * cdf[r] = F(u_r), sf[r] = F(-u_r) (one exp per threshold) and prob[0..K-1].
   */
  private fill(rows: Float64Array, base: number, g: number): void {
    const K = this.nOut;
    const b = g * this.perGroup;
    const sc = this.slopeCols;
    let eta = 0;
    for (let s = 0; s < sc.length; s++) eta += rows[base + sc[s]] * this.theta[b + K - 1 + s];
    const u = this.u;
    const cdf = this.cdf;
    const sf = this.sf;
    const tb = g * (K - 1);
    u[0] = -Infinity;
    u[K] = Infinity;
    cdf[0] = 0;
    sf[0] = 1;
    cdf[K] = 1;
    sf[K] = 0;
    for (let r = 1; r < K; r++) {
      const v = this.thrAll[tb + r - 1] - eta;
      u[r] = v;
      const e = Math.exp(-Math.abs(v));
      const big = 1 / (1 + e);
      const small = e / (1 + e);
      cdf[r] = v >= 0 ? big : small;
      sf[r] = v >= 0 ? small : big;
    }
    for (let j = 0; j < K; j++) {
      // outcome j (0-based) lies between u[j] (lower) and u[j+1] (upper):
      // F(u_{j+1}) - F(u_j) = (1 - exp(u_j - u_{j+1})) F(u_{j+1}) F(-u_j), without cancellation
      const gap = j === 0 || j === K - 1 ? 1 : -Math.expm1(u[j] - u[j + 1]);
      this.prob[j] = gap * cdf[j + 1] * sf[j];
    }
  }

  private logProb(j: number): number {
    const u = this.u;
    const K = this.nOut;
    const lo = u[j];
    const hi = u[j + 1];
    const gap = j === 0 || j === K - 1 ? 0 : Math.log(-Math.expm1(lo - hi));
    return gap + (hi === Infinity ? 0 : logLogistic(hi)) + (lo === -Infinity ? 0 : logLogistic(-lo));
  }

  probabilities(out: Float64Array): void {
    this.probabilitiesFor(this.design.patterns, this.design.nPatterns, out);
  }

  probabilitiesFor(rows: Float64Array, nPatterns: number, out: Float64Array): void {
    this.table(rows, nPatterns, out, false);
  }

  logProbabilities(out: Float64Array): void {
    this.table(this.design.patterns, this.design.nPatterns, out, true);
  }

  /** out row-major [(p*K + i)*K + j]. */
  private table(rows: Float64Array, nPatterns: number, out: Float64Array, log: boolean): void {
    const K = this.nOut;
    const nCols = this.design.nCols;
    if (rows.length < nPatterns * nCols) throw new RangeError(`rows: length ${rows.length}, need ${nPatterns * nCols}`);
    if (out.length < nPatterns * K * K) throw new RangeError(`out: length ${out.length}, need ${nPatterns * K * K}`);
    this.refreshThresholds();
    for (let p = 0; p < nPatterns; p++) {
      for (let g = 0; g < K; g++) {
        this.fill(rows, p * nCols, g);
        const o = (p * K + g) * K;
        for (let j = 0; j < K; j++) out[o + j] = log ? this.logProb(j) : this.prob[j];
      }
    }
  }

  private checkCounts(counts: Float64Array): void {
    const K = this.nOut;
    const need = this.design.nPatterns * K * K;
    if (counts.length !== need) throw new RangeError(`transition counts: length ${counts.length}, expected ${need}`);
  }

  private penalty(ridge: number): number {
    let ss = 0;
    for (let a = 0; a < this.nParams; a++) ss += this.theta[a] * this.theta[a];
    return 0.5 * ridge * ss;
  }

  objective(counts: Float64Array, ridge: number): number {
    this.checkCounts(counts);
    return this.evaluate(counts, ridge, undefined, undefined);
  }

  gradient(counts: Float64Array, ridge: number, out: Float64Array): void {
    this.checkCounts(counts);
    if (out.length !== this.nParams) throw new RangeError(`gradient out: length ${out.length}, expected ${this.nParams}`);
    this.evaluate(counts, ridge, out, undefined);
  }

  hessian(counts: Float64Array, ridge: number, out: Float64Array): void {
    this.checkCounts(counts);
    const P = this.nParams;
    if (out.length !== P * P) throw new RangeError(`hessian out: length ${out.length}, expected ${P * P}`);
    this.evaluate(counts, ridge, undefined, out);
  }

  /**
   * For origin g at pattern p (after fill): derivatives of sum_j n_j log P_j with respect to
   * u_1..u_{K-1}: gu[r], Hessian diagonal huDiag[r] and band huOff[r] = d2/du_r du_{r+1}.
   */
  private uDerivatives(counts: Float64Array, o: number): void {
    const K = this.nOut;
    const P = this.prob;
    for (let r = 1; r < K; r++) {
      const F = this.cdf[r];
      const G = this.sf[r];
      this.fu[r] = F * G;
      this.dfu[r] = F * G * (G - F);
    }
    for (let r = 1; r < K; r++) {
      const f = this.fu[r];
      const df = this.dfu[r];
      const nBelow = counts[o + r - 1]; // outcome r-1 (0-based) has u_r as its upper bound
      const nAbove = counts[o + r]; // outcome r has u_r as its lower bound
      let g = 0;
      let h = 0;
      if (nBelow !== 0) {
        const pb = P[r - 1];
        g += (nBelow * f) / pb;
        h += nBelow * (df / pb - (f * f) / (pb * pb));
      }
      if (nAbove !== 0) {
        const pa = P[r];
        g -= (nAbove * f) / pa;
        h -= nAbove * (df / pa + (f * f) / (pa * pa));
      }
      this.gu[r] = g;
      this.huDiag[r] = h;
      // outcome r (0-based) has lower u_r and upper u_{r+1}: cross term when r+1 <= K-1
      const nMid = counts[o + r];
      this.huOff[r] = r + 1 < K && nMid !== 0 ? (nMid * f * this.fu[r + 1]) / (P[r] * P[r]) : 0;
    }
  }

  /** jac[r*perGroup + q] = du_r / d(param q of this origin), r = 1..K-1. */
  private jacobian(patterns: Float64Array, xb: number, g: number): void {
    const K = this.nOut;
    const pg = this.perGroup;
    const sc = this.slopeCols;
    const jac = this.jac;
    const steps = this.steps; // exp(a_m) of this origin, m = 1..K-2 (0-based parameter index)
    for (let r = 1; r < K; r++) {
      const row = r * pg;
      for (let m = 0; m < K - 1; m++) {
        // threshold parameter m (0-based): a_1 (m=0) enters every u_r; a_{m+1} enters u_r for r >= m+1
        jac[row + m] = m === 0 ? 1 : r >= m + 1 ? steps[g * (K - 1) + m] : 0;
      }
      for (let s = 0; s < sc.length; s++) jac[row + K - 1 + s] = -patterns[xb + sc[s]];
    }
  }

  /**
   * One pass over the patterns: the objective and, when asked, its gradient and Hessian (the
   * M-step needs all three at each Newton point; they share the cumulative probabilities).
   */
  private evaluate(counts: Float64Array, ridge: number, grad: Float64Array | undefined, hess: Float64Array | undefined): number {
    const K = this.nOut;
    const pg = this.perGroup;
    const P = this.nParams;
    const { nPatterns, nCols, patterns } = this.design;
    const jac = this.jac;
    this.refreshThresholds();
    for (let g = 0; g < K; g++) for (let m = 1; m < K - 1; m++) this.steps[g * (K - 1) + m] = Math.exp(this.theta[g * pg + m]);
    if (grad) for (let a = 0; a < P; a++) grad[a] = -ridge * this.theta[a];
    if (hess) {
      hess.fill(0);
      for (let a = 0; a < P; a++) hess[a * P + a] = -ridge;
    }
    let q = 0;
    for (let p = 0; p < nPatterns; p++) {
      const xb = p * nCols;
      for (let g = 0; g < K; g++) {
        const o = (p * K + g) * K;
        let total = 0;
        for (let j = 0; j < K; j++) total += counts[o + j];
        if (total === 0) continue; // rows never weighted here contribute nothing (even if not finite)
        this.fill(patterns, xb, g);
        for (let j = 0; j < K; j++) {
          const n = counts[o + j];
          if (n !== 0) q += n * this.logProb(j);
        }
        if (!grad && !hess) continue;
        this.uDerivatives(counts, o);
        this.jacobian(patterns, xb, g);
        const b = g * pg;
        if (grad) {
          for (let r = 1; r < K; r++) {
            const gr = this.gu[r];
            for (let qi = 0; qi < pg; qi++) grad[b + qi] += gr * jac[r * pg + qi];
          }
        }
        if (hess) {
          for (let r = 1; r < K; r++) {
            const hd = this.huDiag[r];
            const ho = r + 1 < K ? this.huOff[r] : 0;
            for (let qi = 0; qi < pg; qi++) {
              const jq = jac[r * pg + qi];
              const jq1 = r + 1 < K ? jac[(r + 1) * pg + qi] : 0;
              if (jq === 0 && jq1 === 0) continue;
              const rowOut = (b + qi) * P + b;
              for (let q2 = 0; q2 < pg; q2++) {
                const jr = jac[r * pg + q2];
                let v = hd * jq * jr;
                if (ho !== 0) v += ho * (jq * jac[(r + 1) * pg + q2] + jq1 * jr);
                hess[rowOut + q2] += v;
              }
            }
            // second derivative of u_r in the log-steps: d2 u_r / d a_m^2 = exp(a_m) for 2 <= m <= r
            const gr = this.gu[r];
            for (let m = 1; m < r; m++) hess[(b + m) * P + b + m] += gr * this.steps[g * (K - 1) + m];
          }
        }
      }
    }
    return q - this.penalty(ridge);
  }

  mStep(stats: EStepStatistics, options: MStepOptions): MStepReport {
    const counts = stats.counts.transition;
    this.checkCounts(counts);
    const ridge = options.ridge;
    return newtonMaximize(
      {
        n: this.nParams,
        get: (out) => out.set(this.theta),
        set: (x) => this.theta.set(x),
        evaluate: (grad, hess) => this.evaluate(counts, ridge, grad, hess),
      },
      options,
    );
  }

  permuteStates(perm: Int32Array): void {
    const K = this.nOut;
    checkPermutation(perm, K);
    let identity = true;
    let reversal = true;
    for (let s = 0; s < K; s++) {
      if (perm[s] !== s) identity = false;
      if (perm[s] !== K - 1 - s) reversal = false;
    }
    if (identity) return;
    if (!reversal) {
      throw new ModelError(
        `an ordered transition model can only be relabelled by keeping or reversing the state order, not by [${Array.from(perm, (v) => v + 1).join(', ')}]`,
      );
    }
    const pg = this.perGroup;
    const old = this.theta.slice();
    const thr = this.thr;
    for (let s = 0; s < K; s++) {
      const src = K - 1 - s;
      const ob = src * pg;
      const nb = s * pg;
      thresholdsOf(old, ob, K, thr);
      if (K > 1) this.theta[nb] = -thr[K - 2]; // theta'_1 = -theta_{K-1}
      for (let j = 2; j < K; j++) this.theta[nb + j - 1] = old[ob + K - j]; // a'_j = a_{K-j+1}
      for (let q = K - 1; q < pg; q++) this.theta[nb + q] = -old[ob + q];
    }
  }

  clone(): OrderedLogit {
    return new OrderedLogit(this.nOut, this.design, this.theta);
  }
}
