/** The terminal progress line of starts running at once (fit.ts concurrentStarts). */
import { describe, expect, it } from 'vitest';
import { concurrentStarts } from '../../../src/cli/commands/fit.js';

const p = (start: number, iteration: number, running?: number) => ({ start, nStarts: 5, iteration, logLik: -100 - start, change: 1e-3, ...(running ? { running } : {}) });

describe('concurrentStarts', () => {
  it('shows one start alone, and the starts running at once side by side in start order', () => {
    const c = concurrentStarts();
    expect(c.show(p(0, 3), 'one line')).toBe('one line');
    expect(c.show(p(3, 7, 2), 'x')).toBe('start 4/5 it 7 LL -103.0000');
    expect(c.show(p(0, 8, 2), 'x')).toBe('start 1/5 it 8 LL -100.0000  |  start 4/5 it 7 LL -103.0000');
    expect(c.show(p(3, 9, 2), 'x')).toBe('start 1/5 it 8 LL -100.0000  |  start 4/5 it 9 LL -103.0000');
    // a third start takes over from the one updated least recently
    expect(c.show(p(2, 1, 2), 'x')).toBe('start 3/5 it 1 LL -102.0000  |  start 4/5 it 9 LL -103.0000');
    // back to one start at a time: its own line, and the others forgotten
    expect(c.show(p(2, 2, 1), 'own')).toBe('own');
    expect(c.show(p(1, 1, 2), 'x')).toBe('start 2/5 it 1 LL -101.0000');
  });
});
