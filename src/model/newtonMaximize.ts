/**
 * Newton-Raphson maximisation with step-halving, shared by every sub-model's M-step.
 *
 * Each iteration solves (-H + lambda*I) d = g with ml-matrix's Cholesky decomposition (lambda = 0
 * whenever -H is positive definite, which it is for the multinomial logits with a ridge; the
 * ordered logit in its unconstrained threshold parametrisation can be locally non-concave, and
 * then lambda grows until the system is positive definite, which still gives an ascent
 * direction). The step is halved until the objective does not fall, so the objective never
 * decreases; if no halving helps the parameters are left where they were. Newton stops when the
 * largest step falls below options.newtonTol or when the predicted gain (the Newton decrement)
 * is below the objective's rounding.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { MStepOptions, MStepReport } from './subModel.js';

/** The function being maximised, evaluated at the problem's current parameters. */
export interface NewtonProblem {
  readonly n: number;
  get(out: Float64Array): void;
  set(x: Float64Array): void;
  /** The objective; also fills the gradient and the Hessian (row-major [a*n + b]) when they are given. */
  evaluate(grad?: Float64Array, hess?: Float64Array): number;
}

const MAX_HALVINGS = 60;
/**
 * Default gainTol: Newton stops when the gain its quadratic model predicts is below this, relative
 * to |objective| (far below what any EM tolerance can see; saves a pass that would only confirm it).
 */
export const DEFAULT_GAIN_TOL = 1e-12;

export function newtonMaximize(prob: NewtonProblem, options: MStepOptions): MStepReport {
  const n = prob.n;
  if (n === 0) {
    const v = prob.evaluate();
    return { iterations: 0, before: v, after: v };
  }
  const x0 = new Float64Array(n);
  const x = new Float64Array(n);
  let g = new Float64Array(n);
  let h = new Float64Array(n * n);
  let gTry = new Float64Array(n);
  let hTry = new Float64Array(n * n);
  prob.get(x0);
  // Objective, gradient and Hessian come from one pass at each point tried: an accepted point's
  // derivatives are the next iteration's.
  const before = prob.evaluate(g, h);
  let current = before;
  let iterations = 0;
  const gainTol = options.gainTol ?? DEFAULT_GAIN_TOL;
  for (let it = 0; it < options.maxNewtonIter; it++) {
    iterations = it + 1;
    const d = ascentDirection(h, g, n);
    if (d === undefined) break;
    // Newton decrement: g'd / 2 is the gain the quadratic model predicts; once it is negligible,
    // another pass over the patterns cannot change anything that matters.
    let decrement = 0;
    for (let a = 0; a < n; a++) decrement += g[a] * d[a];
    if (decrement * 0.5 <= gainTol * (1 + Math.abs(current))) {
      iterations = it;
      break;
    }
    let alpha = 1;
    let accepted = false;
    let stepMax = 0;
    for (let k = 0; k < MAX_HALVINGS; k++) {
      stepMax = 0;
      for (let a = 0; a < n; a++) {
        const s = alpha * d[a];
        x[a] = x0[a] + s;
        if (Math.abs(s) > stepMax) stepMax = Math.abs(s);
      }
      prob.set(x);
      // No derivatives are needed at a point after which no further iteration is allowed.
      const last = it === options.maxNewtonIter - 1;
      const value = last ? prob.evaluate() : prob.evaluate(gTry, hTry);
      if (value >= current) {
        current = value;
        accepted = true;
        [g, gTry] = [gTry, g];
        [h, hTry] = [hTry, h];
        x0.set(x);
        break;
      }
      alpha *= 0.5;
    }
    if (!accepted) {
      prob.set(x0);
      break;
    }
    if (stepMax < options.newtonTol) break;
  }
  return { iterations, before, after: current };
}

/** Solve (-H + lambda I) d = g (undefined when H or g has a non-finite entry), lambda the smallest of 0, 1e-10*s, 1e-9*s, ... giving a positive definite system. */
function ascentDirection(h: Float64Array, g: Float64Array, n: number): Float64Array | undefined {
  // A non-finite derivative (the objective at a degenerate point) gives no direction: no step.
  if (!h.every((x) => Number.isFinite(x)) || !g.every((x) => Number.isFinite(x))) return undefined;
  let scale = 0;
  for (let a = 0; a < n; a++) scale = Math.max(scale, Math.abs(h[a * n + a]));
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
  const rhs = Matrix.columnVector(Array.from(g));
  for (let lambda = 0, k = 0; k < 16; k++, lambda = k === 1 ? 1e-10 * scale : lambda * 10) {
    const m = new Matrix(n, n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) m.set(a, b, -0.5 * (h[a * n + b] + h[b * n + a]) + (a === b ? lambda : 0)); // symmetrised against rounding
    }
    const chol = new CholeskyDecomposition(m);
    if (!chol.isPositiveDefinite()) continue;
    const sol = chol.solve(rhs);
    const d = new Float64Array(n);
    let ok = true;
    for (let a = 0; a < n; a++) {
      d[a] = sol.get(a, 0);
      if (!Number.isFinite(d[a])) ok = false;
    }
    if (ok) return d;
  }
  return undefined;
}
