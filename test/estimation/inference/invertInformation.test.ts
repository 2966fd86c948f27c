import { describe, expect, it } from 'vitest';
import { Matrix, inverse } from 'ml-matrix';
import { invertInformation, sandwich, SE_LIMIT } from '../../../src/estimation/inference/invertInformation.js';
import { assertClose } from '../../helpers/assert.js';

const names = ['a', 'b', 'c'];

describe('invertInformation', () => {
  it('is the plain inverse of a well-conditioned information', () => {
    const info = Float64Array.from([4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2]);
    const r = invertInformation(info, names);
    expect(r.unavailable).toEqual([]);
    assertClose(r.matrix, inverse(new Matrix([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]])).to1DArray(), { atol: 1e-14 });
  });

  it('names the parameters of a singular direction and inverts the rest', () => {
    // b and c carry the same information (c = b): only b + c is determined
    const info = Float64Array.from([4, 1, 1, 1, 2, 2, 1, 2, 2]);
    const r = invertInformation(info, names);
    expect(r.unavailable).toEqual([1, 2]);
    expect(r.notes[0]).toMatch(/no standard error for b, c: the information matrix is singular/);
    expect(r.matrix[0]).toBeCloseTo(1 / 4, 14);
    expect(Array.from(r.matrix).every(Number.isFinite)).toBe(true);
    expect(r.matrix[4]).toBe(0);
  });

  it('treats a standard error above SE_LIMIT as a boundary estimate, and no curvature as unavailable', () => {
    const tiny = 1 / (SE_LIMIT * 3) ** 2;
    const r = invertInformation(Float64Array.from([2, 0, 0, 0, tiny, 0, 0, 0, 0]), names);
    expect(r.unavailable).toEqual([1, 2]);
    expect(r.notes.join('\n')).toMatch(/no standard error for c: the log-likelihood has no curvature/);
    expect(r.notes.join('\n')).toMatch(/no standard error for b: standard error above 50/);
    expect(r.matrix[0]).toBeCloseTo(0.5, 14);
  });

  it('sandwich A B A over the available block', () => {
    const inv = invertInformation(Float64Array.from([4, 0, 0, 0, 1, 0, 0, 0, 0]), names);
    const meat = Float64Array.from([8, 2, 5, 2, 3, 5, 5, 5, 5]);
    const s = sandwich(inv, meat, 3);
    assertClose(s, [8 / 16, 2 / 4, 0, 2 / 4, 3, 0, 0, 0, 0], { atol: 1e-14 });
  });
});
