// The summary of channel-benchmark replications of one truth (see benchmarks/channels-lr.mjs).
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;

export function channelsSummary(name, results) {
  const rejected = results.filter((r) => r.p < 0.05).length;
  const summary = { bench: 'channels-lr-summary', truth: name, reps: results.length, rejectedAt5pct: rejected, rejectionRate: rejected / results.length, notConverged: results.filter((r) => !r.converged).length };
  if (name !== 'example') return summary;
  const err = (k, v) => results.map((r) => Math.abs(r[k][v] - r.netTruth[v]));
  const further = (v) => results.filter((r) => Math.abs(r.netNaive[v] - r.netTruth[v]) > Math.abs(r.netFull[v] - r.netTruth[v])).length;
  return Object.assign(summary, {
    meanNetComplaints: { truth: mean(results.map((r) => r.netTruth.complaint)), full: mean(results.map((r) => r.netFull.complaint)), naive: mean(results.map((r) => r.netNaive.complaint)) },
    meanNetCompliments: { truth: mean(results.map((r) => r.netTruth.compliment)), full: mean(results.map((r) => r.netFull.compliment)), naive: mean(results.map((r) => r.netNaive.compliment)) },
    meanAbsErrorComplaints: { full: mean(err('netFull', 'complaint')), naive: mean(err('netNaive', 'complaint')) },
    meanAbsErrorCompliments: { full: mean(err('netFull', 'compliment')), naive: mean(err('netNaive', 'compliment')) },
    naiveFurtherComplaints: further('complaint'),
    naiveFurtherCompliments: further('compliment'),
    // Complaints: a higher (less negative) net change than the truth's understates the value of intervening.
    naiveAboveTruthComplaints: results.filter((r) => r.netNaive.complaint > r.netTruth.complaint).length,
    naiveBelowTruthCompliments: results.filter((r) => r.netNaive.compliment < r.netTruth.compliment).length,
  });
}
