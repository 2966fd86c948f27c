// The summary of channel-benchmark replications of one truth (see benchmarks/channels-lr.mjs).
import { readFileSync } from 'node:fs';

/** The replication lines of channels-lr.mjs output files, by truth, each truth's by seed (a seed seen twice counts once). */
export function readReplications(files) {
  const byTruth = new Map();
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line);
      if (r.bench !== 'channels-lr') continue;
      if (!byTruth.has(r.truth)) byTruth.set(r.truth, new Map());
      byTruth.get(r.truth).set(r.seed, r);
    }
  }
  return byTruth;
}
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const QUANTITIES = { net: 'net', relationship: 'relationship', longRunNet: 'longRunNet', longRunRelationship: 'longRunRelationship' };

/**
 * Truth, full and propensity-free figures of one quantity (key prefix of the replication lines,
 * e.g. 'net' for netTruth/netFull/netNaive) and voice: means, mean absolute errors, how often the
 * propensity-free model is further from the truth than the full model, and how often it
 * understates the value of intervening (complaints: a higher, less negative change than the
 * truth's; compliments: a lower one). undefined when the replications lack the quantity.
 */
export function biasFigures(results, key, voice) {
  const rs = results.filter((r) => r[`${key}Truth`] && Number.isFinite(r[`${key}Truth`][voice]) && Number.isFinite(r[`${key}Naive`][voice]) && Number.isFinite(r[`${key}Full`][voice]));
  if (rs.length === 0) return undefined;
  const get = (r, m) => r[`${key}${m}`][voice];
  const understates = (r) => (voice === 'complaint' ? get(r, 'Naive') > get(r, 'Truth') : get(r, 'Naive') < get(r, 'Truth'));
  return {
    reps: rs.length,
    mean: { truth: mean(rs.map((r) => get(r, 'Truth'))), full: mean(rs.map((r) => get(r, 'Full'))), naive: mean(rs.map((r) => get(r, 'Naive'))) },
    meanAbsError: { full: mean(rs.map((r) => Math.abs(get(r, 'Full') - get(r, 'Truth')))), naive: mean(rs.map((r) => Math.abs(get(r, 'Naive') - get(r, 'Truth')))) },
    naiveFurther: rs.filter((r) => Math.abs(get(r, 'Naive') - get(r, 'Truth')) > Math.abs(get(r, 'Full') - get(r, 'Truth'))).length,
    naiveUnderstates: rs.filter(understates).length,
  };
}

/** Medians over the replications of the mechanism figures (truth against the propensity-free model). */
function mechanismSummary(results) {
  const rs = results.filter((r) => r.mechanism);
  if (rs.length === 0) return undefined;
  const K = rs[0].mechanism.truth.startMix.length;
  const fig = (who) => ({
    startMix: Array.from({ length: K }, (_, k) => median(rs.map((r) => r.mechanism[who].startMix[k]))),
    complaintWithout: Array.from({ length: K }, (_, k) => median(rs.map((r) => r.mechanism[who].complaintProbability.without[k]))),
    complaintWith: Array.from({ length: K }, (_, k) => median(rs.map((r) => r.mechanism[who].complaintProbability.with[k]))),
    upWithout: Array.from({ length: K }, (_, k) => median(rs.map((r) => r.mechanism[who].moves[k].upWithout))),
    upWith: Array.from({ length: K }, (_, k) => median(rs.map((r) => r.mechanism[who].moves[k].upWith))),
    downWithout: Array.from({ length: K }, (_, k) => median(rs.map((r) => r.mechanism[who].moves[k].downWithout))),
    downWith: Array.from({ length: K }, (_, k) => median(rs.map((r) => r.mechanism[who].moves[k].downWith))),
  });
  return { truth: fig('truth'), naive: fig('naive') };
}

export function channelsSummary(name, results) {
  const rejected = results.filter((r) => r.p < 0.05).length;
  const summary = { bench: 'channels-lr-summary', truth: name, reps: results.length, rejectedAt5pct: rejected, rejectionRate: rejected / results.length, notConverged: results.filter((r) => !r.converged).length };
  if (name === 'null') return summary;
  const bias = {};
  for (const key of Object.keys(QUANTITIES)) {
    for (const voice of ['complaint', 'compliment']) {
      const b = biasFigures(results, key, voice);
      if (b) bias[`${key}:${voice}`] = b;
    }
  }
  return Object.assign(summary, { horizon: results[0]?.horizon ?? 30, bias, mechanism: mechanismSummary(results) });
}
