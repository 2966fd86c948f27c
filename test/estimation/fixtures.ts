/**
 * Test panels for the estimation engine: covariates drawn at random, then states and voice
 * simulated from the model's own probability tables (independently of the E-step code).
 */
import type { Panel } from '../../src/data/panel.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { Rng } from '../../src/estimation/rng.js';
import { buildModelDesigns, fit } from '../../src/estimation/fit.js';
import { createModel, type HmmModel } from '../../src/model/hmmModel.js';
import { EStep, type EStepOptions, type EmissionTables } from '../../src/estimation/eStep.js';
import type { ObservedUnits, SubModel } from '../../src/model/subModel.js';
import { assertClose } from '../helpers/assert.js';
import { runEm, type EmResult } from '../../src/estimation/em.js';
import { randomResponsibilities, startFromResponsibilities } from '../../src/estimation/starts.js';

export const LABELS = ['complaint', 'compliment', 'neutral'];

export function makeSpec(over: Partial<ModelSpec> = {}): ModelSpec {
  return {
    nStates: 2,
    voiceLabels: LABELS,
    referenceVoice: 'neutral',
    formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' },
    transitionType: 'multinomial',
    sharedSlopes: false,
    ...over,
  };
}

/** A panel of the given sequence lengths with random intervention (share 0.25) and a continuous x; voice all 0 for now. */
export function covariatePanel(rng: Rng, lengths: number[], labels = LABELS): Panel {
  const offsets = new Int32Array(lengths.length + 1);
  lengths.forEach((l, i) => (offsets[i + 1] = offsets[i] + l));
  const n = offsets[lengths.length];
  const period = new Int32Array(n);
  const intervention = new Float64Array(n);
  const x = new Float64Array(n);
  for (let s = 0; s < lengths.length; s++) {
    for (let r = offsets[s]; r < offsets[s + 1]; r++) {
      period[r] = r - offsets[s] + 1;
      intervention[r] = rng.uniform() < 0.25 ? 1 : 0;
      x[r] = Math.round(rng.normal() * 4) / 4; // few distinct values, so patterns are shared
    }
  }
  return {
    customers: lengths.map((_, i) => `c${i + 1}`),
    offsets,
    period,
    voice: new Int32Array(n),
    voiceLabels: labels.slice(),
    columns: { intervention, x },
  };
}

/** Random parameters of scale `scale` set on the model; returns them. */
export function randomParameters(model: HmmModel, rng: Rng, scale = 1): Float64Array {
  const v = new Float64Array(model.nParams);
  for (let i = 0; i < v.length; i++) v[i] = scale * rng.normal();
  model.setParameters(v);
  return v;
}

/**
 * Simulate states and voice into panel.voice from `model` (built on this panel's designs), using
 * per-row probabilities from the sub-models' probabilitiesFor on each raw design row.
 */
export function simulateVoice(panel: Panel, spec: ModelSpec, model: HmmModel, rng: Rng, missing = 0): Int32Array {
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  const d = buildModelDesigns(panel, spec);
  const states = new Int32Array(panel.voice.length);
  const pi = new Float64Array(K);
  const a = new Float64Array(K * K);
  const e = new Float64Array(K * V);
  const row = (des: { names: string[]; values: Float64Array }, r: number) => des.values.subarray(r * des.names.length, (r + 1) * des.names.length);
  for (let s = 0; s + 1 < panel.offsets.length; s++) {
    let prev = -1;
    for (let r = panel.offsets[s]; r < panel.offsets[s + 1]; r++) {
      let k: number;
      if (prev < 0) {
        model.parts[0].probabilitiesFor(row(d.initial, r), 1, pi);
        k = rng.categorical(pi);
      } else {
        model.parts[1].probabilitiesFor(row(d.transition, r), 1, a);
        k = rng.categorical(a, prev * K, K);
      }
      model.parts[2].probabilitiesFor(row(d.emission, r), 1, e);
      panel.voice[r] = rng.uniform() < missing ? -1 : rng.categorical(e, k * V, V);
      states[r] = k;
      prev = k;
    }
  }
  return states;
}

/** A simulated problem: panel, spec, the true model and its parameters. */
export function simulatedProblem(seed: number, spec: ModelSpec, lengths: number[], opts: { scale?: number; missing?: number } = {}) {
  const rng = new Rng(seed);
  const panel = covariatePanel(rng, lengths, spec.voiceLabels);
  const truth = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  const params = randomParameters(truth, rng, opts.scale ?? 1);
  const states = simulateVoice(panel, spec, truth, rng, opts.missing ?? 0);
  return { panel, spec, truth, params, states };
}

