import { describe, it, expect } from 'vitest';
import { computeEffects } from '../../src/report/computeEffects.js';
import { formatEffectsText } from '../../src/report/effects.js';
import { longRunTail } from '../../src/report/longRunTail.js';
import { UsageError } from '../../src/errors.js';
import { assertClose } from '../helpers/assert.js';
import { HAND, handFit, handSpec, logistic } from './handModel.js';

describe('long-run totals', () => {
  const fit = handFit();
  const r = computeEffects(fit, { horizon: 30 });
  const lr = r.longRun.effects!;

  it('equal the closed form of the hand model: relationship = (s T1 - s T0) . e0 / (1 - lambda)', () => {
    const { a, b, a1, b1, alpha, start } = HAND;
    const lam = 1 - a - b;
    const e0 = alpha.map(logistic);
    const d1 = [start[0] * (1 - a1) + start[1] * b1, start[0] * a1 + start[1] * (1 - b1)];
    const d0 = [start[0] * (1 - a) + start[1] * b, start[0] * a + start[1] * (1 - b)];
    expect(r.longRun.exists).toBe(true);
    assertClose(lr.complaint.relationship, ((d1[0] - d0[0]) * e0[0] + (d1[1] - d0[1]) * e0[1]) / (1 - lam), { atol: 1e-12 });
    assertClose(lr.neutral.relationship, -lr.complaint.relationship, { atol: 1e-12 });
    for (const v of ['complaint', 'neutral']) assertClose(lr[v].interaction, lr[v].net - lr[v].relationship - lr[v].propensity, { atol: 1e-15 });
  });

  it('equal the per-period series summed until it stops changing', () => {
    const long = computeEffects(fit, { horizon: 1500 });
    for (const v of ['complaint', 'neutral']) {
      for (const c of ['relationship', 'propensity', 'net', 'interaction'] as const) {
        const cum = long.overTime.cumulativeEffects[v][c];
        expect(Math.abs(cum[1499] - cum[999])).toBeLessThan(2e-12);
        assertClose(cum[1499], lr[v][c], { atol: 1e-11 }, `${v} ${c}`);
      }
    }
    // Past convergedBy every per-period effect is below the tolerance.
    const after = long.longRun.convergedBy!;
    expect(after).toBeGreaterThan(30);
    expect(after).toBeLessThan(1000);
    for (let h = after; h < 1500; h++) expect(Math.abs(long.overTime.effects.complaint.net[h])).toBeLessThan(1e-12);
    expect(Math.abs(long.overTime.effects.complaint.net[after - 30])).toBeGreaterThan(1e-12);
    // The figures at the horizon do not depend on how far the report looks.
    assertClose(long.overTime.cumulativeEffects.complaint.net[29], r.net.effects.complaint.net, { atol: 1e-15 });
  });

  it('the closed-form tail equals the series it replaces', () => {
    const P = [0.9, 0.1, 0.02, 0.98];
    const E = [0.3, 0.7, 0.05, 0.95];
    const delta = [0.25, -0.25];
    const tail = longRunTail(2, 2, P, E, delta) as Float64Array;
    let d = delta.slice();
    const sum = [0, 0];
    for (let t = 0; t < 5000; t++) {
      d = [d[0] * P[0] + d[1] * P[2], d[0] * P[1] + d[1] * P[3]];
      for (let v = 0; v < 2; v++) sum[v] += d[0] * E[v] + d[1] * E[2 + v];
    }
    assertClose(tail, sum, { atol: 2e-12 });
    expect(longRunTail(2, 2, [1, 0, 0, 1], E, delta)).toMatch(/does not forget/);
    expect(longRunTail(2, 2, [0, 1, 1, 0], E, delta)).toMatch(/cycles/);
  });

  it('does not exist when one intervention changes a term for good, or the chain does not forget; says why', () => {
    const cum = handFit(handSpec({ emission: '~ cumsum(intervention)' }), { 'emission:complaint:cumsum(intervention)': 0.3 });
    const rc = computeEffects(cum, { horizon: 12 });
    expect(rc.longRun.exists).toBe(false);
    expect(rc.longRun.effects).toBeUndefined();
    expect(JSON.stringify(rc)).not.toMatch(/null|NaN/);
    expect(rc.longRun.reason).toMatch(/emission term 'cumsum\(intervention\)' for good/);
    expect(rc.summary[0]).toMatch(/^Over the next 12 periods, interventions/);
    expect(rc.summary.at(-1)).toMatch(/There is no long-run total: one intervention changes/);
    expect(rc.warnings.join('\n')).toMatch(/cumsum\(\) of intervention, which includes the same period's intervention/);
    expect(formatEffectsText(rc)).toMatch(/Long run: not available/);
    // The per-period figures are still exact: 12 periods of series.
    expect(rc.overTime.expected.both.complaint).toHaveLength(12);

    const stuck = handFit(handSpec(), { 'transition[1->2]:(Intercept)': -800, 'transition[2->1]:(Intercept)': -800 });
    const rs = computeEffects(stuck, { horizon: 5 });
    expect(rs.longRun.exists).toBe(false);
    expect(rs.longRun.reason).toMatch(/does not forget where a customer starts/);

    const slow = handFit(handSpec({ emission: '~ stock(intervention, 0.99999)' }), { 'emission:complaint:stock(intervention, 0.99999)': 0.2 });
    const t0 = performance.now();
    const rm = computeEffects(slow, { horizon: 5 });
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(rm.longRun.reason).toMatch(/still change 131072 periods after the complaint/);
  });

  it('refuses a horizon far past convergence, quickly, naming --horizon', () => {
    const t0 = performance.now();
    expect(() => computeEffects(fit, { horizon: 100_000_000 })).toThrow(UsageError);
    expect(() => computeEffects(fit, { horizon: 100_000_000 })).toThrow(/--horizon 100000000 is far past where the report has converged: every per-period effect is below 1e-12 after period \d+/);
    expect(performance.now() - t0).toBeLessThan(5000);
    const cum = handFit(handSpec({ emission: '~ cumsum(intervention)' }), { 'emission:complaint:cumsum(intervention)': 0.3 });
    expect(() => computeEffects(cum, { horizon: 20_000 })).toThrow(/--horizon 20000 is more than the report follows \(at most 10000 periods\)/);
  });
});
