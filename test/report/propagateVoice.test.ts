import { describe, it, expect } from 'vitest';
import { propagateVoice } from '../../src/report/propagateVoice.js';
import { Rng } from '../../src/estimation/rng.js';
import { assertClose } from '../helpers/assert.js';
import { enumeratePaths } from './enumeratePaths.js';

function randomStochastic(rng: Rng, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: cols }, () => rng.uniform() + 0.05);
    const s = row.reduce((a, b) => a + b, 0);
    out.push(...row.map((x) => x / s));
  }
  return out;
}

/** Expected voice counts over periods 1..H by enumerating every state path. */
function bruteForce(K: number, V: number, H: number, start: number[], trans: Float64Array, emis: Float64Array): number[] {
  const out = new Array<number>(V).fill(0);
  for (const row of enumeratePaths(K, V, H, start, trans, emis)) row.forEach((p, v) => (out[v] += p));
  return out;
}

describe('propagateVoice', () => {
  it('equals enumeration over all state paths with time-varying matrices', () => {
    const rng = new Rng(11);
    for (const [K, V, H] of [
      [2, 3, 5],
      [3, 4, 4],
      [4, 2, 3],
    ]) {
      const start = randomStochastic(rng, 1, K);
      const trans = Float64Array.from(randomStochastic(rng, H * K, K));
      const emis = Float64Array.from(randomStochastic(rng, H * K, V));
      const out = new Float64Array(V);
      const perStep = new Float64Array(H * V);
      propagateVoice(K, V, H, start, trans, emis, new Float64Array(2 * K), out, perStep);
      assertClose(out, bruteForce(K, V, H, start, trans, emis), { atol: 1e-13 }, `K=${K}`);
      // Per-period probabilities sum to one and add up to the totals.
      for (let h = 0; h < H; h++) assertClose(perStep.subarray(h * V, (h + 1) * V).reduce((a, b) => a + b, 0), 1, { atol: 1e-13 });
      const sums = new Array<number>(V).fill(0);
      for (let h = 0; h < H; h++) for (let v = 0; v < V; v++) sums[v] += perStep[h * V + v];
      assertClose(out, sums, { atol: 1e-13 });
    }
  });

  it('rejects wrong sizes at entry', () => {
    expect(() => propagateVoice(2, 2, 3, [1, 0], new Float64Array(8), new Float64Array(12), new Float64Array(4), new Float64Array(2))).toThrow(RangeError);
    expect(() => propagateVoice(2, 2, 1, [1], new Float64Array(4), new Float64Array(4), new Float64Array(4), new Float64Array(2))).toThrow(RangeError);
    expect(() => propagateVoice(2, 2, 1, [1, 0], new Float64Array(4), new Float64Array(4), new Float64Array(4), new Float64Array(3))).toThrow(RangeError);
  });
});
