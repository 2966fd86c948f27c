/**
 * The bootstrap of a mixture of classes: replicates refitted from the full-sample estimates and
 * matched back to its classes and states (nonparametric: customers resampled; parametric: classes,
 * states and voices drawn from the fit); same seed, same bytes for 1 and 2 threads; bootstrap
 * standard errors of the order of the observed ones on a simulated 2-class panel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrapCovariance } from '../../../src/estimation/inference/bootstrapCovariance.js';
import { standardErrors, type Covariance } from '../../../src/estimation/inference/covariance.js';
import { likelihoodCovariance } from '../../../src/estimation/inference/observedCovariance.js';
import { fit } from '../../../src/estimation/fit.js';
import { simulate } from '../../../src/estimation/simulate.js';
import type { ModelSpec, NamedParameters } from '../../../src/estimation/spec.js';
import { createMixtureModel } from '../../../src/model/mixtureModel.js';
import { buildMixtureDesigns } from '../../../src/estimation/fitMixture.js';
import { buildDist } from '../../helpers/runCli.js';
import { Rng } from '../../../src/estimation/rng.js';
import { covariatePanel, makeSpec } from '../fixtures.js';

const spec: ModelSpec = {
  ...makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ 1', emission: '~ 1' } }),
  classes: { count: 2, formula: '~ 1', specific: ['initial', 'transition', 'emission'] },
};

/** The truth: state 1 complains, state 2 compliments; class 2 (45%) switches states more often and complains more. */
const EMISSION: Record<string, number> = {
  '1:1:complaint': 0,
  '1:1:compliment': -2,
  '1:2:complaint': -2,
  '1:2:compliment': 1,
  '2:1:complaint': 1.5,
  '2:1:compliment': -1,
  '2:2:complaint': -1,
  '2:2:compliment': 1.5,
};
function truthValue(name: string): number {
  const c = name.startsWith('class[2].') ? 2 : 1;
  if (name === 'class[2]:(Intercept)') return Math.log(0.45 / 0.55);
  if (name.includes('initial[2]')) return 0;
  if (name.includes('transition[')) return c === 2 ? -2 : -3;
  const m = /emission\[(\d)\]:(\w+):/.exec(name);
  if (!m) throw new Error(`no truth for ${name}`);
  return EMISSION[`${c}:${m[1]}:${m[2]}`];
}

/** The mixture's parameter names (they depend on the spec only; any panel will do). */
function truth(): NamedParameters {
  const panel = covariatePanel(new Rng(1), [3, 3]);
  const names = createMixtureModel(spec, buildMixtureDesigns(panel, spec), panel.offsets).getParameters().names;
  return { names, values: Float64Array.from(names, truthValue) };
}

const { panel } = simulate(spec, truth(), { customers: 250, periods: 25, policy: { afterComplaint: 0.4, otherwise: 0.05 }, seed: 5 });
const full = fit(panel, spec, { starts: 2, seed: 3 });

/** Everything of a covariance as plain JSON text, so that equal means byte-identical. */
const text = (c: Covariance) => JSON.stringify({ ...c, matrix: Array.from(c.matrix) });

describe('bootstrap of a mixture of classes', () => {
  beforeAll(() => buildDist());

  for (const type of ['nonparametric', 'parametric'] as const) {
  it(`${type}: same seed, identical output with 1 and 2 threads; replicates differ; all kept and counted`, async () => {
    const one = await bootstrapCovariance(panel, spec, full, { replicates: 4, seed: 7, threads: 1, type });
    const two = await bootstrapCovariance(panel, spec, full, { replicates: 4, seed: 7, threads: 2, type });
    expect(text(two)).toBe(text(one));
    expect(one.names).toEqual(full.parameters.names);
    expect(one.bootstrap).toMatchObject({ type, requested: 4, seed: 7, failed: 0 });
    expect(one.bootstrap!.replicates).toHaveLength(4);
    expect(new Set(one.bootstrap!.replicates.map((r) => r[0])).size).toBe(4);
  });
  }

  it('bootstrap standard errors are within a factor 2.5 of the observed ones (median ratio within 0.6..1.6)', async () => {
    const boot = await bootstrapCovariance(panel, spec, full, { replicates: 30, seed: 2, threads: 2 });
    const obs = likelihoodCovariance(panel, spec, full.parameters, 'observed');
    const sb = standardErrors(boot);
    const so = standardErrors(obs);
    const ratios: number[] = [];
    for (let i = 0; i < sb.length; i++) if (Number.isFinite(sb[i]) && Number.isFinite(so[i])) ratios.push(sb[i] / so[i]);
    expect(ratios.length).toBe(full.parameters.names.length);
    for (const r of ratios) {
      expect(r).toBeGreaterThan(1 / 2.5);
      expect(r).toBeLessThan(2.5);
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    expect(median).toBeGreaterThan(0.6);
    expect(median).toBeLessThan(1.6);
    // each replicate is in the full-sample labelling: class 2 stays the smaller, complaint-prone class
    const iShare = full.parameters.names.indexOf('class[2]:(Intercept)');
    for (const r of boot.bootstrap!.replicates) expect(Math.sign(r[iShare])).toBe(Math.sign(full.parameters.values[iShare]));
  });
});
