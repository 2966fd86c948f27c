/**
 * The parametric bootstrap of a model with a selection model: replicates draw the interventions
 * from the selection model (with states and voices), so the firm's choices vary across replicates
 * as the model says they would; same seed, same bytes for 1 and 2 threads; standard errors of the
 * order of the observed ones; an unbalanced panel is refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrapCovariance } from '../../../src/estimation/inference/bootstrapCovariance.js';
import { replicatePanel, type BootstrapShared } from '../../../src/estimation/inference/bootstrapReplicate.js';
import { standardErrors, type Covariance } from '../../../src/estimation/inference/covariance.js';
import { likelihoodCovariance } from '../../../src/estimation/inference/observedCovariance.js';
import { buildModelDesigns, fit } from '../../../src/estimation/fit.js';
import { Rng } from '../../../src/estimation/rng.js';
import { simulate } from '../../../src/estimation/simulate.js';
import type { ModelSpec } from '../../../src/estimation/spec.js';
import { ModelError } from '../../../src/errors.js';
import { createModel } from '../../../src/model/hmmModel.js';
import { buildDist } from '../../helpers/runCli.js';
import { quantileSorted } from '../../../src/estimation/inference/distributions.js';
import { TRUTH_SPEC, truthParameters } from '../../cli/fixtures.js';

const spec: ModelSpec = { ...TRUTH_SPEC, formulas: { ...TRUTH_SPEC.formulas, selection: '~ voice_complaint + lag(intervention)' } };

/** The truth of the selection recovery test: a firm that answers state-1 customers far more at equal voice. */
function truth() {
  const plain = truthParameters();
  const skeleton = simulate(TRUTH_SPEC, plain, { customers: 1, periods: 3, policy: { afterComplaint: 0.5, otherwise: 0.5 }, seed: 1 }).panel;
  const names = createModel(spec, buildModelDesigns(skeleton, spec), skeleton.offsets).getParameters().names;
  const sel: Record<string, number> = { 'selection[1]:(Intercept)': -1.5, 'selection[2]:(Intercept)': -4, 'selection:voice_complaint': 1.5, 'selection:lag(intervention)': -0.5 };
  return { names, values: Float64Array.from(names, (n) => sel[n] ?? plain.values[plain.names.indexOf(n)]), blocks: [] };
}

const { panel } = simulate(spec, truth(), { customers: 200, periods: 20, policy: { afterComplaint: 0, otherwise: 0 }, seed: 21, missing: 0.05 });
const full = fit(panel, spec, { starts: 1, seed: 2 });
const text = (c: Covariance) => JSON.stringify({ ...c, matrix: Array.from(c.matrix) });

describe('parametric bootstrap with a selection model', () => {
  beforeAll(() => buildDist());

  it('a replicate panel redraws the interventions (and voices) from the fit; missing voices stay missing; the rest is the panel', () => {
    const shared: BootstrapShared = { panel, spec, start: full.parameters, type: 'parametric', maxIter: 10, tol: 1e-8 };
    const a = replicatePanel(shared, Rng.stream(3, 0));
    const b = replicatePanel(shared, Rng.stream(3, 1));
    const iv = panel.columns.intervention;
    const differ = (x: Float64Array) => x.reduce((n, v, r) => n + (v !== iv[r] ? 1 : 0), 0);
    expect(differ(a.columns.intervention)).toBeGreaterThan(0);
    expect(differ(b.columns.intervention)).toBeGreaterThan(0);
    expect(Array.from(a.columns.intervention)).not.toEqual(Array.from(b.columns.intervention));
    for (let r = 0; r < panel.voice.length; r++) expect(a.voice[r] < 0).toBe(panel.voice[r] < 0);
    expect(a.customers).toEqual(panel.customers);
    expect(Array.from(a.period)).toEqual(Array.from(panel.period));
    // the share of periods answered is about the panel's (the fit reproduces the firm's rate)
    const share = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    expect(Math.abs(share(a.columns.intervention) - share(iv))).toBeLessThan(0.03);
    // the same stream, the same panel
    expect(Array.from(replicatePanel(shared, Rng.stream(3, 0)).columns.intervention)).toEqual(Array.from(a.columns.intervention));
  });

  // One replicate in twenty of this small panel can send a rarely seen transition to the boundary
  // (a genuine excursion that inflates that parameter's sample SD), so the replicates' spread is
  // compared through their interquartile range (IQR / 1.349, the SD of a normal).
  it('same seed, identical output with 1 and 2 threads; the replicates spread like the observed SEs (IQR within a factor 2.5)', async () => {
    const one = await bootstrapCovariance(panel, spec, full, { replicates: 20, seed: 5, threads: 1, type: 'parametric' });
    const two = await bootstrapCovariance(panel, spec, full, { replicates: 20, seed: 5, threads: 2, type: 'parametric' });
    expect(text(two)).toBe(text(one));
    expect(one.bootstrap).toMatchObject({ type: 'parametric', requested: 20, failed: 0 });
    const so = standardErrors(likelihoodCovariance(panel, spec, full.parameters, 'observed'));
    const reps = one.bootstrap!.replicates;
    let compared = 0;
    for (let i = 0; i < so.length; i++) {
      if (!Number.isFinite(so[i])) continue;
      const v = reps.map((r) => r[i]).sort((x, y) => x - y);
      const q = (p: number) => quantileSorted(v, p);
      const spread = (q(0.75) - q(0.25)) / 1.349;
      compared++;
      expect(spread / so[i], one.names[i]).toBeGreaterThan(1 / 2.5);
      expect(spread / so[i], one.names[i]).toBeLessThan(2.5);
    }
    expect(compared).toBe(so.length - 1); // all but transition[2->1]:lag(intervention), at the boundary in the fit
    // the selection estimates have bootstrap standard errors
    const sb = standardErrors(one);
    for (const name of ['selection:voice_complaint', 'selection[1]:(Intercept)', 'selection[2]:(Intercept)']) expect(Number.isFinite(sb[one.names.indexOf(name)])).toBe(true);
  }, 120_000);

  it('an unbalanced panel is refused with a ModelError naming the nonparametric bootstrap', async () => {
    const short = { ...panel, offsets: panel.offsets.slice(), period: panel.period.slice() };
    short.period[1] = 3; // customer 1 skips period 2
    await expect(bootstrapCovariance(short, spec, full, { replicates: 2, threads: 1, type: 'parametric' })).rejects.toThrow(ModelError);
    await expect(bootstrapCovariance(short, spec, full, { replicates: 2, threads: 1, type: 'parametric' })).rejects.toThrow(/balanced panel.*--bootstrap-type nonparametric/);
  });
});
