#!/usr/bin/env node
// Summary of benchmarks/classes-recovery.mjs output (works part-way): per parameter of the
// 2-class fit the mean estimate, the SD over replications, the truth, the bias in SDs and in
// standard errors of the mean (SD / sqrt(R)); then the 1-class fit's complaint-propensity slopes
// against the two classes' true slopes. Usage: node benchmarks/classes-summary.mjs FILE.jsonl
// Output: one JSON object per parameter, then one summary object.
import { readFileSync } from 'node:fs';
import { classTruthParameters } from './lib/classTruth.mjs';

const file = process.argv[2];
if (!file) throw new Error('usage: node benchmarks/classes-summary.mjs FILE.jsonl');
const reps = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const R = reps.length;
const truth = classTruthParameters();
const stats = (xs) => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
  const sorted = [...xs].sort((a, b) => a - b);
  return { mean: m, sd, median: sorted[Math.floor(sorted.length / 2)] };
};
let worstSd = 0;
let worstSe = 0;
let outside = 0;
truth.names.forEach((name, i) => {
  const xs = reps.map((r) => r.two[name]);
  const s = stats(xs);
  const t = truth.values[i];
  const biasSd = (s.mean - t) / s.sd;
  const biasSe = biasSd * Math.sqrt(R);
  const within4 = xs.filter((x) => Math.abs(x - t) <= 4 * s.sd).length;
  outside += R - within4;
  worstSd = Math.max(worstSd, Math.abs(biasSd));
  worstSe = Math.max(worstSe, Math.abs(biasSe));
  console.log(JSON.stringify({ parameter: name, truth: t, mean: s.mean, median: s.median, sd: s.sd, biasInSd: biasSd, biasInSeOfMean: biasSe, repsWithin4Sd: within4 }));
});
const S = 'stock(intervention, 0.8)';
const one = ['emission[1]:complaint', 'emission[2]:complaint'].map((p) => ({ parameter: `one class: ${p}:${S}`, ...stats(reps.map((r) => r.one[`${p}:${S}`])) }));
for (const o of one) console.log(JSON.stringify(o));
const share2 = stats(reps.map((r) => r.trueShare2)).mean;
const trueSlope = (c, k) => truth.values[truth.names.indexOf(`class[${c}].emission[${k}]:complaint:${S}`)];
console.log(
  JSON.stringify({
    summary: 'classes-recovery',
    replications: R,
    customers: reps[0]?.customers,
    periods: reps[0]?.periods,
    converged2: reps.filter((r) => r.converged2).length,
    parameters: truth.names.length,
    largestAbsBiasInSd: worstSd,
    largestAbsBiasInSeOfMean: worstSe,
    estimatesOutside4Sd: outside,
    everyParameterWithin4Sd: worstSd <= 4,
    meanTrueShareClass2: share2,
    oneClassPropensitySlope: one.map((o) => o.mean),
    trueClassSlopes: { class1: [trueSlope(1, 1), trueSlope(1, 2)], class2: [trueSlope(2, 1), trueSlope(2, 2)] },
    shareWeightedTrueSlope: [1, 2].map((k) => (1 - share2) * trueSlope(1, k) + share2 * trueSlope(2, k)),
    meanLogLikGain2vs1: stats(reps.map((r) => r.logLik2 - r.logLik1)).mean,
    medianMs2: stats(reps.map((r) => r.ms2)).median,
    medianMs1: stats(reps.map((r) => r.ms1)).median,
  }),
);
