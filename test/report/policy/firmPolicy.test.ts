import { describe, expect, it } from 'vitest';
import { estimateFirmPolicy, firmDesign } from '../../../src/report/policy/firmPolicy.js';
import { simulate } from '../../../src/estimation/simulate.js';
import { TRUTH_SPEC, truthParameters } from '../../cli/fixtures.js';
import type { Panel } from '../../../src/data/panel.js';
import { assertClose } from '../../helpers/assert.js';

const logit = (p: number) => Math.log(p / (1 - p));

describe("the firm's observed policy", () => {
  it('recovers the coefficients of a known firm policy from a simulated panel', () => {
    const p = 0.6;
    const q = 0.03;
    const { panel } = simulate(TRUTH_SPEC, truthParameters(), { customers: 1500, periods: 40, policy: { afterComplaint: p, otherwise: q }, seed: 11 });
    const f = estimateFirmPolicy(panel);
    expect(f.names).toEqual(['(Intercept)', 'complaint', 'compliment', 'lag(intervention)', 'lag(complaint)', 'stock(intervention, 0.8)']);
    expect(f.converged).toBe(true);
    const truth = [logit(q), logit(p) - logit(q), 0, 0, 0, 0];
    truth.forEach((b, j) => {
      expect(Math.abs(f.estimate[j] - b), `${f.names[j]}: ${f.estimate[j]} vs ${b} (se ${f.se[j]})`).toBeLessThan(3.5 * f.se[j]);
    });
    // The standard errors are those of a logit of this size: not zero, not huge.
    for (const s of f.se) expect(s).toBeGreaterThan(0.005);
    for (const s of f.se) expect(s).toBeLessThan(0.5);
  });

  it('equals the closed form when the history is uninformative: intercept and complaint are empirical log-odds', () => {
    // One period per customer: lags and stock are 0 (those coefficients are ridge-held at 0).
    const voice = [0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 0, 2];
    const iv = [1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0];
    const n = voice.length;
    const panel: Panel = {
      customers: voice.map((_, i) => `c${i}`),
      offsets: Int32Array.from({ length: n + 1 }, (_, i) => i),
      period: new Int32Array(n),
      voice: Int32Array.from(voice),
      voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'],
      columns: { intervention: Float64Array.from(iv) },
    };
    const f = estimateFirmPolicy(panel);
    // complaint: 4 of 6 answered; compliment: 1 of 2; other voice: 2 of 8.
    const other = logit(2 / 8);
    assertClose(f.estimate.slice(0, 3), [other, logit(4 / 6) - other, logit(1 / 2) - other], { atol: 1e-6 });
    // Its standard errors: sqrt(1/(n p (1-p))) for the intercept cell.
    assertClose(f.se[0], Math.sqrt(1 / (8 * 0.25 * 0.75)), { atol: 1e-5 });
  });

  it('builds the history features within each customer', () => {
    const panel: Panel = {
      customers: ['a', 'b'],
      offsets: Int32Array.of(0, 3, 5),
      period: Int32Array.of(1, 2, 3, 1, 2),
      voice: Int32Array.of(0, 3, 0, 0, 1),
      voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'],
      columns: { intervention: Float64Array.of(1, 1, 0, 0, 1) },
    };
    const { x } = firmDesign(panel);
    const rows = Array.from({ length: 5 }, (_, r) => Array.from(x.subarray(r * 6, r * 6 + 6)));
    expect(rows).toEqual([
      [1, 1, 0, 0, 0, 0],
      [1, 0, 0, 1, 1, 1],
      [1, 1, 0, 1, 0, 1.8],
      [1, 1, 0, 0, 0, 0],
      [1, 0, 1, 0, 1, 0],
    ]);
  });
});
