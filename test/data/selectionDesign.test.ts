import { describe, expect, it } from 'vitest';
import { FormulaError, ModelError } from '../../src/errors.js';
import { buildSelectionDesign, compileSelectionFormula, withVoiceColumns } from '../../src/data/selectionDesign.js';
import { columnRecord, type Panel } from '../../src/data/panel.js';

const LABELS = ['complaint', 'compliment', 'silent'];

function panel(): Panel {
  // two customers: rows 0-3 and 4-6; voice missing at rows 1, 2 and 5
  return {
    customers: ['a', 'b'],
    offsets: Int32Array.of(0, 4, 7),
    period: Int32Array.of(1, 2, 3, 4, 1, 2, 3),
    voice: Int32Array.of(0, -1, -1, 1, 2, -1, 0),
    voiceLabels: [...LABELS],
    columns: columnRecord({ intervention: Float64Array.of(1, 0, 1, 0, 0, 1, 1), followers: Float64Array.of(5, 5, 5, 5, 9, 9, 9) }),
  };
}

function refusal(formula: string): FormulaError {
  try {
    compileSelectionFormula(formula, ['intervention', 'followers'], LABELS);
  } catch (e) {
    if (e instanceof FormulaError) return e;
    throw e;
  }
  throw new Error(`'${formula}' was accepted`);
}

describe('selection formulas', () => {
  it('refuse this period\'s intervention, located at the term', () => {
    for (const [f, term] of [
      ['~ voice_complaint + intervention', 'intervention'],
      ['~ voice_complaint + cumsum(intervention)', 'cumsum(intervention)'],
      ['~ followers * intervention', 'followers * intervention'],
      ['~ scale(intervention)', 'scale(intervention)'],
    ] as const) {
      const e = refusal(f);
      expect(e.reason).toMatch(new RegExp(`selection term '${term.replace(/[()*]/g, '\\$&')}' reads this period's intervention`));
      expect(e.position).toBe(f.indexOf(term));
      expect(e.message).toContain('^');
    }
  });

  it('refuse the future, and cumsum/scale of this period\'s voice', () => {
    expect(refusal('~ lead(voice_complaint)').reason).toMatch(/future/);
    expect(refusal('~ lag(intervention, -1)').reason).toMatch(/future/);
    const e = refusal('~ lag(intervention) + cumsum(voice_complaint)');
    expect(e.reason).toMatch(/cumsum\(\) to this period's voice indicator voice_complaint/);
    expect(e.position).toBe('~ lag(intervention) + '.length);
    expect(refusal('~ voice_silent2').reason).toMatch(/unknown column 'voice_silent2'/);
  });

  it('accept this period\'s voice, its lags and the history', () => {
    const f = compileSelectionFormula('~ voice_complaint + lag(voice_compliment) + lag(intervention) + stock(intervention, 0.5) + lag(cumsum(intervention)) + followers', ['intervention', 'followers'], LABELS);
    expect(f.names).toEqual(['(Intercept)', 'voice_complaint', 'lag(voice_compliment)', 'lag(intervention)', 'stock(intervention, 0.5)', 'lag(cumsum(intervention))', 'followers']);
  });

  it('a panel column named like a voice indicator is refused', () => {
    const p = panel();
    p.columns.voice_complaint = new Float64Array(7);
    expect(() => withVoiceColumns(p)).toThrow(ModelError);
  });
});

describe('selection design', () => {
  it('one unit per row when the formula does not read this period\'s voice', () => {
    const d = buildSelectionDesign(panel(), '~ lag(voice_complaint) + lag(intervention)');
    expect(Array.from(d.rows.unitStart)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // lag of the observed indicator: 0 where the earlier voice is missing
    expect(Array.from(d.design.values)).toEqual([1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1]);
    expect(Array.from(d.rows.outcome)).toEqual([1, 0, 1, 0, 0, 1, 1]);
  });

  it('a missing voice read by the formula gets one unit per voice; lags stay as observed', () => {
    const d = buildSelectionDesign(panel(), '~ voice_complaint + lag(voice_complaint)');
    // rows 1, 2, 5 have missing voice and an observed intervention: 3 units each
    expect(Array.from(d.rows.unitStart)).toEqual([0, 1, 4, 7, 8, 9, 12, 13]);
    expect(Array.from(d.rows.unitVoice)).toEqual([-1, 0, 1, 2, 0, 1, 2, -1, -1, 0, 1, 2, -1]);
    const rowsOf = (u: number) => Array.from(d.design.values.subarray(u * 3, u * 3 + 3));
    expect(rowsOf(0)).toEqual([1, 1, 0]);
    // row 1 (previous voice complaint): this period's voice as assumed, the lag as observed
    expect([rowsOf(1), rowsOf(2), rowsOf(3)]).toEqual([[1, 1, 1], [1, 0, 1], [1, 0, 1]]);
    // row 2 (previous voice missing): the lag reads 0, not the assumed voice of row 1
    expect([rowsOf(4), rowsOf(5), rowsOf(6)]).toEqual([[1, 1, 0], [1, 0, 0], [1, 0, 0]]);
    expect(rowsOf(7)).toEqual([1, 0, 0]);
  });
});
