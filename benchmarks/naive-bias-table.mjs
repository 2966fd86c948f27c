#!/usr/bin/env node
// Markdown tables of the naive-model bias study from the replication lines of
// benchmarks/channels-lr.mjs (also of runs cut short; replications are told apart by truth and seed).
// Usage: node benchmarks/naive-bias-table.mjs [--family] FILE.jsonl [FILE.jsonl ...]
// --family: one compact table over all truths instead (net effect over the horizon and in the long
// run, and how often the relationship channel on complaints is understated).
// Output: per truth, one row per quantity (net effect and relationship channel over the horizon
// and in the long run) and voice: means of truth / full / propensity-free model, mean absolute
// errors, how often the propensity-free model is further from the truth than the full model and
// how often it understates the value of intervening; then the mechanism medians.
import { channelsSummary, readReplications } from './lib/channelsSummary.mjs';

const family = process.argv.includes('--family');
const byTruth = readReplications(process.argv.slice(2).filter((x) => x !== '--family'));
const f = (x) => (x >= 0 ? '+' : '') + x.toFixed(4);
const LABEL = { net: 'net, H', relationship: 'relationship channel, H', longRunNet: 'net, long run', longRunRelationship: 'relationship channel, long run' };
if (family) {
  console.log('| truth | reps | voice | horizon | truth | full | propensity-free | mean abs. error full / free | free further | free understates | relationship channel understated (complaints) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [name, reps] of byTruth) {
    const s = channelsSummary(name, [...reps.values()]);
    if (!s.bias) continue;
    for (const voice of ['complaint', 'compliment']) {
      for (const [key, rel, label] of [['net', 'relationship', `${s.horizon}`], ['longRunNet', 'longRunRelationship', 'long run']]) {
        const b = s.bias[`${key}:${voice}`];
        const r = s.bias[`${rel}:complaint`];
        if (!b) continue;
        console.log(`| ${name} | ${b.reps} | ${voice}s | ${label} | ${f(b.mean.truth)} | ${f(b.mean.full)} | ${f(b.mean.naive)} | ${b.meanAbsError.full.toFixed(4)} / ${b.meanAbsError.naive.toFixed(4)} | ${b.naiveFurther} | ${b.naiveUnderstates} | ${voice === 'complaint' ? `${r.naiveUnderstates} (${f(r.mean.truth)} vs ${f(r.mean.naive)})` : ''} |`);
      }
    }
  }
  process.exit(0);
}
for (const [name, reps] of byTruth) {
  const s = channelsSummary(name, [...reps.values()]);
  console.log(`\n**${name}** (${s.reps} replications, H = ${s.horizon}; LR test rejects in ${s.rejectedAt5pct}; not converged ${s.notConverged})\n`);
  if (!s.bias) continue;
  console.log('| quantity | voice | truth | full | propensity-free | mean abs. error full / free | free further | free understates |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [key, b] of Object.entries(s.bias)) {
    const [q, voice] = key.split(':');
    console.log(`| ${LABEL[q]} | ${voice}s | ${f(b.mean.truth)} | ${f(b.mean.full)} | ${f(b.mean.naive)} | ${b.meanAbsError.full.toFixed(4)} / ${b.meanAbsError.naive.toFixed(4)} | ${b.naiveFurther} of ${b.reps} | ${b.naiveUnderstates} of ${b.reps} |`);
  }
  if (s.mechanism) {
    const v = (xs) => xs.map((x) => x.toFixed(3)).join(' / ');
    console.log('\n| medians, states 1 / 2 / 3 | truth | propensity-free |');
    console.log('|---|---|---|');
    const rows = { startMix: 'state mix of complainers', complaintWithout: 'P(complaint), no intervention', complaintWith: 'P(complaint), period after one', upWithout: 'P(move up), no intervention', upWith: 'P(move up), after one', downWithout: 'P(move down), no intervention', downWith: 'P(move down), after one' };
    for (const [k, label] of Object.entries(rows)) console.log(`| ${label} | ${v(s.mechanism.truth[k])} | ${v(s.mechanism.naive[k])} |`);
  }
}
