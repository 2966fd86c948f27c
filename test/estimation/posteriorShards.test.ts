/**
 * The posterior shard by shard (EStep.forEachPosteriorShard, used by the fit's effects basis)
 * has the bits of the whole-panel posterior of `run`, in every emission-table layout, and the
 * shards cover the rows in order.
 */
import { describe, expect, it } from 'vitest';
import type { EmissionTables } from '../../src/estimation/eStep.js';
import { eStepWithLayout, layoutProblem, makeSpec } from './fixtures.js';

describe('posterior shard by shard', () => {
  const spec = makeSpec({ nStates: 3, formulas: { initial: '~ x', transition: '~ lag(intervention) + x', emission: '~ stock(intervention, 0.8) + x' } });
  const lengths = Array.from({ length: 60 }, (_, i) => 3 + (i % 9));
  const { panel, model } = layoutProblem(spec, lengths, 17, 0.1);
  const K = spec.nStates;

  for (const layout of ['patterns', 'units', 'rows'] as EmissionTables[]) {
    it(`equals run's gamma bit for bit (${layout} tables, 7 shards)`, () => {
      const eStep = eStepWithLayout(model, panel, layout, { shardRows: 64 });
      expect(eStep.seq.length - 1).toBeGreaterThan(4);
      const whole = new Float64Array(panel.voice.length * K);
      const ll = eStep.run(model.parts, whole);
      expect(Number.isFinite(ll)).toBe(true);
      const pieces = new Float64Array(whole.length).fill(NaN);
      let next = 0;
      eStep.forEachPosteriorShard(model.parts, (r0, gamma) => {
        expect(r0).toBe(next); // in row order, no gap
        pieces.set(gamma, r0 * K);
        next = r0 + gamma.length / K;
      });
      expect(next).toBe(panel.voice.length);
      let differ = 0;
      for (let i = 0; i < whole.length; i++) if (!Object.is(whole[i], pieces[i])) differ++;
      expect(differ).toBe(0);
      // each row's posterior sums to 1
      for (let r = 0; r < panel.voice.length; r += 37) expect(Math.abs(pieces[r * K] + pieces[r * K + 1] + pieces[r * K + 2] - 1)).toBeLessThan(1e-12);
    });
  }
});
