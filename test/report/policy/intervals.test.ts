import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../src/estimation/simulate.js';
import { fit } from '../../../src/estimation/fit.js';
import type { Panel } from '../../../src/data/panel.js';
import type { NamedParameters } from '../../../src/estimation/spec.js';
import type { Covariance } from '../../../src/estimation/inference/covariance.js';
import { projectPolicies } from '../../../src/report/policy/projectPolicies.js';
import { covarianceFactor } from '../../../src/report/policy/parameterDraws.js';
import { TRUTH_SPEC, truthParameters } from '../../cli/fixtures.js';
import { assertClose } from '../../helpers/assert.js';
import { buildDist } from '../../helpers/runCli.js';
import { freshTotals, numericalCovariance } from './helpers.js';

const truth = truthParameters();

describe('parameter uncertainty', () => {
  beforeAll(() => buildDist());
  const H = 10;
  let panel: Panel;
  let fitted: NamedParameters;
  let cov: Covariance;
  beforeAll(() => {
    panel = simulate(TRUTH_SPEC, truth, { customers: 500, periods: 30, policy: { afterComplaint: 0.6, otherwise: 0.03 }, seed: 8 }).panel;
    fitted = fit(panel, TRUTH_SPEC, { starts: 1, seed: 2 }).parameters;
    cov = numericalCovariance(panel, TRUTH_SPEC, fitted);
  }, 120_000);

  it('the covariance factor reproduces the covariance, also when it is only semi-definite', () => {
    const n = fitted.names.length;
    const L = covarianceFactor(cov.matrix, n);
    const back = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) back[i * n + j] += L[i * n + k] * L[j * n + k];
    assertClose(back, cov.matrix, { atol: 1e-10, rtol: 1e-8 });
    // Rank one: v v'.
    const v = [1, 2, 0, -1];
    const m = v.flatMap((a) => v.map((b) => a * b));
    const F = covarianceFactor(m, 4);
    const rebuilt = m.map((_, e) => {
      const i = Math.floor(e / 4);
      const j = e % 4;
      let s = 0;
      for (let k = 0; k < 4; k++) s += F[i * 4 + k] * F[j * 4 + k];
      return s;
    });
    assertClose(rebuilt, m, { atol: 1e-9 });
  });

  it('the fitted projection matches fresh simulations of the truth within 3 MC SE plus parameter error, with intervals', async () => {
    const N = panel.customers.length;
    const r = await projectPolicies({ spec: TRUTH_SPEC, parameters: fitted, covariance: cov }, panel, { policies: 'all,none,rate:0.5', horizon: H, from: 'start', seed: 4, draws: 30, threads: 2 });
    expect(r.intervals.available).toBe(true);
    expect(r.intervals.method).toBe('covariance');
    // observed: the panel's firm answered 60% of complaints and 3% of other periods.
    const firm = { observed: { afterComplaint: 0.6, otherwise: 0.03 }, all: { afterComplaint: 1, otherwise: 0 }, none: { afterComplaint: 0, otherwise: 0 }, 'rate:0.5': { afterComplaint: 0.5, otherwise: 0 } } as const;
    for (const [name, policy] of Object.entries(firm)) {
      const p = r.policies.find((q) => q.name === name)!;
      const fresh = freshTotals(TRUTH_SPEC, truth, 20000, H, policy, 7);
      // Counts only (interventions under 'none' are 0 with no uncertainty).
      for (let j = 0; j <= 4; j++) {
        const f = p.totals[j];
        expect(f.low).not.toBeNull();
        expect(f.low!).toBeLessThanOrEqual(f.high!);
        if (name === 'none' && j === 4) continue;
        // The intervals carry real parameter uncertainty: wider than the Monte Carlo error alone.
        expect(f.high! - f.low!).toBeGreaterThan(2 * f.mcSe);
        const paramError = Math.max(f.high! - f.estimate, f.estimate - f.low!) / N;
        const tol = 3 * Math.hypot(f.mcSe / N, fresh.se[j]) + paramError;
        expect(Math.abs(f.estimate / N - fresh.mean[j]), `${name} ${r.measures[j]}: ${f.estimate / N} vs ${fresh.mean[j]} (tol ${tol})`).toBeLessThanOrEqual(tol);
      }
    }
    // Differences from observed carry intervals too.
    for (const p of r.policies.slice(1)) for (const d of p.difference!) expect(d.low).not.toBeNull();
  }, 120_000);

  it('uses bootstrap replicates when the covariance has them, and says when there is no covariance', async () => {
    const reps = [0, 1, 2, 3, 4].map((k) => Array.from(fitted.values, (x, i) => x + 0.02 * Math.sin(k + i)));
    const boot: Covariance = { ...cov, method: 'bootstrap', bootstrap: { type: 'nonparametric', requested: 5, seed: 1, replicates: reps, failed: 0, notConverged: 0 } };
    const r = await projectPolicies({ spec: TRUTH_SPEC, parameters: fitted, covariance: boot }, panel, { policies: 'none', horizon: 4, paths: 8, draws: 30, threads: 1 });
    expect(r.intervals.method).toBe('bootstrap');
    expect(r.intervals.draws).toBe(5);
    const none = await projectPolicies({ spec: TRUTH_SPEC, parameters: fitted }, panel, { policies: 'none', horizon: 4, paths: 8, threads: 1 });
    expect(none.intervals.available).toBe(false);
    expect(none.intervals.note).toMatch(/no covariance/);
    expect(none.policies[1].difference![0].low).toBeNull();
  }, 60_000);
});
