import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/data/formula.js';
import type { Panel } from '../../src/data/panel.js';
import { FormulaError } from '../../src/errors.js';
import { Rng } from '../../src/estimation/rng.js';

/** Customers of different lengths with a 0/1 intervention and a positive covariate. */
function randomPanel(seed: number): Panel {
  const rng = new Rng(seed);
  const lengths = [1, 4, 9, 2, 7, 12];
  const offsets = new Int32Array(lengths.length + 1);
  lengths.forEach((l, i) => (offsets[i + 1] = offsets[i] + l));
  const n = offsets[lengths.length];
  return {
    customers: lengths.map((_, i) => `c${i}`),
    offsets,
    period: Int32Array.from({ length: n }, (_, r) => r),
    voice: new Int32Array(n),
    voiceLabels: ['complaint', 'silent'],
    columns: {
      intervention: Float64Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 1 : 0)),
      x: Float64Array.from({ length: n }, () => 0.5 + 3 * rng.uniform()),
    },
  };
}

/** Step through the panel period by period (customers of different lengths: only those still going). */
function stepped(formula: string, panel: Panel): Float64Array {
  const f = compileFormula(formula, Object.keys(panel.columns));
  const N = panel.customers.length;
  const st = f.stepper(N);
  const nCols = f.names.length;
  const out = new Float64Array(panel.voice.length * nCols);
  const row = new Float64Array(N * nCols);
  const longest = Math.max(...Array.from({ length: N }, (_, i) => panel.offsets[i + 1] - panel.offsets[i]));
  for (let j = 0; j < longest; j++) {
    const active = Int32Array.from(Array.from({ length: N }, (_, i) => i).filter((i) => panel.offsets[i + 1] - panel.offsets[i] > j));
    const inputs: Record<string, Float64Array> = {};
    for (const [name, col] of Object.entries(panel.columns)) inputs[name] = Float64Array.from(active, (i) => col[panel.offsets[i] + j]);
    st.row(inputs, active.length, active, row);
    active.forEach((i, a) => out.set(row.subarray(a * nCols, (a + 1) * nCols), (panel.offsets[i] + j) * nCols));
    st.push(inputs, active.length, active);
  }
  return out;
}

describe('formula stepper', () => {
  const formulas = [
    '~ lag(intervention)',
    '~ stock(intervention, 0.8) + lag(intervention, 3)',
    '~ log1p(stock(intervention, 0.5)) * x - 1',
    '~ cumsum(lag(intervention)) + lag(stock(intervention, 0.9), 2) + (x - lag(x))',
    '~ cumsum(x) + exp(-lag(x)) + sqrt(x) / 2 + lag(intervention * x)',
  ];
  for (const formula of formulas) {
    it(`gives the rows of evaluate() on the whole history: ${formula}`, () => {
      for (const seed of [1, 2, 3]) {
        const panel = randomPanel(seed);
        const whole = compileFormula(formula, Object.keys(panel.columns)).evaluate(panel).values;
        const step = stepped(formula, panel);
        expect(Array.from(step)).toEqual(Array.from(whole));
      }
    });
  }

  it('restores saved histories and resets', () => {
    const panel = randomPanel(4);
    const f = compileFormula('~ stock(intervention, 0.8) + lag(intervention, 2)', ['intervention', 'x']);
    const st = f.stepper(2);
    const one = { intervention: Float64Array.of(1, 0), x: Float64Array.of(0, 0) };
    st.push(one, 2, null);
    const saved = st.saveState();
    const a = new Float64Array(6);
    st.push(one, 2, null);
    st.row(one, 2, null, a);
    expect(Array.from(a)).toEqual([1, 1.8, 1, 1, 0, 0]);
    st.restoreState(saved);
    st.push(one, 2, null);
    const b = new Float64Array(6);
    st.row(one, 2, null, b);
    expect(b).toEqual(a);
    st.reset();
    st.row(one, 2, null, b);
    expect(Array.from(b)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(panel.customers.length).toBe(6);
  });

  it('refuses scale()', () => {
    const f = compileFormula('~ scale(x)', ['intervention', 'x']);
    expect(() => f.stepper(3)).toThrow(FormulaError);
  });
});
