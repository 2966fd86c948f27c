import { describe, expect, it } from 'vitest';
import { buildModelDesigns } from '../../src/estimation/fit.js';
import { Rng } from '../../src/estimation/rng.js';
import { simulateVoices } from '../../src/estimation/simulateVoices.js';
import { createModel } from '../../src/model/hmmModel.js';
import { covariatePanel, makeSpec, randomParameters } from './fixtures.js';

const spec = makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' } });

function setup(lengths: number[], seed = 4) {
  const rng = new Rng(seed);
  const panel = covariatePanel(rng, lengths, spec.voiceLabels);
  const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  randomParameters(model, rng, 1.5);
  for (let r = 0; r < panel.voice.length; r++) panel.voice[r] = r % 7 === 3 ? -1 : 0;
  return { panel, model, params: model.getParameters() };
}

describe('simulateVoices', () => {
  it('keeps customers, periods, interventions and missingness; same stream, same voices', () => {
    const { panel, params } = setup(Array.from({ length: 30 }, (_, i) => 3 + (i % 5)));
    const a = simulateVoices(panel, spec, params, Rng.stream(9, 2));
    const b = simulateVoices(panel, spec, params, Rng.stream(9, 2));
    const c = simulateVoices(panel, spec, params, Rng.stream(9, 3));
    expect(Array.from(a.voice)).toEqual(Array.from(b.voice));
    expect(Array.from(a.voice)).not.toEqual(Array.from(c.voice));
    expect(a.offsets).toBe(panel.offsets);
    expect(a.columns.intervention).toBe(panel.columns.intervention);
    for (let r = 0; r < panel.voice.length; r++) expect(a.voice[r] < 0).toBe(panel.voice[r] < 0);
  });

  it('draws voice pairs of the first two periods with the model\'s exact joint probabilities', () => {
    // 20000 two-period customers: the frequency of each (voice 1, voice 2) pair against the exact
    // probability sum_{s1,s2} P(s1) P(v1|s1) P(s2|s1) P(v2|s2), from the sub-models' own tables.
    const N = 20000;
    const { panel, model, params } = setup(Array.from({ length: N }, () => 2), 11);
    panel.voice.fill(0);
    const sim = simulateVoices(panel, spec, params, new Rng(5));
    const V = 3;
    const K = 2;
    const counts = new Map<string, number[]>(); // pattern (intervention of rows 1, 2) -> pair counts
    const d = buildModelDesigns(panel, spec);
    for (let i = 0; i < N; i++) {
      const key = `${d.transition.values[(2 * i + 1) * 2 + 1]}|${d.emission.values[(2 * i + 1) * 2 + 1]}`;
      if (!counts.has(key)) counts.set(key, new Array(V * V).fill(0));
      counts.get(key)![sim.voice[2 * i] * V + sim.voice[2 * i + 1]]++;
    }
    const pi = new Float64Array(K);
    model.parts[0].probabilitiesFor(Float64Array.from([1]), 1, pi);
    const e1 = new Float64Array(K * V);
    model.parts[2].probabilitiesFor(Float64Array.from([1, 0]), 1, e1); // first period: stock 0
    for (const [key, c] of counts) {
      const [lagIv, stock] = key.split('|').map(Number);
      const a = new Float64Array(K * K);
      const e2 = new Float64Array(K * V);
      model.parts[1].probabilitiesFor(Float64Array.from([1, lagIv]), 1, a);
      model.parts[2].probabilitiesFor(Float64Array.from([1, stock]), 1, e2);
      const n = c.reduce((s, x) => s + x, 0);
      for (let v1 = 0; v1 < V; v1++) {
        for (let v2 = 0; v2 < V; v2++) {
          let p = 0;
          for (let s1 = 0; s1 < K; s1++) for (let s2 = 0; s2 < K; s2++) p += pi[s1] * e1[s1 * V + v1] * a[s1 * K + s2] * e2[s2 * V + v2];
          const sd = Math.sqrt((p * (1 - p)) / n);
          expect(Math.abs(c[v1 * V + v2] / n - p)).toBeLessThan(4.5 * sd + 1e-12);
        }
      }
    }
  });
});
