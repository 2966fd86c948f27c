import { describe, expect, it } from 'vitest';
import { createModel, type ModelDesigns } from '../../src/model/hmmModel.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { Rng } from '../../src/estimation/rng.js';
import { ModelError } from '../../src/errors.js';
import { assertClose } from '../helpers/assert.js';

/** Designs for a small panel: customers of lengths `lens`, covariates intervention-lag (binary) and a continuous z. */
function smallPanel(rng: Rng, lens: number[]): { offsets: Int32Array; designs: ModelDesigns } {
  const offsets = new Int32Array(lens.length + 1);
  lens.forEach((l, i) => (offsets[i + 1] = offsets[i] + l));
  const n = offsets[lens.length];
  const tr = new Float64Array(n * 2);
  const em = new Float64Array(n * 2);
  const z = Array.from({ length: 4 }, () => rng.normal());
  for (let r = 0; r < n; r++) {
    tr[r * 2] = 1;
    tr[r * 2 + 1] = rng.int(2);
    em[r * 2] = 1;
    em[r * 2 + 1] = z[rng.int(4)];
  }
  return {
    offsets,
    designs: {
      initial: { names: ['(Intercept)'], values: new Float64Array(n).fill(1) },
      transition: { names: ['(Intercept)', 'lag(intervention)'], values: tr },
      emission: { names: ['(Intercept)', 'stock(intervention, 0.8)'], values: em },
    },
  };
}

function spec(over: Partial<ModelSpec> = {}): ModelSpec {
  return {
    nStates: 3,
    voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'],
    referenceVoice: 'silent',
    formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' },
    transitionType: 'multinomial',
    sharedSlopes: false,
    ...over,
  };
}

/** All three probability tables of a model, concatenated. */
function tables(m: ReturnType<typeof createModel>): Float64Array[] {
  return m.parts.map((p) => {
    const out = new Float64Array(p.design.nPatterns * p.nGroups * p.nOut);
    p.probabilities(out);
    return out;
  });
}

describe('createModel', () => {
  it('builds the flat named vector in block order with a lossless get/set round trip', () => {
    const rng = new Rng(1);
    const { offsets, designs } = smallPanel(rng, [5, 3, 7]);
    const m = createModel(spec(), designs, offsets);
    const p = m.getParameters();
    // initial: 2 states x 1 col; transition: 3 origins x 2 destinations x 2 cols; emission: 3 states x 3 voices x 2 cols
    expect(m.nParams).toBe(2 + 12 + 18);
    expect(p.names).toHaveLength(m.nParams);
    expect(p.blocks).toEqual([
      { block: 'initial', start: 0, length: 2 },
      { block: 'transition', start: 2, length: 12 },
      { block: 'emission', start: 14, length: 18 },
    ]);
    expect(p.names[0]).toBe('initial[2]:(Intercept)');
    expect(p.names[2]).toBe('transition[1->2]:(Intercept)');
    expect(p.names[3]).toBe('transition[1->2]:lag(intervention)');
    expect(p.names[14]).toBe('emission[1]:complaint:(Intercept)');
    expect(p.names[15]).toBe('emission[1]:complaint:stock(intervention, 0.8)');
    const v = Float64Array.from({ length: m.nParams }, () => rng.normal());
    m.setParameters(v);
    expect(Array.from(m.getParameters().values)).toEqual(Array.from(v));
    // getParameters returns a copy
    m.getParameters().values[0] = 99;
    expect(m.getParameters().values[0]).toBe(v[0]);
    expect(() => m.setParameters(new Float64Array(3))).toThrow(ModelError);
    // patterns: initial per customer, transition/emission per row
    expect(m.parts[0].design.index).toHaveLength(3);
    expect(m.parts[1].design.index).toHaveLength(15);
    expect(m.parts[1].design.nPatterns).toBe(2);
  });

  it('refuses specs that do not hold together', () => {
    const rng = new Rng(2);
    const { offsets, designs } = smallPanel(rng, [2, 2]);
    expect(() => createModel(spec({ referenceVoice: 'shout' }), designs, offsets)).toThrow(/reference voice 'shout'/);
    expect(() => createModel(spec({ nStates: 0 }), designs, offsets)).toThrow(ModelError);
    expect(() => createModel(spec({ formulas: { initial: '~ 1', transition: '~ 1' } as ModelSpec['formulas'] }), designs, offsets)).toThrow(/emission formula/);
    expect(() => createModel(spec({ transitionType: 'ladder' as ModelSpec['transitionType'] }), designs, offsets)).toThrow(/transition type/);
    expect(() => createModel(spec(), { ...designs, emission: { names: ['a'], values: new Float64Array(3) } }, offsets)).toThrow(ModelError);
  });

  it('clone is independent', () => {
    const rng = new Rng(3);
    const { offsets, designs } = smallPanel(rng, [4, 4]);
    const m = createModel(spec(), designs, offsets);
    const c = m.clone();
    c.setParameters(Float64Array.from({ length: m.nParams }, () => 1));
    expect(Array.from(m.getParameters().values).every((x) => x === 0)).toBe(true);
  });
});

