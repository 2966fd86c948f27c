#!/usr/bin/env node
// Summaries of the replications printed by benchmarks/channels-lr.mjs (also of a run cut short).
// Usage: node benchmarks/channels-summary.mjs FILE.jsonl [FILE.jsonl ...]
// Output: one summary object per truth (benchmarks/lib/channelsSummary.mjs).
import { channelsSummary, readReplications } from './lib/channelsSummary.mjs';

const byTruth = readReplications(process.argv.slice(2));
for (const [name, reps] of byTruth) console.log(JSON.stringify(channelsSummary(name, [...reps.values()])));