/**
 * A two-state problem with an emission covariate z that is 1 on one row only (a neutral, the
 * reference voice): the complaint slope on z is driven to the boundary. Fitted with one start.
 */
export function boundarySlopeProblem() {
  const spec0 = makeSpec({ nStates: 2 });
  const p = simulatedProblem(34, spec0, Array.from({ length: 200 }, () => 15), { scale: 0.8 });
  const z = new Float64Array(p.panel.voice.length);
  z[p.panel.voice.findIndex((v) => v === 2)] = 1;
  p.panel.columns.z = z;
  const spec = makeSpec({ nStates: 2, formulas: { ...spec0.formulas, emission: '~ z' } });
  return { panel: p.panel, spec, result: fit(p.panel, spec, { starts: 0 }) };
}

/**
 * A random problem for EM tests: nCust customers with 1..T periods, voice simulated from random
 * parameters (a share `missing` unobserved), and a fresh model with its E-step to fit it.
 */
export function emProblem(seed: number, over: Partial<ModelSpec>, nCust = 40, T = 12, missing = 0.1) {
  const spec = makeSpec(over);
  const rng = new Rng(seed);
  const lengths = Array.from({ length: nCust }, () => 1 + rng.int(T));
  const panel = covariatePanel(rng, lengths, spec.voiceLabels);
  const designs = buildModelDesigns(panel, spec);
  const truth = createModel(spec, designs, panel.offsets);
  randomParameters(truth, rng, 1.5);
  simulateVoice(panel, spec, truth, rng, missing);
  const model = createModel(spec, designs, panel.offsets);
  const eStep = new EStep(model.parts, spec.nStates, spec.voiceLabels.length, panel.offsets, panel.voice);
  return { spec, panel, model, eStep, rng };
}

/** A panel with voice simulated from random parameters (scale 1.2) of `spec`, and the model at those parameters. */
export function layoutProblem(spec: ModelSpec, lengths: number[], seed: number, missing: number): { panel: Panel; model: HmmModel } {
  const rng = new Rng(seed, spec.nStates);
  const panel = covariatePanel(rng, lengths, spec.voiceLabels);
  const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  randomParameters(model, rng, 1.2);
  simulateVoice(panel, spec, model, rng, missing);
  return { panel, model };
}

/** The E-step of a model on a panel with the given emission-table layout (and other E-step options). */
export function eStepWithLayout(model: HmmModel, panel: Panel, emission: EmissionTables, options: EStepOptions = {}): EStep {
  return new EStep(model.parts, model.nStates, model.nVoice, panel.offsets, panel.voice, { ...options, emission });
}

/** Central differences (step h) of a sub-model's M-step objective on `counts` (any layout) equal `grad`. */
export function assertGradientByDifferences(part: SubModel, counts: Float64Array, ridge: number, observed: ObservedUnits | undefined, grad: Float64Array, h = 1e-5): void {
  const theta = new Float64Array(part.nParams);
  part.getParams(theta, 0);
  for (let a = 0; a < part.nParams; a++) {
    const x = theta.slice();
    x[a] += h;
    part.setParams(x, 0);
    const up = part.objective(counts, ridge, observed);
    x[a] -= 2 * h;
    part.setParams(x, 0);
    const down = part.objective(counts, ridge, observed);
    assertClose((up - down) / (2 * h), grad[a], { atol: 1e-4, rtol: 1e-6 }, `finite difference ${a}`);
  }
  part.setParams(theta, 0);
}

/** A random start (stream 5) then the EM driver (SQUAREM, quasi-Newton finish, tol 1e-10) in an emission layout. */
export function runEmInLayout(model: HmmModel, panel: Panel, spec: ModelSpec, layout: EmissionTables): { em: EmResult; params: Float64Array } {
  const m = model.clone();
  const eStep = eStepWithLayout(m, panel, layout);
  const mStep = { ridge: 1e-8, maxNewtonIter: 1, newtonTol: 1e-10 };
  startFromResponsibilities(m.parts, eStep, randomResponsibilities(new Rng(5, 1), spec.nStates, spec.voiceLabels.length), { ...mStep, maxNewtonIter: 25 });
  const em = runEm(m.parts, eStep, { maxIter: 400, tol: 1e-10, mStep, accelerate: true, quasiNewton: true });
  return { em, params: m.getParameters().values };
}
