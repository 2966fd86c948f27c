/**
 * Starts on worker threads (estimation/startsOnThreads.ts): the rule for when they are used, and
 * fitAsync with 2 and 3 threads giving the same result to the last bit as fit in one thread (every
 * start's log-likelihood, iterations and history, the warnings, the kept parameters) for one class,
 * a mixture of classes and a selection model, with the starts actually run at once (the phase
 * message, the progress of every finishing start with `running` > 1).
 */
import { describe, expect, it } from 'vitest';
import { columnRecord, type Panel } from '../../src/data/panel.js';
import { readPanel } from '../../src/data/readPanel.js';
import { fit, fitAsync } from '../../src/estimation/fit.js';
import type { FitOptions, FitProgress, FitResult } from '../../src/estimation/fitTypes.js';
import { startThreads } from '../../src/estimation/startsOnThreads.js';
import { specFor, type RunFitOptions } from '../../src/report/runFit.js';

/** The first n customers of a panel. */
function firstCustomers(p: Panel, n: number): Panel {
  const rows = p.offsets[n];
  const columns = columnRecord();
  for (const [k, v] of Object.entries(p.columns)) columns[k] = v.slice(0, rows);
  return { ...p, customers: p.customers.slice(0, n), offsets: p.offsets.slice(0, n + 1), period: p.period.slice(0, rows), voice: p.voice.slice(0, rows), columns };
}

/** Everything of a fit result, typed arrays as plain arrays, as one string (NaN kept apart from null). */
function bits(r: FitResult): string {
  return JSON.stringify(r, (_k, v) => (v instanceof Float64Array ? Array.from(v, (x) => (Number.isNaN(x) ? 'NaN' : x)) : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

const small = (async () => firstCustomers((await readPanel('data/example-panel.csv')).panel, 160))();

async function compare(run: RunFitOptions, options: FitOptions, threads: number): Promise<{ serial: FitResult; parallel: FitResult; phases: string[]; progress: FitProgress[] }> {
  const panel = await small;
  const spec = specFor(panel, run);
  const serial = fit(panel, spec, { ...options, threads: 1 });
  const phases: string[] = [];
  const progress: FitProgress[] = [];
  const parallel = await fitAsync(panel, spec, { ...options, threads, onPhase: (d) => phases.push(d), onProgress: (p) => progress.push(p) });
  return { serial, parallel, phases, progress };
}

/** The finishing starts of a result (screened, then run on). */
const finishedAfterScreening = (r: FitResult) => r.starts.filter((s) => s.finished && (s.history?.length ?? 0) > 6).map((s) => s.index);

describe('startThreads', () => {
  it('uses the starts when they keep more threads busy than the shards, in the main thread only', () => {
    expect(startThreads(2, 1, 2, true)).toBe(2);
    expect(startThreads(8, 1, 2, true)).toBe(2);
    expect(startThreads(4, 2, 3, true)).toBe(3);
    expect(startThreads(2, 2, 2, true)).toBe(0); // the E-step pool already keeps both threads busy
    expect(startThreads(8, 31, 2, true)).toBe(0);
    expect(startThreads(1, 1, 2, true)).toBe(0);
    expect(startThreads(2, 1, 1, true)).toBe(0); // one start to finish
    expect(startThreads(2, 1, 0, true)).toBe(0); // no screening
    expect(startThreads(2, 1, 2, false)).toBe(0); // a fit on a worker thread never nests threads
  });
});

describe('fitAsync with starts on worker threads', () => {
  it('one class: the same result as fit in one thread, both finishing starts at once', async () => {
    const { serial, parallel, phases, progress } = await compare({}, {}, 2);
    expect(bits(parallel)).toBe(bits(serial));
    expect(phases.some((d) => /running starts .* on to convergence, 2 at once/.test(d))).toBe(true);
    const finishing = finishedAfterScreening(serial);
    expect(finishing.length).toBe(2);
    for (const s of finishing) {
      const mine = progress.filter((p) => p.start === s && p.running !== undefined);
      expect(mine.length).toBeGreaterThan(0);
      // the last iteration relayed is the start's last
      expect(Math.max(...mine.map((p) => p.iteration))).toBe(serial.starts[s].iterations);
    }
    expect(progress.some((p) => p.running === 2)).toBe(true);
  });

  it('two classes: the same result as fit in one thread', async () => {
    const { serial, parallel, phases } = await compare({ classes: { count: 2 } }, {}, 2);
    expect(bits(parallel)).toBe(bits(serial));
    expect(phases.some((d) => / at once/.test(d))).toBe(true);
  });

  it('with a selection model: the same result as fit in one thread', async () => {
    const { serial, parallel, phases } = await compare({ formulas: { selection: '~ voice_complaint' } }, {}, 2);
    expect(bits(parallel)).toBe(bits(serial));
    expect(phases.some((d) => / at once/.test(d))).toBe(true);
  });

  it('three starts to finish on 2 and 3 threads (a thread takes several): the same result', async () => {
    for (const threads of [2, 3]) {
      const { serial, parallel, phases } = await compare({}, { finish: 3, starts: 3, seed: 7 }, threads);
      expect(bits(parallel)).toBe(bits(serial));
      expect(phases.some((d) => new RegExp(`${threads} at once`).test(d))).toBe(true);
    }
  });

  it('without screening, with one start to finish or one thread: no workers, the same result', async () => {
    for (const [options, threads] of [[{ screenIter: 0, starts: 1 }, 2], [{ finish: 1 }, 2], [{}, 1]] as [FitOptions, number][]) {
      const { serial, parallel, phases } = await compare({}, options, threads);
      expect(bits(parallel)).toBe(bits(serial));
      expect(phases.some((d) => /worker thread/.test(d))).toBe(false);
    }
  });
});
