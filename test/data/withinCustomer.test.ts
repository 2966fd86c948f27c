import { describe, expect, it } from 'vitest';
import { cumsumWithin, lagWithin, stockWithin } from '../../src/data/withinCustomer.js';
import { assertClose } from '../helpers/assert.js';
import { Rng } from '../../src/estimation/rng.js';

// Independent brute-force definitions, straight from DESIGN.md.
function bruteStock(offsets: Int32Array, x: Float64Array, decay: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) {
    for (let t = offsets[i]; t < offsets[i + 1]; t++) {
      let s = 0;
      for (let u = offsets[i]; u < t; u++) s += Math.pow(decay, t - u - 1) * x[u];
      out.push(s);
    }
  }
  return out;
}
function bruteLag(offsets: Int32Array, x: Float64Array, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) {
    for (let t = offsets[i]; t < offsets[i + 1]; t++) out.push(t - offsets[i] >= k ? x[t - k] : 0);
  }
  return out;
}
function bruteCumsum(offsets: Int32Array, x: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) {
    for (let t = offsets[i]; t < offsets[i + 1]; t++) {
      let s = 0;
      for (let u = offsets[i]; u <= t; u++) s += x[u];
      out.push(s);
    }
  }
  return out;
}

describe('within-customer kernels', () => {
  const offsets = Int32Array.from([0, 3, 5, 5, 6]);
  const x = Float64Array.from([1, 2, 3, 10, 20, 7]);

  it('lag restarts at every customer boundary', () => {
    expect(Array.from(lagWithin(offsets, x, 1, new Float64Array(6)))).toEqual([0, 1, 2, 0, 10, 0]);
    expect(Array.from(lagWithin(offsets, x, 2, new Float64Array(6)))).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('stock excludes the current period and restarts per customer', () => {
    assertClose(stockWithin(offsets, x, 0.5, new Float64Array(6)), [0, 1, 0.5 + 2, 0, 10, 0]);
    assertClose(stockWithin(offsets, x, 0, new Float64Array(6)), [0, 1, 2, 0, 10, 0]);
  });

  it('cumsum includes the current period', () => {
    expect(Array.from(cumsumWithin(offsets, x, new Float64Array(6)))).toEqual([1, 3, 6, 10, 30, 7]);
  });

  it('agrees with brute force on random panels', () => {
    const rng = new Rng(11);
    for (let rep = 0; rep < 20; rep++) {
      const nSeq = 1 + rng.int(6);
      const off = new Int32Array(nSeq + 1);
      for (let i = 0; i < nSeq; i++) off[i + 1] = off[i] + rng.int(7);
      const n = off[nSeq];
      const v = new Float64Array(n);
      for (let r = 0; r < n; r++) v[r] = rng.normal();
      const decay = rng.uniform();
      const k = 1 + rng.int(3);
      assertClose(stockWithin(off, v, decay, new Float64Array(n)), bruteStock(off, v, decay), { atol: 1e-12 }, 'stock');
      assertClose(lagWithin(off, v, k, new Float64Array(n)), bruteLag(off, v, k), {}, 'lag');
      assertClose(cumsumWithin(off, v, new Float64Array(n)), bruteCumsum(off, v), { atol: 1e-12 }, 'cumsum');
    }
  });

  it('rejects bad sizes and arguments with RangeError', () => {
    expect(() => lagWithin(offsets, x, 1, new Float64Array(5))).toThrow(RangeError);
    expect(() => lagWithin(offsets, new Float64Array(4), 1, new Float64Array(6))).toThrow(RangeError);
    expect(() => lagWithin(offsets, x, 0, new Float64Array(6))).toThrow(RangeError);
    expect(() => stockWithin(offsets, x, NaN, new Float64Array(6))).toThrow(RangeError);
    expect(() => cumsumWithin(offsets, x, x)).toThrow(RangeError);
  });
});
