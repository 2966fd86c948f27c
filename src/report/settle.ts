import type { Design } from '../data/design.js';
import { BURN_IN } from './scenarios.js';

/** Design values closer than this (relative to max(1, |value|)) count as equal. */
export const SETTLE_TOLERANCE = 1e-14;

export type Settle =
  | { kind: 'settled'; after: number }
  | { kind: 'permanent'; reason: string }
  | { kind: 'moving'; after: number; term: string };

function differs(a: number, b: number): boolean {
  return Math.abs(a - b) > SETTLE_TOLERANCE * Math.max(1, Math.abs(b));
}

/**
 * Whether the hypothetical customer's design rows stop changing within the `periods` periods
 * after the complaint of the synthetic history (customers 0 = without, 1 = with the intervention,
 * see syntheticHistory): `after` is the last period whose row, in either arm and either design,
 * differs from that arm's row of the last period ('moving' when that is in the second half).
 * 'permanent' when the rows have stopped changing but the with-intervention row still differs
 * from the no-intervention row (e.g. cumsum(intervention)): the intervention's effect on the
 * design never ends.
 */
export function designSettle(designs: { transition: Design; emission: Design }, periods: number): Settle {
  const n = BURN_IN + 1 + periods;
  let after = 0;
  let term = '';
  const blocks = [['transition', designs.transition], ['emission', designs.emission]] as const;
  for (const [, d] of blocks) {
    const c = d.names.length;
    for (let cust = 0; cust < 2; cust++) {
      const ref = (cust * n + n - 1) * c;
      for (let h = periods - 1; h > after; h--) {
        const row = (cust * n + BURN_IN + h) * c;
        const j = d.names.findIndex((_, jj) => differs(d.values[row + jj], d.values[ref + jj]));
        if (j >= 0) {
          after = h;
          term = d.names[j];
          break;
        }
      }
    }
  }
  if (after > periods / 2) return { kind: 'moving', after, term };
  for (const [block, d] of blocks) {
    const c = d.names.length;
    const last0 = (n - 1) * c;
    const last1 = (2 * n - 1) * c;
    for (let j = 0; j < c; j++) {
      const x0 = d.values[last0 + j];
      const x1 = d.values[last1 + j];
      if (differs(x1, x0)) {
        return {
          kind: 'permanent',
          reason: `one intervention changes the ${block} term '${d.names[j]}' for good (${x1} instead of ${x0} for as long as the customer is followed), so the per-period effect need not die out and the cumulative effect can grow without bound`,
        };
      }
    }
  }
  return { kind: 'settled', after };
}
