import { describe, expect, it } from 'vitest';
import { compressDesign } from '../../src/model/compressDesign.js';
import { Rng } from '../../src/estimation/rng.js';

/** Reference compression through string keys (independent of the hash table). */
function reference(values: Float64Array, nCols: number, rows: number[]): { patterns: number[][]; index: number[] } {
  const seen = new Map<string, number>();
  const patterns: number[][] = [];
  const index: number[] = [];
  for (const r of rows) {
    const row = Array.from(values.subarray(r * nCols, (r + 1) * nCols));
    const key = row.join(',');
    let p = seen.get(key);
    if (p === undefined) {
      p = patterns.length;
      seen.set(key, p);
      patterns.push(row);
    }
    index.push(p);
  }
  return { patterns, index };
}

describe('compressDesign', () => {
  it('finds the distinct rows in first-appearance order and indexes every row (many patterns, table growth)', () => {
    const rng = new Rng(3);
    const nCols = 3;
    const n = 20000;
    const values = new Float64Array(n * nCols);
    for (let r = 0; r < n; r++) {
      values[r * nCols] = 1;
      values[r * nCols + 1] = rng.int(2);
      values[r * nCols + 2] = rng.int(900) / 7; // ~1800 distinct rows
    }
    const d = compressDesign({ names: ['(Intercept)', 'a', 'b'], values });
    const ref = reference(values, nCols, Array.from({ length: n }, (_, r) => r));
    expect(d.nPatterns).toBe(ref.patterns.length);
    expect(Array.from(d.index)).toEqual(ref.index);
    expect(Array.from(d.patterns)).toEqual(ref.patterns.flat());
    expect(d.names).toEqual(['(Intercept)', 'a', 'b']);
    // Every row equals its pattern.
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < nCols; j++) expect(d.patterns[d.index[r] * nCols + j]).toBe(values[r * nCols + j]);
    }
  });

  it('compresses a subset of rows (the first row of each customer)', () => {
    const values = Float64Array.from([1, 0, 1, 1, 1, 0, 1, 2, 1, 0, 1, 2]); // 6 rows x 2
    const rows = Int32Array.from([0, 3, 4, 5]);
    const d = compressDesign({ names: ['(Intercept)', 'x'], values }, rows);
    expect(d.nPatterns).toBe(2);
    expect(Array.from(d.index)).toEqual([0, 1, 0, 1]);
    expect(Array.from(d.patterns)).toEqual([1, 0, 1, 2]);
    expect(() => compressDesign({ names: ['x'], values: Float64Array.from([1, 2]) }, Int32Array.from([2]))).toThrow(RangeError);
  });

  it('distinguishes values differing only in the last bit', () => {
    const a = 0.1 + 0.2;
    const values = Float64Array.from([a, 0.3, a]);
    const d = compressDesign({ names: ['x'], values });
    expect(d.nPatterns).toBe(2);
    expect(Array.from(d.index)).toEqual([0, 1, 0]);
  });

  it('rejects a values length that is not a multiple of the columns', () => {
    expect(() => compressDesign({ names: ['a', 'b'], values: new Float64Array(3) })).toThrow(RangeError);
  });
});
