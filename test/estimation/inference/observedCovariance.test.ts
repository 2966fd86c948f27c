import { describe, expect, it } from 'vitest';
import { Matrix, inverse } from 'ml-matrix';
import { fit, logLikelihood, modelAt } from '../../../src/estimation/fit.js';
import { observedCovariance, robustCovariance, likelihoodCovariances } from '../../../src/estimation/inference/observedCovariance.js';
import { standardErrors } from '../../../src/estimation/inference/covariance.js';
import { simulate } from '../../../src/estimation/simulate.js';
import type { ModelSpec, NamedParameters } from '../../../src/estimation/spec.js';
import { boundarySlopeProblem, makeSpec, simulatedProblem } from '../fixtures.js';
import { assertClose } from '../../helpers/assert.js';
import { TRUTH_SPEC, truthParameters } from '../../cli/fixtures.js';

/**
 * Minus the Hessian of the forward-pass log-likelihood by second central differences of the
 * log-likelihood itself (no score code involved), step h.
 */
function fdInformation(f: (x: Float64Array) => number, theta: Float64Array, h: number): Matrix {
  const n = theta.length;
  const out = new Matrix(n, n);
  const x = Float64Array.from(theta);
  const f0 = f(x);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let v: number;
      if (i === j) {
        x[i] = theta[i] + h;
        const up = f(x);
        x[i] = theta[i] - h;
        const down = f(x);
        x[i] = theta[i];
        v = (up - 2 * f0 + down) / (h * h);
      } else {
        const at = (si: number, sj: number) => {
          x[i] = theta[i] + si * h;
          x[j] = theta[j] + sj * h;
          const y = f(x);
          x[i] = theta[i];
          x[j] = theta[j];
          return y;
        };
        v = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
      }
      out.set(i, j, -v);
      out.set(j, i, -v);
    }
  }
  return out;
}

// [label, spec, simulation seed, scale of the random true parameters]: problems where the data determine every parameter
const variants: [string, Partial<ModelSpec>, number, number][] = [
  ['multinomial', { nStates: 2 }, 34, 0.8],
  ['ordered', { nStates: 3, transitionType: 'ordered' }, 34, 1.2],
  ['shared slopes', { nStates: 2, sharedSlopes: true, formulas: { initial: '~ 1', transition: '~ lag(intervention) + x', emission: '~ stock(intervention, 0.8) + x' } }, 34, 0.8],
  // the fourth sub-model: the score and information include the selection block
  ['selection', { nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)', selection: '~ voice_complaint + x' } }, 34, 0.8],
];

describe('observed covariance', () => {
  for (const [label, over, seed, scale] of variants) {
    it(`equals the inverse of a finite-difference Hessian of the forward log-likelihood (${label})`, () => {
      const spec = makeSpec(over);
      const lengths = Array.from({ length: 400 }, (_, i) => 20 + (i % 10));
      const p = simulatedProblem(seed, spec, lengths, { scale });
      const r = fit(p.panel, spec, { startParams: { ...p.truth.getParameters(), values: p.params }, starts: 0 });
      const theta = r.parameters.values;
      const cov = observedCovariance(p.panel, spec, r.parameters);
      expect(cov.method).toBe('observed');
      expect(cov.unavailable).toEqual([]);
      expect(cov.names).toEqual(r.parameters.names);
      // Richardson extrapolation of two steps: truncation error O(h^4)
      // the forward pass alone (what logLikelihood runs), on one model built once
      const { model, eStep } = modelAt(p.panel, spec, theta);
      const ll = (x: Float64Array) => {
        model.setParameters(x);
        return eStep.logLik(model.parts);
      };
      expect(ll(theta)).toBe(logLikelihood(p.panel, spec, theta));
      const info = fdInformation(ll, theta, 1e-3).mul(4).sub(fdInformation(ll, theta, 2e-3)).div(3);
      const ref = inverse(info);
      const n = theta.length;
      const se = standardErrors(cov);
      const refSe = Array.from({ length: n }, (_, i) => Math.sqrt(ref.get(i, i)));
      assertClose(se, refSe, { atol: 0, rtol: 1e-4 }, `${label} standard errors`);
      // every covariance entry too, relative to the scale of its row and column (twice the SE tolerance: variances are squares)
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const scale = refSe[i] * refSe[j];
          expect(Math.abs(cov.matrix[i * n + j] - ref.get(i, j)) / scale, `${label} covariance [${i}, ${j}]`).toBeLessThan(2e-4);
        }
      }
    });
  }

  it('gives no standard error to a slope informed by one row (its probability driven to the boundary), never NaN', () => {
    const { panel, spec, result: r } = boundarySlopeProblem();
    const p = { panel };
    const cov = observedCovariance(p.panel, spec, r.parameters);
    const slope = r.parameters.names.indexOf('emission[1]:complaint:z');
    expect(cov.unavailable).toContain('emission[1]:complaint:z');
    expect(cov.notes.join('\n')).toMatch(/no standard error for [^\n]*emission\[1\]:complaint:z/);
    // independently: the forward log-likelihood barely falls when the slope alone moves 30 down
    const x = Float64Array.from(r.parameters.values);
    x[slope] -= 30;
    expect(logLikelihood(p.panel, spec, x)).toBeGreaterThan(r.logLik - 1.92);
    expect(Number.isNaN(standardErrors(cov)[slope])).toBe(true);
    expect(Array.from(cov.matrix).every(Number.isFinite)).toBe(true);
  });

  it('shares one information between methods: the robust bread is the observed covariance', () => {
    const spec = makeSpec({ nStates: 2 });
    const p = simulatedProblem(5, spec, Array.from({ length: 80 }, () => 12));
    const r = fit(p.panel, spec, { startParams: { ...p.truth.getParameters(), values: p.params }, starts: 0 });
    const [obs, rob] = likelihoodCovariances(p.panel, spec, r.parameters, ['observed', 'robust']);
    expect(Array.from(obs.matrix)).toEqual(Array.from(observedCovariance(p.panel, spec, r.parameters).matrix));
    expect(Array.from(rob.matrix)).toEqual(Array.from(robustCovariance(p.panel, spec, r.parameters).matrix));
    expect(rob.method).toBe('robust');
  });
});

