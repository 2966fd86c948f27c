import { UsageError } from '../errors.js';

/** How event times are cut into periods. */
export interface PeriodGrid {
  /** As given: 'day', 'week' or `${n}h`. */
  spec: string;
  /** Period length in seconds. */
  seconds: number;
  /** Epoch seconds of the start of grid period 0. */
  origin: number;
}

/** 1970-01-05 (a Monday) 00:00 UTC: weeks run Monday to Sunday. */
const MONDAY = 4 * 86400;

/**
 * The period grid: day = UTC calendar days; week = Monday 00:00 UTC to the next Monday; Nh = blocks
 * of N hours counted from 1970-01-01 00:00 UTC (so 6h, 8h, 12h, 24h blocks start at UTC midnight).
 * With a window start, periods are counted from that instant instead.
 */
export function periodGrid(spec: string, start?: number): PeriodGrid {
  let seconds: number;
  let origin = 0;
  const m = /^(\d+)h$/i.exec(spec);
  if (spec === 'day') seconds = 86400;
  else if (spec === 'week') {
    seconds = 7 * 86400;
    origin = MONDAY;
  } else if (m !== null && +m[1] >= 1) seconds = +m[1] * 3600;
  else throw new UsageError(`--period: expected day, week or a number of hours such as 6h, got '${spec}'`);
  if (start !== undefined) origin = start;
  return { spec, seconds, origin };
}

/** Grid period index of an instant (epoch seconds). */
export function gridIndex(g: PeriodGrid, t: number): number {
  return Math.floor((t - g.origin) / g.seconds);
}
