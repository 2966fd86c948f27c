import { expect } from 'vitest';

/** |actual - expected| <= atol + rtol*|expected|, elementwise for arrays, with a message naming the index. */
export function assertClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  tol: { atol?: number; rtol?: number } = {},
  label = 'value',
): void {
  const atol = tol.atol ?? 1e-10;
  const rtol = tol.rtol ?? 0;
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  expect(a.length, `${label}: length`).toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i] - e[i]);
    const lim = atol + rtol * Math.abs(e[i]);
    if (!(diff <= lim)) {
      throw new Error(`${label}[${i}]: got ${a[i]}, expected ${e[i]} (|diff| ${diff.toExponential(3)} > ${lim.toExponential(3)})`);
    }
  }
}

/** Every step of an EM history is non-decreasing, up to rounding (relative slack). */
export function assertLogLikIncreasing(history: ArrayLike<number>, slack = 1e-9): void {
  for (let i = 1; i < history.length; i++) {
    const drop = history[i - 1] - history[i];
    const lim = slack * Math.max(1, Math.abs(history[i - 1]));
    if (drop > lim) {
      throw new Error(`log-likelihood fell at iteration ${i}: ${history[i - 1]} -> ${history[i]} (drop ${drop.toExponential(3)})`);
    }
  }
}

/** The error `f` throws, checked to be an instance of `type` (fails when f does not throw). */
export function thrown<E extends Error>(f: () => unknown, type: new (...args: never[]) => E): E {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as E;
  }
  throw new Error(`expected a ${type.name}`);
}
