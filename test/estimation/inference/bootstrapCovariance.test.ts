import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrapCovariance, bootstrapWarnings, unstableParameters, type BootstrapProgress } from '../../../src/estimation/inference/bootstrapCovariance.js';
import { bootstrapReplicate, type BootstrapShared } from '../../../src/estimation/inference/bootstrapReplicate.js';
import { standardErrors, type Covariance } from '../../../src/estimation/inference/covariance.js';
import { fit, logLikelihood } from '../../../src/estimation/fit.js';
import { UsageError } from '../../../src/errors.js';
import { Matrix, inverse } from 'ml-matrix';
import { likelihoodCovariance } from '../../../src/estimation/inference/observedCovariance.js';
import { assertClose } from '../../helpers/assert.js';
import { buildDist } from '../../helpers/runCli.js';
import { covariatePanel, makeSpec, simulatedProblem, simulateVoice } from '../fixtures.js';
import { buildModelDesigns } from '../../../src/estimation/fit.js';
import { Rng } from '../../../src/estimation/rng.js';
import { createModel } from '../../../src/model/hmmModel.js';

const spec = makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ intervention' } });
const small = simulatedProblem(5, spec, Array.from({ length: 40 }, (_, i) => 8 + (i % 5)), { scale: 1.2 });
const smallFit = fit(small.panel, spec, { starts: 2, seed: 3 });

/** Everything of a covariance as plain JSON text, so that equal means byte-identical. */
const text = (c: Covariance) => JSON.stringify({ ...c, matrix: Array.from(c.matrix) });

describe('bootstrapCovariance', () => {
  beforeAll(() => buildDist());

  for (const type of ['nonparametric', 'parametric'] as const) {
    it(`${type}: same seed, identical output with 1 and 2 threads; another seed, other replicates`, async () => {
      const progress: BootstrapProgress[] = [];
      const one = await bootstrapCovariance(small.panel, spec, smallFit, { replicates: 6, seed: 11, type, threads: 1, onProgress: (p) => progress.push(p) });
      const two = await bootstrapCovariance(small.panel, spec, smallFit, { replicates: 6, seed: 11, type, threads: 2 });
      expect(text(two)).toBe(text(one));
      expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(progress.every((p) => p.total === 6 && p.elapsedMs >= 0)).toBe(true);
      const other = await bootstrapCovariance(small.panel, spec, smallFit, { replicates: 6, seed: 12, type, threads: 1 });
      expect(other.bootstrap!.replicates).not.toEqual(one.bootstrap!.replicates);
      expect(one.method).toBe('bootstrap');
      expect(one.names).toEqual(smallFit.parameters.names);
      expect(one.bootstrap).toMatchObject({ type, requested: 6, seed: 11, failed: 0, notConverged: 0 });
      expect(one.bootstrap!.replicates).toHaveLength(6);
      // Replicates differ from each other and from the full-sample estimates (something was resampled).
      expect(new Set(one.bootstrap!.replicates.map((r) => r[0])).size).toBe(6);
    });
  }

  it('is the sample covariance of the stored replicates, without the parameters the observed information leaves undetermined', async () => {
    const cov = await bootstrapCovariance(small.panel, spec, smallFit, { replicates: 7, seed: 2, threads: 1 });
    expect(cov.unavailable).toEqual(likelihoodCovariance(small.panel, spec, smallFit.parameters, 'observed').unavailable);
    const reps = cov.bootstrap!.replicates;
    const n = cov.names.length;
    const m = reps.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const mi = reps.reduce((s, r) => s + r[i], 0) / m;
        const mj = reps.reduce((s, r) => s + r[j], 0) / m;
        const c = reps.reduce((s, r) => s + (r[i] - mi) * (r[j] - mj), 0) / (m - 1);
        const gap = cov.unavailable.includes(cov.names[i]) || cov.unavailable.includes(cov.names[j]);
        assertClose(cov.matrix[i * n + j], gap ? 0 : c, { atol: 1e-12, rtol: 1e-9 });
      }
    }
  });

  it('counts replicates that stop at the iteration cap and says so in the warnings', async () => {
    const cov = await bootstrapCovariance(small.panel, spec, smallFit, { replicates: 3, seed: 2, threads: 1, maxIter: 1 });
    expect(cov.bootstrap!.notConverged).toBe(3);
    expect(bootstrapWarnings(cov).join('\n')).toMatch(/3 of 3 bootstrap replicates stopped at the iteration cap/);
  });

  it('reports failed replicates in the warnings', () => {
    const cov = { method: 'bootstrap', names: [], matrix: new Float64Array(0), unavailable: [], notes: [], bootstrap: { type: 'nonparametric', requested: 10, seed: 1, replicates: [[], [], [], [], [], [], [], []], failed: 2, notConverged: 0 } } satisfies Covariance;
    expect(bootstrapWarnings(cov)).toEqual([expect.stringMatching(/^2 of 10 bootstrap replicates failed to fit and are left out: .* the other 8$/)]);
  });

  it('leaves parameters whose replicates spread past the boundary limit without a standard error', () => {
    const names = ['a', 'b', 'c'];
    const m = Float64Array.from([4, 1, 2, 1, 90 ** 2, 3, 2, 3, 1]);
    const r = unstableParameters(names, m);
    expect(r.unavailable).toEqual(['b']);
    expect(Array.from(m)).toEqual([4, 0, 2, 0, 0, 0, 2, 0, 1]);
    expect(r.notes[0]).toMatch(/^no standard error for b: the bootstrap replicates spread over more than 50 log-odds units/);
    expect(unstableParameters(names, Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1])).unavailable).toEqual([]);
    const m2 = Float64Array.from([4, 1, 2, 1, 90 ** 2, 3, 2, 3, 1]);
    const r2 = unstableParameters(names, m2, ['c']);
    expect(r2.unavailable).toEqual(['b', 'c']);
    expect(Array.from(m2)).toEqual([4, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r2.notes[1]).toMatch(/^no standard error for c: the observed information leaves it undetermined/);
  });

  it('refuses bad options', async () => {
    await expect(bootstrapCovariance(small.panel, spec, smallFit, { replicates: 1 })).rejects.toBeInstanceOf(UsageError);
    await expect(bootstrapCovariance(small.panel, spec, smallFit, { type: 'jackknife' as never })).rejects.toThrow(/nonparametric or parametric/);
    await expect(bootstrapCovariance(small.panel, spec, smallFit, { threads: 0 })).rejects.toThrow(/threads/);
  });
});

