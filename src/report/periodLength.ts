import { UsageError } from '../errors.js';
import type { PeriodLength } from './effectsTypes.js';

import { PERIOD_HOURS_COLUMN } from '../data/prepareEvents.js';

export { PERIOD_HOURS_COLUMN };

/** day, week or Nh (as `prepare --period`) to a PeriodLength; UsageError naming `flag` otherwise. */
export function parsePeriodLength(flag: string, spec: string): PeriodLength {
  const s = spec.trim().toLowerCase();
  const m = /^(\d+)h$/.exec(s);
  if (s === 'day') return { spec: 'day', hours: 24 };
  if (s === 'week') return { spec: 'week', hours: 168 };
  if (m !== null && +m[1] >= 1) return fromHours(+m[1]);
  throw new UsageError(`${flag} must be day, week or a number of hours such as 6h, got '${spec}'`);
}

/** The period length of `hours` hours, named day or week when it is one. */
export function fromHours(hours: number): PeriodLength {
  return { spec: hours === 24 ? 'day' : hours === 168 ? 'week' : `${hours}h`, hours };
}

/**
 * The period length a panel records in its period_hours column (written by `squeaky prepare`):
 * the one positive whole value of the column (rows added by --fill-gaps hold 0); undefined when
 * the column is absent or does not hold one such value.
 */
export function panelPeriodLength(columns: Record<string, ArrayLike<number>>): PeriodLength | undefined {
  const col = columns[PERIOD_HOURS_COLUMN];
  if (col === undefined) return undefined;
  let value: number | undefined;
  for (let r = 0; r < col.length; r++) {
    const x = col[r];
    if (x === 0) continue;
    if (!(Number.isInteger(x) && x >= 1) || (value !== undefined && x !== value)) return undefined;
    value = x;
  }
  return value === undefined ? undefined : fromHours(value);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** "30 periods (30 days)", "30 periods (30 x 6 hours = 7.5 days)", or "30 periods" when the length is not known. */
export function describePeriods(n: number, length?: PeriodLength): string {
  const periods = plural(n, 'period');
  if (!length) return periods;
  if (length.spec === 'day') return `${periods} (${plural(n, 'day')})`;
  if (length.spec === 'week') return `${periods} (${plural(n, 'week')})`;
  const hours = n * length.hours;
  const days = hours / 24;
  const total = days >= 2 ? `${Number(days.toFixed(1))} days` : plural(hours, 'hour');
  return `${periods} (${n} x ${length.hours} hours = ${total})`;
}
