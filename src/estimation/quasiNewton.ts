/**
 * Final phase of a fit: quasi-Newton (BFGS) ascent on the exact penalised log-likelihood
 *   F(theta) = LL(theta) - ridge/2 * sum_{penalised i} theta_i^2,
 * the objective whose maximum EM with ridge M-steps converges to (same fixed points), so both
 * phases climb the same function.
 *
 * EM converges linearly, slowly where the states are hard to tell apart; BFGS converges
 * superlinearly. The gradient is exact and cheap by Fisher's identity: at theta, the E-step's
 * expected counts make every sub-model's M-step objective Q_part(. | theta) touch LL at theta, so
 *   grad F(theta) = sum over parts of part.gradient(E-step counts at theta, ridge)
 * (each part's gradient includes its own ridge term). The starting inverse Hessian is the inverse
 * of minus the complete-data Hessian (the M-steps' block-diagonal Hessian): with it the first step
 * is close to an EM step, and the BFGS updates add the curvature EM misses (Jamshidian & Jennrich
 * 1997, QN2 in spirit).
 *
 * Every accepted point raises F (backtracking line search with the Armijo condition); when no
 * step length works, one EM step (which cannot lower F) is taken instead and the curvature
 * estimate restarts. Stops when the gain still to come projected from the gradient,
 * g' B g / 2 with B the current inverse Hessian estimate, is below `tolAbs`.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { partCounts, partObserved, type MStepOptions, type SubModel } from '../model/subModel.js';
import type { EStepEngine } from './eStep.js';

/** The sub-models of a model in the order of its flat parameter vector. */
type Parts = readonly SubModel[];
type EStep = EStepEngine;

export interface QuasiNewtonOptions {
  /** Stop when the projected remaining gain of F is below this (absolute, log-likelihood units). */
  tolAbs: number;
  /** Accepted points allowed (each costs one E-step and one gradient pass, more if backtracking). */
  maxSteps: number;
  /** M-step options of the fallback EM step; its ridge is the penalty of F. */
  mStep: MStepOptions;
  /**
   * Called with every accepted point's log-likelihood and penalised objective F; return false to
   * stop (e.g. an iteration cap). F never falls; the log-likelihood alone can fall by less than the
   * fall of the penalty (only visible when the ridge matters, e.g. near separation).
   */
  onStep?: (logLik: number, penalised: number) => boolean;
  /**
   * Coordinates of the flat vector held at their current values (a constrained maximum, e.g. a
   * profile likelihood): their gradient entries and their rows and columns of the inverse Hessian
   * estimate are zero, so no step moves them (BFGS keeps those rows zero: s and y vanish there).
   */
  fixed?: readonly number[];
  /**
   * Starting inverse Hessian of -F (row-major n x n), e.g. the inverse observed information of the
   * free coordinates at a nearby maximum; coordinates whose diagonal entry is not positive there
   * take the complete-data curvature. Restarts use the complete-data curvature.
   */
  initialInverse?: Float64Array;
}

export interface QuasiNewtonResult {
  /** Log-likelihood (unpenalised) at the final parameters. */
  logLik: number;
  /** Penalised objective F at the final parameters. */
  penalised: number;
  /** Accepted points (quasi-Newton steps plus fallback EM steps). */
  steps: number;
  /** Fallback EM steps among them. */
  emSteps: number;
  /** Log-likelihood evaluations (E-steps), accepted or not. */
  evaluations: number;
  /** Projected remaining gain g' B g / 2 at the final point. */
  projectedGain: number;
  /** Euclidean norm of grad F at the final point. */
  gradNorm: number;
  converged: boolean;
}

const ARMIJO = 1e-4;
const MAX_BACKTRACK = 12;

export function nParamsOf(parts: Parts): number {
  let n = 0;
  for (const part of parts) n += part.nParams;
  return n;
}

export function getFlat(parts: Parts, out: Float64Array): void {
  let off = 0;
  for (const part of parts) {
    part.getParams(out, off);
    off += part.nParams;
  }
}

