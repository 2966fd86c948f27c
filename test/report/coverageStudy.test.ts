import { describe, expect, it } from 'vitest';
import { coverageReplicate, summarizeCoverage, trueNetComplaint, type CoverageDesign } from '../../src/report/coverageStudy.js';
import { TRUTH_SPEC, truthParameters } from '../cli/fixtures.js';

/**
 * A small version of benchmarks/coverage.mjs: 30 panels from a two-state truth, the share of 95%
 * intervals containing the truth. With 30 x 14 intervals a correct SE gives about 0.95 on average;
 * SEs half as large give about 0.68 and twice as large about 0.9999, both outside the bounds.
 */
describe('coverage of the 95% intervals (30 simulated panels)', () => {
  it('is near 0.95 for observed and robust intervals, per parameter and for the net complaint effect', () => {
    // the CLI fixtures' truth with more frequent switching, so that every parameter is informed in panels this small
    const truth = truthParameters();
    truth.names.forEach((n, i) => {
      if (n === 'transition[2->1]:(Intercept)') truth.values[i] = -2.5;
      if (n === 'transition[2->1]:lag(intervention)') truth.values[i] = 0.5;
    });
    const base = {
      spec: TRUTH_SPEC,
      truth: { names: truth.names, values: Array.from(truth.values) },
      policy: { afterComplaint: 0.6, otherwise: 0.15 },
      customers: 300,
      periods: 40,
      horizon: 30,
      startAtTruth: true,
    };
    const design: CoverageDesign = { ...base, trueNet: trueNetComplaint(base, 5000, 999) };
    const reps = Array.from({ length: 30 }, (_, r) => coverageReplicate({ replicate: r, seed: 5000 + r }, design));
    const s = summarizeCoverage(reps, design);
    for (const m of ['observed', 'robust'] as const) {
      expect(s.average[m], `${m} average`).toBeGreaterThan(0.9);
      expect(s.average[m], `${m} average`).toBeLessThan(0.99);
      for (const p of s.parameters) {
        expect(p.coverage[m].available, `${m} ${p.name} available`).toBeGreaterThanOrEqual(27);
        expect(p.coverage[m].share, `${m} ${p.name}`).toBeGreaterThanOrEqual(0.75);
      }
      expect(s.net.coverage[m], `${m} net effect`).toBeGreaterThanOrEqual(0.8);
    }
  }, 180_000);
});
