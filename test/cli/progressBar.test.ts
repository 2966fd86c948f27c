import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgressBar } from '../../src/cli/progressBar.js';

describe('formatProgressBar', () => {
  it('fills the bar by the share done and projects the remaining time from the pace so far', () => {
    expect(formatProgressBar('bootstrap', 50, 200, 30_000, 20)).toBe('bootstrap [#####...............] 50/200  elapsed 0:30  remaining ~1:30');
    expect(formatProgressBar('bootstrap', 200, 200, 125_000, 10)).toBe('bootstrap [##########] 200/200  elapsed 2:05  remaining ~0:00');
    expect(formatProgressBar('bootstrap', 0, 200, 1_000, 4)).toBe('bootstrap [....] 0/200  elapsed 0:01  remaining ?');
  });

  it('writes durations as m:ss, h:mm:ss past an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(59_400)).toBe('0:59');
    expect(formatDuration(61_000)).toBe('1:01');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
