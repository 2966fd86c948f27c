const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH = /^-?\d+(?:\.\d+)?$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Seconds since 1970-01-01T00:00:00Z of an ISO 8601 date or date-time (UTC unless it carries an
 * offset such as Z, +02:00, -0500) or of plain epoch seconds; undefined when `s` is neither.
 * Dates and times are checked for range (no 2024-02-30, no 25:00).
 */
export function parseTimestamp(s: string): number | undefined {
  if (EPOCH.test(s)) return Number(s);
  const m = ISO.exec(s);
  if (m === null) return undefined;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const h = m[4] !== undefined ? +m[4] : 0;
  const mi = m[5] !== undefined ? +m[5] : 0;
  const sec = m[6] !== undefined ? +m[6] : 0;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && leap ? 29 : DAYS[mo - 1])) return undefined;
  if (h > 24 || mi > 59 || sec > 60 || (h === 24 && (mi > 0 || sec > 0))) return undefined;
  let t = Date.UTC(y, mo - 1, d, h, mi, sec) / 1000 + (m[7] !== undefined ? Number(m[7]) : 0);
  const off = m[8];
  if (off !== undefined && off !== 'Z' && off !== 'z') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = digits.length > 2 ? +digits.slice(2) : 0;
    if (oh > 23 || om > 59) return undefined;
    t -= sign * (oh * 3600 + om * 60);
  }
  return t;
}

/** ISO 8601 text (UTC, Z) of epoch seconds, for messages. */
export function formatTimestamp(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}
