import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/data/timestamp.js';
import { gridIndex, periodGrid } from '../../src/data/periodGrid.js';
import { UsageError } from '../../src/errors.js';

describe('parseTimestamp', () => {
  it('reads ISO 8601 as UTC unless an offset is given, and epoch seconds', () => {
    const base = Date.UTC(2024, 2, 1, 14, 5, 0) / 1000;
    expect(parseTimestamp('2024-03-01T14:05:00Z')).toBe(base);
    expect(parseTimestamp('2024-03-01T14:05:00')).toBe(base);
    expect(parseTimestamp('2024-03-01 14:05')).toBe(base);
    expect(parseTimestamp('2024-03-01T16:05:00+02:00')).toBe(base);
    expect(parseTimestamp('2024-03-01T09:05:00-0500')).toBe(base);
    expect(parseTimestamp('2024-03-01T14:05:00.250Z')).toBe(base + 0.25);
    expect(parseTimestamp('2024-03-01')).toBe(Date.UTC(2024, 2, 1) / 1000);
    expect(parseTimestamp(String(base))).toBe(base);
    expect(parseTimestamp('1709301900.5')).toBe(1709301900.5);
  });
  it('rejects impossible dates and other text', () => {
    for (const s of ['2024-02-30', '2023-02-29T00:00:00Z', '2024-13-01', '2024-03-01T25:00:00Z', '2024-03-01T10:61', 'yesterday', '', '03/01/2024']) {
      expect(parseTimestamp(s), s).toBeUndefined();
    }
    expect(parseTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29) / 1000);
  });
});

describe('periodGrid', () => {
  const t = (s: string) => parseTimestamp(s) as number;
  it('days are UTC calendar days', () => {
    const g = periodGrid('day');
    expect(gridIndex(g, t('2024-03-01T23:59:59Z'))).toBe(gridIndex(g, t('2024-03-01T00:00:00Z')));
    expect(gridIndex(g, t('2024-03-02T00:00:00Z'))).toBe(gridIndex(g, t('2024-03-01T00:00:00Z')) + 1);
  });
  it('weeks start on Monday 00:00 UTC', () => {
    const g = periodGrid('week');
    // 2024-03-04 is a Monday
    expect(gridIndex(g, t('2024-03-04T00:00:00Z'))).toBe(gridIndex(g, t('2024-03-03T23:59:59Z')) + 1);
    expect(gridIndex(g, t('2024-03-10T23:59:59Z'))).toBe(gridIndex(g, t('2024-03-04T00:00:00Z')));
  });
  it('N-hour blocks from UTC midnight, or from the window start', () => {
    const g = periodGrid('6h');
    expect(gridIndex(g, t('2024-03-01T06:00:00Z'))).toBe(gridIndex(g, t('2024-03-01T05:59:59Z')) + 1);
    const s = periodGrid('6h', t('2024-03-01T03:00:00Z'));
    expect(gridIndex(s, t('2024-03-01T03:00:00Z'))).toBe(0);
    expect(gridIndex(s, t('2024-03-01T08:59:59Z'))).toBe(0);
    expect(gridIndex(s, t('2024-03-01T09:00:00Z'))).toBe(1);
  });
  it('rejects other period specs', () => {
    for (const p of ['month', '0h', 'h', '1.5h', 'days']) expect(() => periodGrid(p), p).toThrow(UsageError);
  });
});