export function setFlat(parts: Parts, x: Float64Array): void {
  let off = 0;
  for (const part of parts) {
    part.setParams(x, off);
    off += part.nParams;
  }
}

/**
 * Whether the quasi-Newton phase can run on this E-step: every sub-model's counts must be either
 * its per-pattern table or per-unit weights of observed outcomes (stats.observed), the two layouts
 * `gradient` and `hessian` read.
 */
export function quasiNewtonApplies(parts: Parts, eStep: EStep): boolean {
  return parts.every(
    (part) => partObserved(eStep.stats, part) !== undefined || partCounts(eStep.stats, part).length === part.design.nPatterns * part.nGroups * part.nOut,
  );
}

/**
 * Gradient of the penalised log-likelihood at the parts' current parameters by Fisher's identity.
 * `eStep.stats` must hold the E-step at those parameters (either count layout). out length = total
 * parameters.
 */
export function penalisedGradient(parts: Parts, eStep: EStep, ridge: number, out: Float64Array): void {
  const n = nParamsOf(parts);
  if (out.length !== n) throw new RangeError(`gradient out: length ${out.length}, expected ${n}`);
  let off = 0;
  for (const part of parts) {
    part.gradient(partCounts(eStep.stats, part), ridge, out.subarray(off, off + part.nParams), partObserved(eStep.stats, part));
    off += part.nParams;
  }
}

/**
 * Which parameters the ridge penalises (1) or not (0), read from the parts' own gradients: with all
 * counts zero and every parameter 1, part.gradient(., ridge 1) is minus the mask. Uses and zeroes
 * eStep.stats.counts and leaves the parts' parameters as they were; run the E-step afterwards.
 */
export function penaltyMask(parts: Parts, eStep: EStep): Float64Array {
  const n = nParamsOf(parts);
  const saved = new Float64Array(n);
  getFlat(parts, saved);
  setFlat(parts, new Float64Array(n).fill(1));
  for (const part of parts) partCounts(eStep.stats, part).fill(0);
  const g = new Float64Array(n);
  penalisedGradient(parts, eStep, 1, g);
  setFlat(parts, saved);
  const mask = new Float64Array(n);
  for (let i = 0; i < n; i++) mask[i] = -g[i];
  return mask;
}

function penalty(x: Float64Array, mask: Float64Array, ridge: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += mask[i] * x[i] * x[i];
  return 0.5 * ridge * s;
}

/**
 * Inverse of minus the complete-data Hessian (block-diagonal over parts), row-major [a*n + b];
 * the identity scaled by the largest diagonal entry where that Hessian is not negative definite or
 * not finite.
 */
function completeDataInverse(parts: Parts, eStep: EStep, ridge: number, out: Float64Array): void {
  const n = nParamsOf(parts);
  out.fill(0);
  let off = 0;
  for (const part of parts) {
    const m = part.nParams;
    if (m > 0) {
      const h = new Float64Array(m * m);
      part.hessian(partCounts(eStep.stats, part), ridge, h, partObserved(eStep.stats, part));
      let scale = 0;
      for (let a = 0; a < m; a++) scale = Math.max(scale, Math.abs(h[a * m + a]));
      if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
      let inv: Matrix | undefined;
      // A Hessian with a non-finite entry (a sub-model at a degenerate point) gets the scaled identity.
      const finite = h.every((x) => Number.isFinite(x));
      for (let lambda = 0, k = 0; finite && k < 12 && inv === undefined; k++, lambda = k === 1 ? 1e-10 * scale : lambda * 10) {
        const mat = new Matrix(m, m);
        for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) mat.set(a, b, -0.5 * (h[a * m + b] + h[b * m + a]) + (a === b ? lambda : 0));
        const chol = new CholeskyDecomposition(mat);
        if (chol.isPositiveDefinite()) inv = chol.solve(Matrix.eye(m, m));
      }
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) out[(off + a) * n + off + b] = inv ? inv.get(a, b) : a === b ? 1 / scale : 0;
      }
    }
    off += m;
  }
}

