/**
 * The firm's observed response policy, estimated from a panel: a binary logit of the period's
 * intervention on this period's voice and the customer's recent history,
 *   logit P(intervention_t = 1) = b0 + b1 complaint_t + b2 compliment_t + b3 intervention_{t-1}
 *                                 + b4 complaint_{t-1} + b5 stock(intervention, 0.8)_t
 * (complaint_t, compliment_t: indicators of the period's voice, 0 when it is missing; lags and the
 * stock are 0 before the customer's first period, as in the model's formulas; the compliment term
 * only when the voice labels have a compliment). Fitted by Newton-Raphson with the exact Hessian
 * (ml-matrix solves), standard errors from the inverse observed information.
 *
 * The same features drive the `observed` policy in projections: FirmHistory keeps, per unit,
 * what the features need from earlier periods.
 */
import { Matrix, inverse, solve } from 'ml-matrix';
import type { Panel } from '../../data/panel.js';
import { normalTwoSidedP, normalQuantile } from '../../estimation/inference/distributions.js';
import { complaintIndex } from '../../model/hmmModel.js';

/** Decay of the firm's intervention stock feature. */
export const FIRM_STOCK_DECAY = 0.8;
const RIDGE = 1e-8;
const MAX_ITER = 100;
/** Standard errors above this are reported as not available (separation: a coefficient running off to infinity). */
const SE_MAX = 1e3;

/** Feature names in coefficient order. */
export function firmFeatureNames(voiceLabels: readonly string[]): string[] {
  const names = ['(Intercept)', 'complaint', 'lag(intervention)', 'lag(complaint)', `stock(intervention, ${FIRM_STOCK_DECAY})`];
  if (complimentIndex(voiceLabels) >= 0) names.splice(2, 0, 'compliment');
  return names;
}

export function complimentIndex(voiceLabels: readonly string[]): number {
  return voiceLabels.findIndex((l) => l.toLowerCase() === 'compliment');
}

/**
 * Per-unit history of the firm's features. Layout: three arrays [unit]: the last intervention, the
 * last period's complaint indicator, the intervention stock (current period not included).
 */
export class FirmHistory {
  readonly lastIntervention: Float64Array;
  readonly lastComplaint: Float64Array;
  readonly stock: Float64Array;
  constructor(readonly units: number) {
    this.lastIntervention = new Float64Array(units);
    this.lastComplaint = new Float64Array(units);
    this.stock = new Float64Array(units);
  }

  reset(): void {
    this.lastIntervention.fill(0);
    this.lastComplaint.fill(0);
    this.stock.fill(0);
  }

  copyFrom(o: FirmHistory): void {
    this.lastIntervention.set(o.lastIntervention);
    this.lastComplaint.set(o.lastComplaint);
    this.stock.set(o.stock);
  }

  /** Features of unit u in a period with the given voice indicators, into out[offset ..]. */
  features(u: number, complaint: number, compliment: number, withCompliment: boolean, out: Float64Array, offset: number): void {
    let j = offset;
    out[j++] = 1;
    out[j++] = complaint;
    if (withCompliment) out[j++] = compliment;
    out[j++] = this.lastIntervention[u];
    out[j++] = this.lastComplaint[u];
    out[j] = this.stock[u];
  }

  /** Append a period of unit u. */
  push(u: number, complaint: number, intervention: number): void {
    this.stock[u] = FIRM_STOCK_DECAY * this.stock[u] + intervention;
    this.lastIntervention[u] = intervention;
    this.lastComplaint[u] = complaint;
  }
}

/** The estimated firm policy with its coefficient table. */
export interface FirmPolicy {
  names: string[];
  estimate: number[];
  /** NaN = not available. */
  se: number[];
  z: number[];
  p: number[];
  low: number[];
  high: number[];
  /** Covariance of the estimates, row-major [i*n + j] (rows/columns of unavailable ones 0). */
  covariance: number[];
  rows: number;
  interventions: number;
  logLik: number;
  converged: boolean;
  warnings: string[];
}

/** Linear predictor of the firm's logit. */
export function firmEta(beta: ArrayLike<number>, x: Float64Array, offset: number, n: number): number {
  let eta = 0;
  for (let j = 0; j < n; j++) eta += beta[j] * x[offset + j];
  return eta;
}