function seRatio(spec: ModelSpec, truth: NamedParameters, fitSpec: ModelSpec, customers: number, periods: number, seed: number) {
  const { panel } = simulate(spec, truth, { customers, periods, policy: { afterComplaint: 0.6, otherwise: 0.05 }, seed });
  const r = fit(panel, fitSpec, fitSpec === spec ? { startParams: truth, starts: 0 } : { starts: 0 });
  const [obs, rob] = likelihoodCovariances(panel, fitSpec, r.parameters, ['observed', 'robust']);
  const a = standardErrors(obs);
  const b = standardErrors(rob);
  return { names: r.parameters.names, ratio: Array.from(a, (x, i) => b[i] / x) };
}

describe('robust covariance', () => {
  it('agrees with the observed one within sampling noise when the model is right (2500 customers)', () => {
    const { names, ratio } = seRatio(TRUTH_SPEC, truthParameters(), TRUTH_SPEC, 2500, 40, 17);
    for (const [i, q] of ratio.entries()) {
      expect(q, names[i]).toBeGreaterThan(0.85);
      expect(q, names[i]).toBeLessThan(1.15);
    }
    const mean = ratio.reduce((s, x) => s + x, 0) / ratio.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.05);
  });

  it('is larger when customer heterogeneity is fitted by one homogeneous model (one state for two customer types)', () => {
    // two customer types that (almost) never switch, complaining at very different rates
    const truth = truthParameters();
    truth.names.forEach((n, i) => {
      if (/^transition\[.*\(Intercept\)$/.test(n)) truth.values[i] = -8;
      if (/^transition\[.*lag/.test(n)) truth.values[i] = 0;
    });
    const oneState: ModelSpec = { ...TRUTH_SPEC, nStates: 1, sharedSlopes: false };
    const { names, ratio } = seRatio(TRUTH_SPEC, truth, oneState, 1500, 40, 23);
    const at = (name: string) => ratio[names.indexOf(name)];
    // complaints are correlated within a customer: their intercept's robust SE is far larger
    expect(at('emission[1]:complaint:(Intercept)')).toBeGreaterThan(1.5);
    for (const [i, q] of ratio.entries()) expect(q, names[i]).toBeGreaterThan(0.95);
    expect(ratio.reduce((s, x) => s + x, 0) / ratio.length).toBeGreaterThan(1.1);
  });
});
