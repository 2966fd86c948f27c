import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/data/suggest.js';
import { defaultReferenceVoice } from '../../src/data/referenceVoice.js';
import { summarizePanel } from '../../src/data/summarizePanel.js';
import { customerOrder } from '../../src/data/customerOrder.js';
import { parsePanel } from '../../src/data/readPanel.js';
import { buildDesign } from '../../src/data/formula.js';

describe('suggest', () => {
  it('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('Stock', 'stock')).toBe(0);
  });
  it('suggests close names only', () => {
    expect(suggest('complain', ['complaint', 'compliment'])).toBe('complaint');
    expect(suggest('interventon', ['intervention', 'x'])).toBe('intervention');
    expect(suggest('zzz', ['complaint', 'compliment'])).toBeUndefined();
  });
});

describe('defaultReferenceVoice', () => {
  it('silent, else neutral, else the last label', () => {
    expect(defaultReferenceVoice(['complaint', 'compliment', 'neutral', 'silent'])).toBe('silent');
    expect(defaultReferenceVoice(['complaint', 'Neutral', 'compliment'])).toBe('Neutral');
    expect(defaultReferenceVoice(['angry', 'happy'])).toBe('happy');
    expect(() => defaultReferenceVoice([])).toThrow(RangeError);
  });
});

describe('customerOrder', () => {
  it('numeric when all ids are integers (exact beyond 2^53), else string order', () => {
    const ids = ['10', '9', '18446744073709551615', '18446744073709551614', '-1'];
    expect(Array.from(customerOrder(ids), (i) => ids[i])).toEqual(['-1', '9', '10', '18446744073709551614', '18446744073709551615']);
    const mixed = ['10', '9', 'a'];
    expect(Array.from(customerOrder(mixed), (i) => mixed[i])).toEqual(['10', '9', 'a']);
  });
});

describe('summarizePanel', () => {
  it('counts customers, rows, voice, interventions and covariate ranges', () => {
    const { panel } = parsePanel('customer,period,voice,intervention,x\na,1,complaint,1,2\na,2,,0,4\nb,3,silent,1,9\nb,4,silent,0,1\nb,5,complaint,0,4\n', 'p.csv');
    expect(summarizePanel(panel)).toEqual({
      customers: 2,
      rows: 5,
      periods: { first: 1, last: 5, perCustomer: { min: 2, mean: 2.5, max: 3 } },
      voice: [
        { label: 'complaint', count: 2 },
        { label: 'silent', count: 2 },
      ],
      missingVoice: 1,
      interventions: { rows: 2, customers: 2 },
      covariates: [{ name: 'x', min: 1, mean: 4, max: 9 }],
    });
  });
});

describe('formulas on a panel read from CSV', () => {
  it('lag and stock follow sorted customers and periods, whatever the row order', () => {
    const { panel } = parsePanel('customer,period,voice,intervention\nb,2,silent,1\na,2,silent,0\nb,1,complaint,1\na,1,complaint,1\na,3,silent,1\n', 'p.csv');
    const d = buildDesign(panel, '~ lag(intervention) + stock(intervention, 0.5) - 1');
    // a: intervention 1,0,1 ; b: 1,1
    expect(Array.from(d.values)).toEqual([0, 0, 1, 1, 0, 0.5, 0, 0, 1, 1]);
  });
});