/** Standard errors from the inverse of a central-difference Hessian of the forward log-likelihood. */
function finiteDifferenceSe(panel: typeof small.panel, values: Float64Array): number[] {
  const n = values.length;
  const h = 1e-3;
  const ll = (x: Float64Array) => logLikelihood(panel, spec, x);
  const H = new Matrix(n, n);
  const x = Float64Array.from(values);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const at = (di: number, dj: number) => {
        x.set(values);
        x[i] += di;
        x[j] += dj;
        return ll(x);
      };
      const v = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h);
      H.set(i, j, -v);
      H.set(j, i, -v);
    }
  }
  const cov = inverse(H);
  return Array.from({ length: n }, (_, i) => Math.sqrt(cov.get(i, i)));
}

describe('bootstrap standard errors', () => {
  it('agree with the observed-information ones on a simulated panel (ratio of SDs near 1)', async () => {
    // An interior truth: every probability well inside (0, 1).
    const rng = new Rng(17);
    const panel = covariatePanel(rng, Array.from({ length: 300 }, () => 20));
    const truth = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
    truth.setParameters(Float64Array.from([0, -1.5, 1, -1.5, -0.5, 0.5, 0.5, -1, 0.2, -1.5, 0.3, 0.5, 0.2]));
    simulateVoice(panel, spec, truth, rng);
    const f = fit(panel, spec, { starts: 2, seed: 1 });
    const se = finiteDifferenceSe(panel, f.parameters.values);
    const cov = await bootstrapCovariance(panel, spec, f, { replicates: 40, seed: 1, threads: 2 });
    const bse = standardErrors(cov);
    const ratios = se.map((s, i) => bse[i] / s).sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    expect(median).toBeGreaterThan(0.8);
    expect(median).toBeLessThan(1.25);
    expect(ratios[0]).toBeGreaterThan(0.5);
    expect(ratios[ratios.length - 1]).toBeLessThan(2);
  });
});

describe('bootstrapReplicate', () => {
  it('returns a failed replicate, with the reason, when the refit cannot fit the replicate panel', () => {
    // Complaints impossible in every state at the start: the log-likelihood is -Infinity there.
    const values = Float64Array.from(smallFit.parameters.values);
    smallFit.parameters.names.forEach((n, i) => {
      if (/^emission\[\d\]:complaint:\(Intercept\)$/.test(n)) values[i] = -1e5;
    });
    const shared: BootstrapShared = { panel: small.panel, spec, start: { ...smallFit.parameters, values }, type: 'nonparametric', maxIter: 20, tol: 1e-10 };
    const r = bootstrapReplicate({ index: 0, seed: 1 }, shared);
    expect(r.values).toBeUndefined();
    expect(r.error).toMatch(/not finite/);
    const ok = bootstrapReplicate({ index: 0, seed: 1 }, { ...shared, start: smallFit.parameters });
    expect(ok.values).toHaveLength(smallFit.parameters.names.length);
    expect(ok.error).toBeUndefined();
  });
});

describe('bootstrapCovariance with ordered transitions', () => {
  it('runs, keeps the ladder, and is the same with 1 and 2 threads', async () => {
    const ordered = makeSpec({ nStates: 3, transitionType: 'ordered', formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ 1' } });
    const sim = simulatedProblem(9, ordered, Array.from({ length: 60 }, () => 12), { scale: 1 });
    const f = fit(sim.panel, ordered, { starts: 1, seed: 2 });
    const one = await bootstrapCovariance(sim.panel, ordered, f, { replicates: 4, seed: 5, threads: 1 });
    const two = await bootstrapCovariance(sim.panel, ordered, f, { replicates: 4, seed: 5, threads: 2 });
    expect(text(two)).toBe(text(one));
    expect(one.bootstrap!.replicates).toHaveLength(4 - one.bootstrap!.failed);
  });
});
