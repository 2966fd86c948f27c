/**
 * The 95% interval column of the parameter table: estimate +- 1.96 SE (Wald) by default, the
 * bootstrap's percentiles when the covariance has replicates, and the profile-likelihood interval
 * for the parameters whose Wald interval the covariance does not trust (covariance.profile). An
 * unbounded profile side is -Infinity / Infinity here, printed "-inf" / "inf" by the display
 * formats and null (JSON) / NA (CSV) with ci_method "profile" by the machine formats.
 */
import type { Covariance } from '../estimation/inference/covariance.js';
import { quantileSorted } from '../estimation/inference/distributions.js';

export type IntervalMethod = 'wald' | 'profile' | 'bootstrap';

/** What the interval column needs of a row. */
export interface IntervalCells {
  stdError?: number;
  ciLow?: number;
  ciHigh?: number;
  ciMethod?: IntervalMethod;
}

/** Replace the Wald intervals of `rows` (the covariance's order) by the ones the covariance reports instead. */
export function applyReportedIntervals(rows: IntervalCells[], names: readonly string[], cov: Covariance): void {
  const reps = cov.bootstrap?.replicates;
  if (reps && reps.length > 1) {
    rows.forEach((row, i) => {
      if (Number.isNaN(row.stdError)) return;
      const v = reps.map((r) => r[i]).filter(Number.isFinite).sort((a, b) => a - b);
      row.ciLow = quantileSorted(v, 0.025);
      row.ciHigh = quantileSorted(v, 0.975);
      row.ciMethod = 'bootstrap';
    });
    return;
  }
  const intervals = cov.profile?.intervals;
  if (!intervals) return;
  names.forEach((name, i) => {
    const p = intervals[name];
    if (!p) return;
    rows[i].ciLow = p[0] ?? -Infinity;
    rows[i].ciHigh = p[1] ?? Infinity;
    rows[i].ciMethod = 'profile';
  });
}

/** A bound as the display formats print it ("-inf" / "inf" for an unbounded side). */
export function displayBound(x: number, fixed: (x: number) => string): string {
  if (x === -Infinity) return '-inf';
  if (x === Infinity) return 'inf';
  return fixed(x);
}

/** Marks a profile-likelihood interval in the display formats; explained by `PROFILE_MARK_NOTE`. */
export const PROFILE_MARK = '*';
export const PROFILE_MARK_NOTE = '* 95% interval from the profile likelihood (the Wald interval is not trusted there: see the warnings)';
