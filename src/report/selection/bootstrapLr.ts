/**
 * Parametric bootstrap likelihood-ratio test of K against K + 1 states (McLachlan 1987): the LR
 * statistic has no chi-square reference here, because under K states the (K + 1)-state model
 * sits on the boundary of its parameter space and some of its parameters are not identified.
 * Instead B panels are simulated from the K-state fit on the panel's own customers, period counts,
 * interventions and missingness (simulateVoices), K and K + 1 states are fitted to each with the
 * same options, and p = (1 + #{replicate LR >= observed LR}) / (1 + B).
 *
 * Replicate b of the test of K states draws its voices from Rng.stream(seed, STREAM_BASE * K + b),
 * so a replicate is the same whatever B, the other tests or the number of threads.
 */
import type { Panel } from '../../data/panel.js';
import type { ModelSpec } from '../../estimation/spec.js';
import { runParallel } from '../../parallel/runParallel.js';
import type { FitRun } from '../runFit.js';
import { BOOTSTRAP_LR_JOB, type BootstrapLrPayload, type BootstrapLrReplicate, type PlainFitOptions } from './fitJob.js';

const STREAM_BASE = 1_000_000;

export interface BootstrapLrTest {
  states: number;
  transitionType: ModelSpec['transitionType'];
  /** Observed 2 (LL_{K+1} - LL_K), at least 0. */
  statistic: number;
  replicates: number;
  /** Replicates with a finite statistic (all, unless a fit failed). */
  used: number;
  /** Replicate statistics, in replicate order. */
  statistics: number[];
  notConverged: number;
  p: number;
  seed: number;
}

export function bootstrapPValue(observed: number, replicates: readonly number[]): number {
  const finite = replicates.filter((x) => Number.isFinite(x));
  return (1 + finite.filter((x) => x >= observed).length) / (1 + finite.length);
}

/** One test per K whose K + 1 (same transition type) is among the rows. */
export async function bootstrapLrTests(
  panel: Panel,
  rows: readonly { states: number; transitionType: ModelSpec['transitionType']; logLik: number }[],
  runs: readonly FitRun[],
  fitOptions: PlainFitOptions,
  o: { replicates: number; threads: number; seed: number; onProgress?: (line: string) => void },
): Promise<BootstrapLrTest[]> {
  const pairs: { h0: number; h1: number }[] = [];
  rows.forEach((r, i) => {
    const j = rows.findIndex((s) => s.states === r.states + 1 && s.transitionType === r.transitionType);
    if (j >= 0) pairs.push({ h0: i, h1: j });
  });
  const B = o.replicates;
  const f = fitOptions;
  const payloads: BootstrapLrPayload[] = pairs.flatMap(({ h0, h1 }) =>
    Array.from({ length: B }, (_, b) => ({
      spec: runs[h0].fit.spec,
      parameters: runs[h0].fit.parameters,
      alternative: runs[h1].fit.spec,
      fitOptions: { starts: f.starts, finish: f.finish, seed: f.seed, maxIter: f.maxIter, tol: f.tol, ridge: f.ridge },
      seed: o.seed,
      stream: STREAM_BASE * rows[h0].states + b,
    })),
  );
  if (payloads.length === 0) return [];
  o.onProgress?.(`select: bootstrap LR tests (${pairs.map((p) => `K = ${rows[p.h0].states} vs ${rows[p.h1].states}`).join(', ')}): ${payloads.length} replicate panels, 2 fits each`);
  const step = Math.max(1, Math.round(payloads.length / 20));
  const reps = await runParallel<BootstrapLrPayload, BootstrapLrReplicate, Panel>(BOOTSTRAP_LR_JOB, payloads, {
    threads: o.threads,
    shared: panel,
    onDone: (_i, n, total) => {
      if (n % step === 0 || n === total) o.onProgress?.(`select: bootstrap replicate ${n}/${total}`);
    },
  });
  return pairs.map(({ h0, h1 }, t) => {
    const mine = reps.slice(t * B, (t + 1) * B);
    const statistic = Math.max(0, 2 * (rows[h1].logLik - rows[h0].logLik));
    const statistics = mine.map((r) => r.statistic);
    return {
      states: rows[h0].states,
      transitionType: rows[h0].transitionType,
      statistic,
      replicates: B,
      used: statistics.filter((x) => Number.isFinite(x)).length,
      statistics,
      notConverged: mine.filter((r) => !r.converged).length,
      p: bootstrapPValue(statistic, statistics),
      seed: o.seed,
    };
  });
}
