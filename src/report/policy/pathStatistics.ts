/**
 * Monte Carlo statistics of projected paths: means and standard errors of the per-period figures
 * and totals, the largest relative standard error, the value line, percentiles over draws.
 * A path's figures are row-major [h*M + m] (projection.ts); the first `countMeasures` measures are
 * counts (totals: summed over the periods), the others state probabilities summed over the N
 * customers (reported as shares; totals: the last period's).
 */
import { quantileSorted } from '../../estimation/inference/distributions.js';
import type { MeasureTable } from './policyReport.js';
import type { ValueWeights } from './policySpec.js';

/** Figures whose mean is below this (per customer) are not held to the relative target. */
const NEGLIGIBLE = 1e-6;

/** Per-path outputs of one policy: paths x (H*M). */
export interface PathSet {
  /** Values per path (H*M). */
  size: number;
  /** Paths per array of `data`. */
  batch: number;
  data: Float64Array[];
  paths: number;
}

/** Means and standard errors over paths of the per-period figures and of the totals (counts summed, shares last). */
export function summarise(set: PathSet, H: number, M: number, countMeasures: number, N: number): MeasureTable & { perPath: { totals: Float64Array[] } } {
  const P = set.paths;
  const per = (k: number, e: number) => set.data[Math.floor(k / set.batch)][(k % set.batch) * set.size + e];
  const scale = (m: number) => (m >= countMeasures ? 1 / N : 1);
  const totals: Float64Array[] = [];
  for (let k = 0; k < P; k++) {
    const t = new Float64Array(M);
    for (let m = 0; m < M; m++) {
      if (m < countMeasures) for (let h = 0; h < H; h++) t[m] += per(k, h * M + m);
      else t[m] = per(k, (H - 1) * M + m) / N;
    }
    totals.push(t);
  }
  const meanSe = (get: (k: number) => number): [number, number] => {
    let s = 0;
    for (let k = 0; k < P; k++) s += get(k);
    const mean = s / P;
    if (P < 2) return [mean, 0];
    let ss = 0;
    for (let k = 0; k < P; k++) ss += (get(k) - mean) ** 2;
    return [mean, Math.sqrt(ss / (P - 1) / P)];
  };
  const perPeriod = { mean: [] as number[][], se: [] as number[][] };
  for (let h = 0; h < H; h++) {
    const mr: number[] = [];
    const sr: number[] = [];
    for (let m = 0; m < M; m++) {
      const [a, b] = meanSe((k) => per(k, h * M + m) * scale(m));
      mr.push(a);
      sr.push(b);
    }
    perPeriod.mean.push(mr);
    perPeriod.se.push(sr);
  }
  const tm: number[] = [];
  const ts: number[] = [];
  for (let m = 0; m < M; m++) {
    const [a, b] = meanSe((k) => totals[k][m]);
    tm.push(a);
    ts.push(b);
  }
  return { perPeriod, totals: { mean: tm, se: ts }, perPath: { totals } };
}

/** Largest SE / |mean| over every figure that is not negligible, with where it is. */
export function worstRelativeSe(t: MeasureTable, measures: string[], countMeasures: number, N: number): { value: number; where: string } {
  let worst = { value: 0, where: '' };
  const consider = (mean: number, se: number, m: number, where: string) => {
    const floor = m < countMeasures ? NEGLIGIBLE * N : NEGLIGIBLE;
    if (Math.abs(mean) <= floor) return;
    const r = se / Math.abs(mean);
    if (r > worst.value) worst = { value: r, where: `${measures[m]} ${where}` };
  };
  t.perPeriod.mean.forEach((row, h) => row.forEach((mean, m) => consider(mean, t.perPeriod.se[h][m], m, `in period ${h + 1}`)));
  t.totals.mean.forEach((mean, m) => consider(mean, t.totals.se[m], m, 'total'));
  return worst;
}

export function valueOf(totals: ArrayLike<number>, w: ValueWeights, voiceLabels: string[]): number {
  let v = 0;
  voiceLabels.forEach((l, j) => (v += (w.voice[l.toLowerCase()] ?? 0) * totals[j]));
  return v + w.intervention * totals[voiceLabels.length];
}

export function percentile(values: number[], q: number): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? quantileSorted(v, q) : null;
}