/**
 * BFGS update of B, the inverse Hessian estimate of -F (row-major [a*n + b]), from the move
 * x0 -> x1 with gradients of F g0 -> g1: s = x1 - x0, y = g0 - g1. Skipped (returns false) unless
 * the curvature s'y is clearly positive. `rescale`: first update after a (re)start, B is first
 * scaled to match the curvature seen along s (Shanno & Phua 1978; the complete-data curvature
 * overstates the observed one). s, y, By: scratch of length n.
 */
function bfgsUpdate(B: Float64Array, x0: Float64Array, g0: Float64Array, x1: Float64Array, g1: Float64Array, rescale: boolean, s: Float64Array, y: Float64Array, By: Float64Array): boolean {
  const n = x0.length;
  let sy = 0;
  let yy = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    s[i] = x1[i] - x0[i];
    y[i] = g0[i] - g1[i];
    sy += s[i] * y[i];
    yy += y[i] * y[i];
    ss += s[i] * s[i];
  }
  if (!(sy > 1e-12 * Math.sqrt(ss * yy))) return false;
  let yBy = quadForm(B, y, n, By);
  if (rescale) {
    const r = sy / yBy;
    for (let i = 0; i < n * n; i++) B[i] *= r;
    for (let i = 0; i < n; i++) By[i] *= r;
    yBy *= r;
  }
  const rho = 1 / sy;
  const c = (1 + rho * yBy) * rho;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) B[a * n + b] += c * s[a] * s[b] - rho * (By[a] * s[b] + s[a] * By[b]);
  }
  return true;
}

function quadForm(B: Float64Array, g: Float64Array, n: number, d: Float64Array): number {
  // d = B g; returns g' B g
  let q = 0;
  for (let a = 0; a < n; a++) {
    let s = 0;
    for (let b = 0; b < n; b++) s += B[a * n + b] * g[b];
    d[a] = s;
    q += g[a] * s;
  }
  return q;
}

/**
 * Climb F from the parts' current parameters. On entry `eStep.stats` must hold the E-step at those
 * parameters and `logLik` its log-likelihood; on return the parts hold the final parameters and
 * eStep.stats the E-step there.
 */