describe('relabelWorstFirst', () => {
  for (const transitionType of ['multinomial', 'ordered'] as const) {
    for (const sharedSlopes of [false, true]) {
      it(`${transitionType} transitions, ${sharedSlopes ? 'shared' : 'state-specific'} slopes: same model, worst state first`, () => {
        for (let rep = 0; rep < 5; rep++) {
          const rng = new Rng(10 + rep);
          const { offsets, designs } = smallPanel(rng, [6, 4, 5]);
          const m = createModel(spec({ transitionType, sharedSlopes }), designs, offsets);
          const K = m.nStates;
          const V = m.nVoice;
          m.setParameters(Float64Array.from({ length: m.nParams }, () => 1.5 * rng.normal()));
          const before = tables(m);
          const perm = m.relabelWorstFirst();
          const after = tables(m);
          // initial over states
          for (let s = 0; s < K; s++) assertClose(after[0][s], before[0][perm[s]], { atol: 1e-13 }, `initial ${s}`);
          for (let p = 0; p < m.parts[1].design.nPatterns; p++) {
            for (let i = 0; i < K; i++) {
              for (let j = 0; j < K; j++) {
                assertClose(after[1][(p * K + i) * K + j], before[1][(p * K + perm[i]) * K + perm[j]], { atol: 1e-13 }, `transition p${p} ${i}->${j}`);
              }
            }
          }
          for (let p = 0; p < m.parts[2].design.nPatterns; p++) {
            for (let k = 0; k < K; k++) {
              for (let c = 0; c < V; c++) {
                assertClose(after[2][(p * K + k) * V + c], before[2][(p * K + perm[k]) * V + c], { atol: 1e-13 }, `emission p${p} k${k} c${c}`);
              }
            }
          }
          // Baseline complaint at the mean emission row, computed here independently.
          const ev = designs.emission.values;
          const n = ev.length / 2;
          let mz = 0;
          for (let r = 0; r < n; r++) mz += ev[r * 2 + 1];
          const mean = Float64Array.from([1, mz / n]);
          const probs = new Float64Array(K * V);
          m.parts[2].probabilitiesFor(mean, 1, probs);
          const complaint = Array.from({ length: K }, (_, k) => probs[k * V]);
          if (transitionType === 'multinomial') {
            for (let k = 1; k < K; k++) expect(complaint[k]).toBeLessThanOrEqual(complaint[k - 1]);
          } else {
            expect(complaint[0]).toBeGreaterThanOrEqual(complaint[K - 1]);
            expect([0, K - 1]).toContain(perm[0]);
          }
          // Relabelling again is the identity.
          expect(Array.from(m.relabelWorstFirst())).toEqual(Array.from({ length: K }, (_, k) => k));
        }
      });
    }
  }
});
