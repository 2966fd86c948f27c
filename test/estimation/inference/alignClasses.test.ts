import { describe, expect, it } from 'vitest';
import { mixtureAligner } from '../../../src/estimation/inference/alignClasses.js';
import { buildMixtureDesigns } from '../../../src/estimation/fitMixture.js';
import { Rng } from '../../../src/estimation/rng.js';
import type { ClassSpec, ModelSpec } from '../../../src/estimation/spec.js';
import { createMixtureModel, type MixtureModel } from '../../../src/model/mixtureModel.js';
import { assertClose } from '../../helpers/assert.js';
import { covariatePanel, makeSpec } from '../fixtures.js';

function permutations(K: number): number[][] {
  if (K === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(K - 1)) for (let i = 0; i < K; i++) out.push([...p.slice(0, i), K - 1, ...p.slice(i)]);
  return out;
}

function setup(over: Partial<ModelSpec>, classes: ClassSpec, seed: number) {
  const spec: ModelSpec = { ...makeSpec(over), classes };
  const rng = new Rng(seed);
  const panel = covariatePanel(rng, Array.from({ length: 12 }, (_, i) => 4 + (i % 4)));
  const z = new Float64Array(panel.voice.length);
  for (let i = 0; i < 12; i++) z.fill(rng.normal(), panel.offsets[i], panel.offsets[i + 1]);
  panel.columns.z = z;
  const model = createMixtureModel(spec, buildMixtureDesigns(panel, spec), panel.offsets);
  // well-separated classes and states: what a fit's estimates look like
  const truth = Float64Array.from({ length: model.nParams }, () => 1.5 * rng.normal());
  const base = { initial: Float64Array.from([1]), transition: Float64Array.from([1, 0.3]), emission: Float64Array.from([1, 0.7]) };
  return { spec, model, truth, base };
}

/** `values` relabelled: new class n = old class classPerm[n], then within class n new state s = old state statePerms[n][s]. */
function relabel(model: MixtureModel, values: Float64Array, classPerm: number[], statePerms: number[][]): Float64Array {
  const m = model.clone();
  m.setParameters(values);
  m.permuteClasses(Int32Array.from(classPerm));
  m.permuteStates(statePerms.map((p) => Int32Array.from(p)));
  return m.getParameters().values;
}

describe('mixtureAligner', () => {
  const all: ClassSpec['specific'] = ['initial', 'transition', 'emission'];
  for (const C of [2, 3]) {
    it(`puts a replicate with permuted classes and states back (every block class-specific, C = ${C}, K = 3, every permutation)`, () => {
      const { model, truth, base } = setup({ nStates: 3 }, { count: C, formula: '~ z', specific: all }, 5 + C);
      const aligner = mixtureAligner(model.clone(), truth, base);
      const rng = new Rng(3);
      const states = permutations(3);
      for (const cp of permutations(C)) {
        for (let rep = 0; rep < 6; rep++) {
          // each class its own state permutation
          const sp = Array.from({ length: C }, () => states[rng.int(states.length)]);
          const a = aligner.align(relabel(model, truth, cp, sp));
          assertClose(a.values, truth, { atol: 1e-9 }, `classes ${cp} states ${sp.join('|')}`);
          expect(a.relabelled).toBe(cp.some((d, c) => d !== c) || sp.some((p) => p.some((t, s) => t !== s)));
          // new class n is the replicate's class a.classPerm[n], which was old class cp[a.classPerm[n]]
          for (let n = 0; n < C; n++) expect(cp[a.classPerm[n]]).toBe(n);
        }
      }
      expect(aligner.align(truth).relabelled).toBe(false);
    });
  }

  it('with a shared emission block: one state permutation for all classes, classes matched by their own blocks and shares', () => {
    const { model, truth, base } = setup({ nStates: 3 }, { count: 2, formula: '~ z', specific: ['initial', 'transition'] }, 17);
    const aligner = mixtureAligner(model.clone(), truth, base);
    for (const cp of permutations(2)) {
      for (const sp of permutations(3)) {
        const a = aligner.align(relabel(model, truth, cp, [sp, sp]));
        assertClose(a.values, truth, { atol: 1e-9 }, `classes ${cp} states ${sp}`);
        expect(Array.from(a.statePerms[0])).toEqual(Array.from(a.statePerms[1]));
      }
    }
  });

  it('puts back a noisy replicate whose classes and states were swapped', () => {
    const { model, truth, base } = setup({ nStates: 2 }, { count: 2, formula: '~ z', specific: all }, 23);
    const noisy = Float64Array.from(truth);
    const rng = new Rng(4);
    for (let i = 0; i < noisy.length; i++) noisy[i] += 0.05 * rng.normal();
    const a = mixtureAligner(model.clone(), truth, base).align(relabel(model, noisy, [1, 0], [[1, 0], [0, 1]]));
    assertClose(a.values, noisy, { atol: 1e-9 });
  });

  it('with ordered transitions only reverses the states of a class', () => {
    const { model, truth, base } = setup({ nStates: 3, transitionType: 'ordered' }, { count: 2, formula: '~ 1', specific: all }, 29);
    const aligner = mixtureAligner(model.clone(), truth, base);
    const a = aligner.align(relabel(model, truth, [1, 0], [[2, 1, 0], [0, 1, 2]]));
    assertClose(a.values, truth, { atol: 1e-9 });
    expect(a.statePerms.every((p) => ['0,1,2', '2,1,0'].includes(Array.from(p).join(',')))).toBe(true);
  });
});