/** Feature rows and responses of every panel row: x row-major [row*p + j]. */
export function firmDesign(panel: Panel): { names: string[]; x: Float64Array; y: Float64Array } {
  const names = firmFeatureNames(panel.voiceLabels);
  const p = names.length;
  const withCompliment = complimentIndex(panel.voiceLabels) >= 0;
  const ci = complaintIndex(panel.voiceLabels);
  const gi = complimentIndex(panel.voiceLabels);
  const n = panel.voice.length;
  const x = new Float64Array(n * p);
  const y = panel.columns.intervention;
  const h = new FirmHistory(1);
  for (let i = 0; i + 1 < panel.offsets.length; i++) {
    h.reset();
    for (let r = panel.offsets[i]; r < panel.offsets[i + 1]; r++) {
      const c = panel.voice[r] === ci ? 1 : 0;
      h.features(0, c, panel.voice[r] === gi && gi >= 0 ? 1 : 0, withCompliment, x, r * p);
      h.push(0, c, y[r]);
    }
  }
  return { names, x, y };
}

/** Fit the firm's policy logit to a panel's interventions. */
export function estimateFirmPolicy(panel: Panel): FirmPolicy {
  const { names, x, y } = firmDesign(panel);
  const p = names.length;
  const n = y.length;
  const beta = new Float64Array(p);
  const grad = new Float64Array(p);
  const hess = new Float64Array(p * p);
  let logLik = -Infinity;
  const evaluate = (b: Float64Array): number => {
    grad.fill(0);
    hess.fill(0);
    let ll = 0;
    for (let r = 0; r < n; r++) {
      const eta = firmEta(b, x, r * p, p);
      const pr = 1 / (1 + Math.exp(-eta));
      // log P(y | eta) computed stably for either sign of eta.
      ll += y[r] * eta - (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta)));
      const w = pr * (1 - pr);
      const d = y[r] - pr;
      for (let j = 0; j < p; j++) {
        const xj = x[r * p + j];
        if (xj === 0) continue;
        grad[j] += d * xj;
        for (let k = 0; k <= j; k++) hess[j * p + k] += w * xj * x[r * p + k];
      }
    }
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < j; k++) hess[k * p + j] = hess[j * p + k];
      ll -= (RIDGE / 2) * b[j] * b[j];
      grad[j] -= RIDGE * b[j];
      hess[j * p + j] += RIDGE;
    }
    return ll;
  };
  let converged = false;
  logLik = evaluate(beta);
  for (let it = 0; it < MAX_ITER && !converged; it++) {
    const H = new Matrix(p, p);
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) H.set(j, k, hess[j * p + k]);
    const step = solve(H, Matrix.columnVector(Array.from(grad)), true).to1DArray();
    // Step-halving keeps the (concave) log-likelihood rising.
    let t = 1;
    const trial = new Float64Array(p);
    let next = -Infinity;
    for (let half = 0; half < 30; half++) {
      for (let j = 0; j < p; j++) trial[j] = beta[j] + t * step[j];
      next = evaluate(trial);
      if (next >= logLik - 1e-12 * Math.abs(logLik)) break;
      t /= 2;
    }
    const maxStep = Math.max(...step.map((s) => Math.abs(t * s)));
    beta.set(trial);
    logLik = next;
    if (maxStep < 1e-9) converged = true;
  }
  evaluate(beta);
  const H = new Matrix(p, p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) H.set(j, k, hess[j * p + k]);
  let cov: Matrix;
  try {
    cov = inverse(H, true);
  } catch {
    cov = Matrix.zeros(p, p);
  }
  const z975 = normalQuantile(0.975);
  const se = names.map((_, j) => {
    const v = cov.get(j, j);
    const s = Math.sqrt(v);
    return Number.isFinite(s) && v > 0 && s < SE_MAX ? s : NaN;
  });
  const covariance = new Array<number>(p * p).fill(0);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) if (!Number.isNaN(se[j]) && !Number.isNaN(se[k])) covariance[j * p + k] = cov.get(j, k);
  const estimate = Array.from(beta);
  const warnings: string[] = [];
  if (!converged) warnings.push(`the firm's policy logit did not converge in ${MAX_ITER} Newton iterations`);
  const unavailable = names.filter((_, j) => Number.isNaN(se[j]));
  if (unavailable.length) {
    warnings.push(`no standard error for the firm's policy coefficient(s) ${unavailable.join(', ')}: the panel does not determine them (a feature that never varies, or interventions perfectly predicted by it); they are held at their estimates in the intervals`);
  }
  let interventions = 0;
  for (let r = 0; r < n; r++) interventions += y[r];
  return {
    names,
    estimate,
    se,
    z: estimate.map((b, j) => b / se[j]),
    p: estimate.map((b, j) => normalTwoSidedP(b / se[j])),
    low: estimate.map((b, j) => b - z975 * se[j]),
    high: estimate.map((b, j) => b + z975 * se[j]),
    covariance,
    rows: n,
    interventions,
    logLik,
    converged,
    warnings,
  };
}