export function runQuasiNewton(parts: Parts, eStep: EStep, logLik: number, options: QuasiNewtonOptions): QuasiNewtonResult {
  const n = nParamsOf(parts);
  const ridge = options.mStep.ridge;
  const mask = ridge > 0 ? penaltyMask(parts, eStep) : new Float64Array(n);
  if (ridge > 0) logLik = eStep.run(parts); // penaltyMask used the count tables
  const x = new Float64Array(n);
  const xTry = new Float64Array(n);
  const g = new Float64Array(n);
  const gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const By = new Float64Array(n);
  const B = new Float64Array(n * n); // inverse Hessian estimate of -F, row-major [a*n + b]
  getFlat(parts, x);
  let ll = logLik;
  let f = ll - penalty(x, mask, ridge);
  const fixed = options.fixed ?? [];
  const gradient = (out: Float64Array) => {
    penalisedGradient(parts, eStep, ridge, out);
    for (const i of fixed) out[i] = 0;
  };
  const restartCurvature = () => {
    completeDataInverse(parts, eStep, ridge, B);
    for (const i of fixed) for (let a = 0; a < n; a++) B[i * n + a] = B[a * n + i] = 0;
  };
  gradient(g);
  let evaluations = 0;
  // Curvature of F would be the observed information; its forward differences (one E-step and
  // gradient per parameter) cost more than the BFGS steps they save here, and near a weakly
  // identified direction they are not even negative definite, so the complete-data curvature,
  // rescaled after the first step, is the start.
  let rescale = true;
  let verified = !options.initialInverse;
  if (!options.initialInverse) restartCurvature();
  else {
    const given = options.initialInverse;
    if (given.length !== n * n) throw new RangeError(`initialInverse: length ${given.length}, expected ${n * n}`);
    const own = (i: number) => given[i * n + i] > 0 && !fixed.includes(i);
    let complete = true;
    for (let i = 0; i < n; i++) if (!own(i) && !fixed.includes(i)) complete = false;
    if (!complete) restartCurvature();
    else B.fill(0);
    for (let a = 0; a < n; a++) {
      if (!own(a)) continue;
      for (let b = 0; b < n; b++) B[a * n + b] = own(b) ? given[a * n + b] : 0;
      for (let b = 0; b < n; b++) if (!own(b)) B[b * n + a] = 0;
    }
    rescale = false; // its scale is the observed curvature already
  }
  let steps = 0;
  let emSteps = 0;
  let converged = false;
  let projected = Infinity;
  let failures = 0;
  while (true) {
    let gd = quadForm(B, g, n, d);
    if (!(gd > 0) || !Number.isFinite(gd)) {
      // lost positive definiteness (should not happen with the guarded update): restart
      restartCurvature();
      gd = quadForm(B, g, n, d);
    }
    projected = 0.5 * gd;
    if (projected < options.tolAbs && !verified) {
      // a given curvature may understate the gain still to come far from where it was measured:
      // confirm convergence once with the complete-data curvature
      verified = true;
      restartCurvature();
      rescale = true;
      continue;
    }
    if (projected < options.tolAbs) {
      converged = true;
      break;
    }
    if (steps >= options.maxSteps) break;
    // backtracking line search on F along d (an ascent direction: g'd > 0)
    let alpha = 1;
    let accepted = false;
    let llTry = NaN;
    let fTry = NaN;
    for (let k = 0; k < MAX_BACKTRACK; k++) {
      for (let i = 0; i < n; i++) xTry[i] = x[i] + alpha * d[i];
      setFlat(parts, xTry);
      llTry = eStep.run(parts);
      evaluations++;
      fTry = llTry - penalty(xTry, mask, ridge);
      if (fTry >= f + ARMIJO * alpha * gd) {
        accepted = true;
        break;
      }
      // quadratic interpolation of F along d, kept within [0.1, 0.5] of the current step
      const denom = 2 * (fTry - f - alpha * gd);
      let next = Number.isFinite(fTry) && denom < 0 ? (-gd * alpha * alpha) / denom : 0.5 * alpha;
      next = Math.min(0.5 * alpha, Math.max(0.1 * alpha, next));
      alpha = next;
    }
    if (accepted) {
      gradient(gNew);
      if (bfgsUpdate(B, x, g, xTry, gNew, rescale, s, y, By)) rescale = false;
      x.set(xTry);
      g.set(gNew);
      ll = llTry;
      f = fTry;
      failures = 0;
    } else {
      // no step length raised F enough: one EM step from x (it cannot lower F), fresh curvature
      setFlat(parts, x);
      eStep.run(parts);
      for (const part of parts) part.mStep(eStep.stats, options.mStep);
      getFlat(parts, xTry);
      if (fixed.length) {
        // the EM step moves every coordinate: put the fixed ones back (the check below keeps F from falling)
        for (const i of fixed) xTry[i] = x[i];
        setFlat(parts, xTry);
      }
      llTry = eStep.run(parts);
      evaluations += 2;
      fTry = llTry - penalty(xTry, mask, ridge);
      emSteps++;
      failures++;
      if (!(fTry >= f)) {
        // rounding level: nothing raises F any more; keep x
        setFlat(parts, x);
        ll = eStep.run(parts);
        evaluations++;
        converged = projected < 1e3 * options.tolAbs;
        break;
      }
      x.set(xTry);
      gradient(g);
      restartCurvature();
      rescale = true;
      ll = llTry;
      f = fTry;
      if (failures > 3) {
        steps++;
        if (options.onStep) options.onStep(ll, f);
        break;
      }
    }
    steps++;
    if (options.onStep && !options.onStep(ll, f)) break;
  }
  let gn = 0;
  for (let i = 0; i < n; i++) gn += g[i] * g[i];
  return { logLik: ll, penalised: f, steps, emSteps, evaluations, projectedGain: projected, gradNorm: Math.sqrt(gn), converged };
}
