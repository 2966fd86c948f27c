#!/usr/bin/env node
// Summaries of the replications printed by benchmarks/channels-lr.mjs (also of a run cut short).
// Usage: node benchmarks/channels-summary.mjs FILE.jsonl [FILE.jsonl ...]
// Output: one summary object per truth (benchmarks/lib/channelsSummary.mjs).
import { readFileSync } from 'node:fs';
import { channelsSummary } from './lib/channelsSummary.mjs';

const byTruth = new Map();
for (const file of process.argv.slice(2)) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    if (r.bench !== 'channels-lr') continue;
    if (!byTruth.has(r.truth)) byTruth.set(r.truth, new Map());
    byTruth.get(r.truth).set(r.seed, r);
  }
}
for (const [name, reps] of byTruth) console.log(JSON.stringify(channelsSummary(name, [...reps.values()])));
