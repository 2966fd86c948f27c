import { describe, expect, it } from 'vitest';
import { ConvergenceMonitor } from '../../src/estimation/convergenceMonitor.js';
import { assertClose } from '../helpers/assert.js';

describe('ConvergenceMonitor', () => {
  it('stops when the relative change falls below tol, and says so', () => {
    const m = new ConvergenceMonitor({ tol: 1e-6, maxIter: 100 });
    expect(m.record(-1000)).toBe(true);
    expect(m.record(-990)).toBe(true);
    expect(m.record(-989.9)).toBe(true); // change 1e-4
    expect(m.record(-989.89)).toBe(true); // change 1e-5
    expect(m.record(-989.8899)).toBe(false); // change 1e-7
    expect(m.converged).toBe(true);
    expect(m.iterations).toBe(4);
    expect(m.history).toHaveLength(5);
    expect(m.status).toMatch(/^converged: relative change \d\.\de-\d+ < 0.000001 \(projected further gain \d\.\de-\d+\) after 4 iterations$/);
    expect(m.fallWarnings()).toEqual([]);
  });

  it('keeps going while the projected remaining gain is large, even when a step is small', () => {
    // LL_t = L - 100 * 0.9999^t: steps of about 0.01 (relative 1e-5 at |LL| 1000) but 100 still to gain
    const m = new ConvergenceMonitor({ tol: 1e-4, maxIter: 50 });
    let going = true;
    for (let t = 0; t < 40 && going; t++) going = m.record(-1000 - 100 * 0.9999 ** t);
    expect(going).toBe(true);
    expect(m.lastChange).toBeLessThan(1e-4);
    assertClose(m.lastProjected, (100 * 0.9999 ** 39) / (1000 + 100 * 0.9999 ** 39), { rtol: 1e-3 }); // the true remaining gain
    expect(m.lastProjected).toBeGreaterThan(1e-4);
    // a fast geometric approach stops once the projection is small
    const f = new ConvergenceMonitor({ tol: 1e-6, maxIter: 200 });
    let t = 0;
    while (f.record(-1000 - 100 * 0.5 ** t)) t++;
    expect(f.converged).toBe(true);
    expect(100 * 0.5 ** t).toBeLessThan(1e-6 * 1000 * 2);
  });

  it('judges convergence only at checkpoints, and a restored run continues where it stopped', () => {
    const m = new ConvergenceMonitor({ tol: 1e-3, maxIter: 20 });
    m.record(-100);
    expect(m.record(-99.99999, false)).toBe(true); // tiny change, but not a checkpoint
    expect(m.record(-50)).toBe(true);
    expect(m.checkpoints).toEqual([0, 2]);
    const snap = m.snapshot();
    const r = new ConvergenceMonitor({ tol: 1e-3, maxIter: 20 });
    expect(r.restore(snap)).toBe(true);
    expect(r.iterations).toBe(2);
    expect(r.checkpoints).toEqual([0, 2]);
    const capped = new ConvergenceMonitor({ tol: 1e-3, maxIter: 2 });
    expect(capped.restore(snap)).toBe(false);
    expect(capped.state).toBe('max-iterations');
    expect(() => r.restore(snap)).toThrow(RangeError);
  });

  it('stops at the iteration cap without claiming convergence', () => {
    const m = new ConvergenceMonitor({ tol: 1e-12, maxIter: 3 });
    const lls = [-100, -90, -85, -83];
    const going = lls.map((x) => m.record(x));
    expect(going.slice(0, 4)).toEqual([true, true, true, false]);
    expect(m.converged).toBe(false);
    expect(m.state).toBe('max-iterations');
    expect(m.iterations).toBe(3);
    expect(m.status).toMatch(/^not converged: reached the maximum of 3 iterations/);
  });

  it('maxIter 0 evaluates the start only', () => {
    const m = new ConvergenceMonitor({ tol: 1e-8, maxIter: 0 });
    expect(m.record(-5)).toBe(false);
    expect(m.iterations).toBe(0);
    expect(m.status).toMatch(/^not iterated/);
  });

  it('notes falls beyond rounding but not rounding-size ones', () => {
    const m = new ConvergenceMonitor({ tol: 1e-14, maxIter: 10 });
    m.record(-1000);
    m.record(-1000 - 1e-9); // relative 1e-12: rounding
    expect(m.fallWarnings()).toEqual([]);
    m.record(-1000.5); // a real fall
    m.record(-999);
    const w = m.fallWarnings();
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/fell on 1 EM iteration \(largest fall 5\.0\d*e-1\)/);
  });

  it('fails on a non-finite log-likelihood', () => {
    const m = new ConvergenceMonitor({ tol: 1e-8, maxIter: 10 });
    m.record(-10);
    expect(m.record(NaN)).toBe(false);
    expect(m.state).toBe('failed');
    expect(m.status).toMatch(/^failed: log-likelihood is NaN/);
  });

  it('rejects bad options', () => {
    expect(() => new ConvergenceMonitor({ tol: 0, maxIter: 1 })).toThrow(RangeError);
    expect(() => new ConvergenceMonitor({ tol: 1e-8, maxIter: -1 })).toThrow(RangeError);
    expect(() => new ConvergenceMonitor({ tol: 1e-8, maxIter: 1.5 })).toThrow(RangeError);
  });
});
