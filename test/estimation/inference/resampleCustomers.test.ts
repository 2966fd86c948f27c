import { describe, expect, it } from 'vitest';
import { resampleCustomers } from '../../../src/estimation/inference/resampleCustomers.js';
import { Rng } from '../../../src/estimation/rng.js';
import { covariatePanel } from '../fixtures.js';
import { plainPanel } from '../../helpers/plainPanel.js';

const lengths = [3, 7, 1, 5, 4, 6];
const panel = covariatePanel(new Rng(4), lengths);
panel.voice.forEach((_, r) => (panel.voice[r] = (r * 5) % 3));

describe('resampleCustomers', () => {
  it('draws as many customers as the panel has, each with all its rows, in the order of the stream', () => {
    const out = resampleCustomers(panel, Rng.stream(9, 2));
    const rng = Rng.stream(9, 2);
    const picks = lengths.map(() => rng.int(lengths.length));
    expect(out.offsets.length).toBe(lengths.length + 1);
    for (let i = 0; i < picks.length; i++) {
      const c = picks[i];
      const a = panel.offsets[c];
      const b = panel.offsets[c + 1];
      expect(out.offsets[i + 1] - out.offsets[i]).toBe(b - a);
      const o = out.offsets[i];
      expect(Array.from(out.voice.subarray(o, o + b - a))).toEqual(Array.from(panel.voice.subarray(a, b)));
      expect(Array.from(out.period.subarray(o, o + b - a))).toEqual(Array.from(panel.period.subarray(a, b)));
      for (const k of Object.keys(panel.columns)) expect(Array.from(out.columns[k].subarray(o, o + b - a))).toEqual(Array.from(panel.columns[k].subarray(a, b)));
      expect(out.customers[i].split('#')[0]).toBe(panel.customers[c]);
    }
    expect(new Set(out.customers).size).toBe(out.customers.length);
    expect(new Set(picks).size).toBeLessThan(picks.length); // this stream does repeat a customer
  });

  it('gives the same sample for the same stream and another for another stream', () => {
    expect(plainPanel(resampleCustomers(panel, Rng.stream(9, 2)))).toEqual(plainPanel(resampleCustomers(panel, Rng.stream(9, 2))));
    expect(plainPanel(resampleCustomers(panel, Rng.stream(9, 3)))).not.toEqual(plainPanel(resampleCustomers(panel, Rng.stream(9, 2))));
  });
});
