import { describe, expect, it } from 'vitest';
import { EStep } from '../../src/estimation/eStep.js';
import { buildModelDesigns } from '../../src/estimation/fit.js';
import { Rng } from '../../src/estimation/rng.js';
import {
  complaintRateBins,
  dataResponsibilities,
  fillCountsFromResponsibilities,
  randomResponsibilities,
} from '../../src/estimation/starts.js';
import { createModel } from '../../src/model/hmmModel.js';
import { assertClose } from '../helpers/assert.js';
import { covariatePanel, makeSpec } from './fixtures.js';

describe('starts', () => {
  it('pseudo statistics are first-period, consecutive-pair and emission counts of the responsibilities', () => {
    const spec = makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ 1' } });
    const panel = covariatePanel(new Rng(1), [3, 1], spec.voiceLabels);
    panel.voice.set([0, -1, 2, 1]);
    const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
    const eStep = new EStep(model.parts, 2, 3, panel.offsets, panel.voice);
    const g = [
      [0.9, 0.1],
      [0.5, 0.5],
      [0.2, 0.8],
      [0.3, 0.7],
    ];
    // unnormalised input: row r gets g[r] * (r+1)
    fillCountsFromResponsibilities(eStep, (r, _v, out) => {
      out[0] = g[r][0] * (r + 1);
      out[1] = g[r][1] * (r + 1);
    });
    const c = eStep.stats.counts;
    assertClose(c.initial, [0.9 + 0.3, 0.1 + 0.7], { atol: 1e-15 });
    // emission: one pattern; rows 0 (voice 0), 2 (voice 2), 3 (voice 1); row 1 missing
    assertClose(c.emission, [0.9, 0.3, 0.2, 0.1, 0.7, 0.8], { atol: 1e-15 });
    // transitions into rows 1 and 2 by their lag(intervention) pattern
    const tIndex = model.parts[1].design.index;
    const expected = new Float64Array(c.transition.length);
    for (const [r, prev] of [
      [1, 0],
      [2, 1],
    ]) {
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expected[tIndex[r] * 4 + i * 2 + j] += g[prev][i] * g[r][j];
    }
    assertClose(c.transition, expected, { atol: 1e-15 });
    expect(() => fillCountsFromResponsibilities(eStep, (_r, _v, out) => out.fill(0))).toThrow(RangeError);
  });

  it('the data-driven bins put high complaint rates in state 1 and are deterministic', () => {
    // customer A complains always, B never, C complains in its second half
    const offsets = Int32Array.from([0, 10, 20, 30]);
    const voice = new Int32Array(30).fill(2);
    for (let r = 0; r < 10; r++) voice[r] = 0;
    for (let r = 25; r < 30; r++) voice[r] = 0;
    voice[3] = -1;
    const bins = complaintRateBins(offsets, voice, 3, 0);
    for (let r = 0; r < 10; r++) expect(bins[r]).toBe(0);
    for (let r = 10; r < 20; r++) expect(bins[r]).toBe(2);
    for (let r = 20; r < 30; r++) expect(bins[r]).toBe(1); // C: rates strictly between A and B
    expect(Array.from(complaintRateBins(offsets, voice, 3, 0))).toEqual(Array.from(bins));
    const out = new Float64Array(3);
    dataResponsibilities(bins, 3)(0, 0, out);
    assertClose(out, [0.8, 0.1, 0.1], { atol: 1e-15 });
    expect(() => complaintRateBins(offsets, voice, 256, 0)).toThrow(RangeError);
  });

  it('random responsibilities come from the stream alone', () => {
    const a = randomResponsibilities(new Rng(9, 2), 3, 4);
    const b = randomResponsibilities(new Rng(9, 2), 3, 4);
    const c = randomResponsibilities(new Rng(9, 3), 3, 4);
    const oa = new Float64Array(3);
    const ob = new Float64Array(3);
    const oc = new Float64Array(3);
    for (const v of [-1, 0, 1, 2, 3]) {
      a(0, v, oa);
      b(5, v, ob);
      c(0, v, oc);
      expect(Array.from(oa)).toEqual(Array.from(ob));
      expect(Array.from(oa)).not.toEqual(Array.from(oc));
      for (const x of oa) expect(x).toBeGreaterThan(0);
    }
  });
});
