#!/usr/bin/env node
/**
 * Make data/example-events.csv (a tweet-level event log) and data/example-follows.csv (who follows
 * whom among the customers), deterministic for a seed.
 *
 * 400 customers tweet at a firm from 2024-01-01 to 2024-06-30 (UTC). Each customer's relationship
 * with the firm is good, lukewarm or bad and drifts from day to day; bad relationships bring
 * complaints, good ones compliments. The firm replies to most complaints within hours (sometimes
 * the next day), seldom to other tweets; a reply tends to improve the relationship and also makes
 * the customer somewhat readier to complain again. Customers join at different times, tweet more
 * in the daytime, and a few never hear back.
 *
 * Usage (after `npx tsc -p tsconfig.json`):
 *   node scripts/make-example-events.mjs [--seed 20150601] [--out data]
 * Same seed, same files (byte for byte).
 */
import { writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng } from '../dist/src/estimation/rng.js';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const seed = Number(arg('seed', '20150601'));
const outDir = resolve(arg('out', 'data'));
const nCustomers = 400;
const start = Date.UTC(2024, 0, 1) / 1000;
const nDays = 182; // to 2024-06-30
const rng = new Rng(seed);

const LABELS = ['complaint', 'compliment', 'neutral'];
// Voice probabilities per relationship state (0 = bad, 1 = lukewarm, 2 = good): complaint, compliment, neutral.
const VOICE = [
  [0.7, 0.05, 0.25],
  [0.25, 0.2, 0.55],
  [0.06, 0.5, 0.44],
];
// Daily chance of tweeting per state (bad customers are louder).
const ACTIVE = [0.22, 0.1, 0.14];

/** A time of day in seconds, more often in the day and evening (UTC). */
function timeOfDay() {
  for (;;) {
    const h = rng.uniform() * 24;
    const w = 0.25 + Math.exp(-((h - 15) ** 2) / 30);
    if (rng.uniform() * 1.25 < w) return Math.floor(h * 3600);
  }
}

function iso(t) {
  return new Date(Math.round(t) * 1000).toISOString().replace('.000Z', 'Z');
}

const events = []; // [time, customer, author, label]
const ids = [];
for (let c = 0; c < nCustomers; c++) ids.push(`u${String(1000 + c * 7 + rng.int(7)).padStart(5, '0')}`);

for (let c = 0; c < nCustomers; c++) {
  const id = ids[c];
  const joinDay = rng.uniform() < 0.5 ? 0 : rng.int(120);
  let state = rng.categorical([0.3, 0.45, 0.25]);
  let propensity = 0; // extra log-odds of complaining, raised by replies, decaying
  const talkative = Math.exp(rng.normal() * 0.5);
  const ignored = rng.uniform() < 0.08; // the firm never answers this customer
  let first = true;
  for (let d = joinDay; d < nDays; d++) {
    const dayStart = start + d * 86400;
    const active = first || rng.uniform() < Math.min(0.9, ACTIVE[state] * talkative * (1 + propensity));
    let repliedToday = false;
    if (active) {
      first = false;
      const nTweets = 1 + (rng.uniform() < 0.25 ? 1 + rng.int(3) : 0);
      for (let k = 0; k < nTweets; k++) {
        const p = VOICE[state].slice();
        p[0] *= Math.exp(propensity);
        const label = LABELS[rng.categorical(p)];
        const t = dayStart + timeOfDay();
        events.push([t, id, 'customer', label]);
        const replyP = ignored ? 0 : label === 'complaint' ? 0.55 : label === 'neutral' ? 0.06 : 0.04;
        if (!repliedToday && rng.uniform() < replyP) {
          repliedToday = true;
          const delay = 600 + Math.floor(-Math.log(1 - rng.uniform()) * 5 * 3600);
          events.push([t + delay, id, 'firm', '']);
          if (rng.uniform() < 0.35) state = Math.min(2, state + 1);
          propensity = Math.min(1.5, propensity + 0.35);
        }
      }
    }
    // Drift of the relationship, and decay of the readiness to complain.
    const u = rng.uniform();
    if (u < 0.015) state = Math.max(0, state - 1);
    else if (u < 0.025) state = Math.min(2, state + 1);
    propensity *= 0.93;
  }
  // A little unsolicited outreach by the firm.
  if (!ignored && rng.uniform() < 0.05) events.push([start + rng.int(nDays) * 86400 + timeOfDay(), id, 'firm', '']);
}

events.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : 1));
const end = start + nDays * 86400;
const lines = ['customer,timestamp,author,label'];
for (const [t, id, author, label] of events) if (t < end) lines.push(`${id},${iso(t)},${author},${label}`);

// Follows: each customer follows a few others, more often customers with nearby ids (communities).
const edges = new Set();
const follows = ['follower,followee'];
for (let c = 0; c < nCustomers; c++) {
  const k = rng.int(6);
  for (let j = 0; j < k; j++) {
    const other = rng.uniform() < 0.7 ? Math.min(nCustomers - 1, Math.max(0, c + rng.int(21) - 10)) : rng.int(nCustomers);
    if (other === c) continue;
    const key = `${ids[c]},${ids[other]}`;
    if (edges.has(key)) continue;
    edges.add(key);
    follows.push(key);
  }
}

function writeWhole(file, text) {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
writeWhole(join(outDir, 'example-events.csv'), lines.join('\n') + '\n');
writeWhole(join(outDir, 'example-follows.csv'), follows.join('\n') + '\n');
console.log(JSON.stringify({ seed, customers: nCustomers, events: lines.length - 1, edges: follows.length - 1 }));
