import { describe, expect, it } from 'vitest';
import { bestAssignment, stateAligner } from '../../../src/estimation/inference/alignStates.js';
import { buildModelDesigns } from '../../../src/estimation/fit.js';
import { Rng } from '../../../src/estimation/rng.js';
import type { ModelSpec } from '../../../src/estimation/spec.js';
import { createModel } from '../../../src/model/hmmModel.js';
import { assertClose } from '../../helpers/assert.js';
import { covariatePanel, makeSpec, randomParameters } from '../fixtures.js';

function permutations(K: number): number[][] {
  if (K === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(K - 1)) for (let i = 0; i < K; i++) out.push([...p.slice(0, i), K - 1, ...p.slice(i)]);
  return out;
}

function setup(spec: ModelSpec, seed: number) {
  const panel = covariatePanel(new Rng(seed), [6, 5, 8]);
  const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  const truth = randomParameters(model, new Rng(seed + 1), 1.5);
  const baseline = Float64Array.from([1, 0.7]); // (Intercept), stock(intervention, 0.8)
  return { model, truth, baseline };
}

/** The parameters of `model` at `values` with its states relabelled by `perm`. */
function relabel(model: ReturnType<typeof createModel>, values: Float64Array, perm: number[]): Float64Array {
  const m = model.clone();
  m.setParameters(values);
  for (const part of m.parts) part.permuteStates(Int32Array.from(perm));
  return m.getParameters().values;
}

describe('stateAligner', () => {
  for (const K of [3, 4]) {
    it(`puts a replicate with permuted labels back (multinomial, K = ${K}, every permutation)`, () => {
      const { model, truth, baseline } = setup(makeSpec({ nStates: K }), 10 + K);
      const aligner = stateAligner(model.clone(), truth, baseline);
      for (const perm of permutations(K)) {
        const replicate = relabel(model, truth, perm);
        const a = aligner.align(replicate);
        assertClose(a.values, truth, { atol: 1e-9 }, `perm ${perm}`);
        expect(a.relabelled).toBe(perm.some((t, s) => t !== s));
        // New state s is the replicate's state a.perm[s]; the replicate's state t was old state perm[t].
        for (let s = 0; s < K; s++) expect(perm[a.perm[s]]).toBe(s);
      }
    });
  }

  it('puts back a noisy replicate whose labels were swapped', () => {
    const { model, truth, baseline } = setup(makeSpec({ nStates: 3 }), 31);
    const noisy = Float64Array.from(truth);
    const rng = new Rng(2);
    for (let i = 0; i < noisy.length; i++) noisy[i] += 0.05 * rng.normal();
    const a = stateAligner(model.clone(), truth, baseline).align(relabel(model, noisy, [2, 0, 1]));
    assertClose(a.values, noisy, { atol: 1e-9 });
  });

  it('with ordered transitions undoes a reversal and allows nothing else', () => {
    const spec = makeSpec({ nStates: 3, transitionType: 'ordered' });
    const { model, truth, baseline } = setup(spec, 41);
    const aligner = stateAligner(model.clone(), truth, baseline);
    const a = aligner.align(relabel(model, truth, [2, 1, 0]));
    expect(Array.from(a.perm)).toEqual([2, 1, 0]);
    assertClose(a.values, truth, { atol: 1e-9 });
    expect(aligner.align(truth).relabelled).toBe(false);
  });
});

describe('bestAssignment', () => {
  it('finds the cheapest permutation, as enumeration over all K! does', () => {
    const rng = new Rng(8);
    for (const K of [2, 3, 4, 5, 6]) {
      for (let rep = 0; rep < 20; rep++) {
        const cost = Float64Array.from({ length: K * K }, () => rng.uniform());
        const total = (p: ArrayLike<number>) => Array.from(p).reduce((s, t, i) => s + cost[i * K + t], 0);
        const brute = Math.min(...permutations(K).map(total));
        const got = bestAssignment(cost, K, false);
        expect(new Set(got).size).toBe(K);
        assertClose(total(got), brute, { atol: 1e-12 });
      }
    }
  });

  it('keeps the identity on ties and compares only identity and reversal on a ladder', () => {
    expect(Array.from(bestAssignment(new Float64Array(9), 3, false))).toEqual([0, 1, 2]);
    // Cheapest overall is [1, 0, 2], which a ladder cannot take; the reversal beats the identity.
    const cost = Float64Array.from([5, 0, 1, 0, 5, 5, 1, 5, 5]);
    expect(Array.from(bestAssignment(cost, 3, false))).toEqual([1, 0, 2]);
    expect(Array.from(bestAssignment(cost, 3, true))).toEqual([2, 1, 0]);
  });
});
