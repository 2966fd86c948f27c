import { describe, expect, it } from 'vitest';
import { voiceSimulator } from '../../src/estimation/simulateVoices.js';
import { buildModelDesigns } from '../../src/estimation/fit.js';
import { Rng } from '../../src/estimation/rng.js';
import { createModel, type ModelDesigns } from '../../src/model/hmmModel.js';
import type { SubModel } from '../../src/model/subModel.js';
import { covariatePanel, makeSpec, randomParameters } from './fixtures.js';
import { buildMixtureDesigns } from '../../src/estimation/fitMixture.js';
import { createMixtureModel } from '../../src/model/mixtureModel.js';

const spec = makeSpec({ nStates: 2, formulas: { initial: '~ x', transition: '~ lag(intervention) + x', emission: '~ stock(intervention, 0.8)' } });
const panel = covariatePanel(new Rng(21), [4, 3]);
panel.columns.intervention.set([0, 1, 0, 1, 1, 0, 0]);
panel.voice.set([0, 1, -1, 2, 0, -1, 1]); // rows 2 and 5 unobserved
const designs = buildModelDesigns(panel, spec);
const model = createModel(spec, designs, panel.offsets);
const values = randomParameters(model, new Rng(5), 1.2);

const row = (d: { names: string[]; values: Float64Array }, r: number) => d.values.subarray(r * d.names.length, (r + 1) * d.names.length);

/** Exact marginal P(state) and P(voice) per row of `m` (a one-class model's parts), propagated from each row's raw design row. */
function exactMarginals(m: { parts: readonly SubModel[] } = model, d: ModelDesigns = designs) {
  const K = 2;
  const V = 3;
  const state: number[][] = [];
  const voice: number[][] = [];
  for (let i = 0; i < 2; i++) {
    let p = new Float64Array(K);
    for (let r = panel.offsets[i]; r < panel.offsets[i + 1]; r++) {
      if (r === panel.offsets[i]) m.parts[0].probabilitiesFor(row(d.initial, r), 1, p);
      else {
        const a = new Float64Array(K * K);
        m.parts[1].probabilitiesFor(row(d.transition, r), 1, a);
        const q = new Float64Array(K);
        for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) q[k] += p[j] * a[j * K + k];
        p = q;
      }
      const e = new Float64Array(K * V);
      m.parts[2].probabilitiesFor(row(d.emission, r), 1, e);
      state.push(Array.from(p));
      voice.push(Array.from({ length: V }, (_, c) => p[0] * e[c] + p[1] * e[V + c]));
    }
  }
  return { state, voice };
}

describe('voiceSimulator', () => {
  model.setParameters(values);
  const sim = voiceSimulator(panel, spec, model.getParameters());

  it('draws states and voice with the model probabilities at the panel rows, leaving missing rows missing', () => {
    const n = 20000;
    const rng = new Rng(77);
    const vCount = Array.from({ length: 7 }, () => [0, 0, 0]);
    const sCount = Array.from({ length: 7 }, () => [0, 0]);
    for (let d = 0; d < n; d++) {
      const states = new Int32Array(7);
      const voice = sim.draw(rng, states);
      for (let r = 0; r < 7; r++) {
        sCount[r][states[r]]++;
        if (r === 2 || r === 5) expect(voice[r]).toBe(-1);
        else vCount[r][voice[r]]++;
      }
    }
    const exact = exactMarginals();
    for (let r = 0; r < 7; r++) {
      for (let k = 0; k < 2; k++) expect(Math.abs(sCount[r][k] / n - exact.state[r][k])).toBeLessThan(4 * Math.sqrt(0.25 / n));
      if (r === 2 || r === 5) continue;
      for (let c = 0; c < 3; c++) expect(Math.abs(vCount[r][c] / n - exact.voice[r][c])).toBeLessThan(4 * Math.sqrt(0.25 / n));
    }
  });

  it('gives the same draw for the same stream', () => {
    const sa = new Int32Array(7);
    const sb = new Int32Array(7);
    const a = sim.draw(Rng.stream(3, 1), sa);
    const b = sim.draw(Rng.stream(3, 1), sb);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(sa)).toEqual(Array.from(sb));
  });
});

describe('voiceSimulator with latent classes', () => {
  const cspec = { ...spec, classes: { count: 2, formula: '~ z', specific: ['initial', 'transition', 'emission'] as ('initial' | 'transition' | 'emission')[] } };
  const cpanel = { ...panel, columns: { ...panel.columns, z: Float64Array.from([0.5, 0.5, 0.5, 0.5, -1, -1, -1]) } };
  const cdesigns = buildMixtureDesigns(cpanel, cspec);
  const mixture = createMixtureModel(cspec, cdesigns, cpanel.offsets);
  const crng = new Rng(9);
  mixture.setParameters(Float64Array.from({ length: mixture.nParams }, () => 1.5 * crng.normal()));

  it('draws each customer class from the membership logit, then voice from that class: marginals as computed exactly', () => {
    // exact P(class) per customer and P(voice) per row = sum over classes of P(class) P(voice | class)
    const pClass = [0, 1].map((i) => {
      const p = new Float64Array(2);
      mixture.membership.probabilitiesFor(row(cdesigns.membership, cpanel.offsets[i]), 1, p);
      return p;
    });
    const perClass = mixture.classes.map((m) => exactMarginals(m, cdesigns).voice);
    const voice = perClass[0].map((_, r) => {
      const i = r < cpanel.offsets[1] ? 0 : 1;
      return [0, 1, 2].map((c) => pClass[i][0] * perClass[0][r][c] + pClass[i][1] * perClass[1][r][c]);
    });
    const sim = voiceSimulator(cpanel, cspec, mixture.getParameters());
    const n = 20000;
    const rng = new Rng(78);
    const vCount = Array.from({ length: 7 }, () => [0, 0, 0]);
    const cCount = [0, 0];
    const classes = new Int32Array(2);
    for (let d = 0; d < n; d++) {
      const v = sim.draw(rng, undefined, classes);
      for (let i = 0; i < 2; i++) cCount[i] += classes[i];
      for (let r = 0; r < 7; r++) if (v[r] >= 0) vCount[r][v[r]]++;
    }
    const tol = 4 * Math.sqrt(0.25 / n);
    for (let i = 0; i < 2; i++) expect(Math.abs(cCount[i] / n - pClass[i][1])).toBeLessThan(tol);
    for (let r = 0; r < 7; r++) {
      if (r === 2 || r === 5) continue;
      for (let c = 0; c < 3; c++) expect(Math.abs(vCount[r][c] / n - voice[r][c])).toBeLessThan(tol);
    }
  });
});
