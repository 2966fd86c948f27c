#!/usr/bin/env node
// Event log -> panel (prepareEvents) and writing the panel CSV: wall time and peak RSS.
// Usage: node benchmarks/prepare-events.mjs [--tweets 5000000] [--customers 50000] [--days 182]
//        [--period day] [--friends 0] [--seed 1] [--keep]
// Writes a tweet-level log (ISO timestamps, out of time order by customer blocks) to /tmp
// (generation not timed), then prepares it in a fresh child process. Output: one JSON object on
// stdout. Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const { values: a } = parseArgs({
  options: {
    tweets: { type: 'string', default: '5000000' },
    customers: { type: 'string', default: '50000' },
    days: { type: 'string', default: '182' },
    period: { type: 'string', default: 'day' },
    friends: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    child: { type: 'string' },
    edges: { type: 'string' },
  },
});

if (a.child !== undefined) {
  const { prepareEvents } = await import('../dist/src/data/prepareEvents.js');
  const { writePanel } = await import('../dist/src/data/writePanel.js');
  const t0 = process.hrtime.bigint();
  const { panel } = await prepareEvents(a.child, { period: a.period, friends: a.edges });
  const t1 = process.hrtime.bigint();
  const out = a.child.replace(/\.csv$/, '-panel.csv');
  await writePanel(panel, out);
  const t2 = process.hrtime.bigint();
  rmSync(out);
  process.stdout.write(
    JSON.stringify({
      prepareSeconds: Number(t1 - t0) / 1e9,
      writeSeconds: Number(t2 - t1) / 1e9,
      panelRows: panel.offsets[panel.offsets.length - 1],
      panelCustomers: panel.customers.length,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

const { Rng } = await import('../dist/src/estimation/rng.js');
const nTweets = +a.tweets;
const nCust = +a.customers;
const days = +a.days;
const nFriends = +a.friends;
const rng = new Rng(+a.seed);
const file = `/tmp/squeaky-bench-events-${nTweets}.csv`;
const edgesFile = `/tmp/squeaky-bench-edges-${nTweets}.csv`;
const start = Date.UTC(2024, 0, 1);
const labels = ['complaint', 'compliment', 'neutral'];

const tg = Date.now();
const out = createWriteStream(file);
out.write('customer,timestamp,author,label\n');
let buf = '';
let firm = 0;
const perCust = nTweets / nCust;
let written = 0;
for (let c = 0; c < nCust && written < nTweets; c++) {
  const n = c === nCust - 1 ? nTweets - written : Math.min(nTweets - written, Math.max(1, Math.round(perCust * (0.5 + rng.uniform()))));
  for (let k = 0; k < n; k++) {
    const t = new Date(start + Math.floor(rng.uniform() * days * 86400000)).toISOString();
    const isFirm = rng.uniform() < 0.15;
    if (isFirm) firm++;
    buf += `${200000 + c},${t},${isFirm ? 'firm,' : 'customer,' + labels[rng.int(3)]}\n`;
  }
  written += n;
  if (buf.length > 1 << 20) {
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  }
}
out.end(buf);
await once(out, 'finish');
const args = [fileURLToPath(import.meta.url), '--child', file, '--period', a.period];
if (nFriends > 0) {
  const e = createWriteStream(edgesFile);
  e.write('follower,followee\n');
  let eb = '';
  for (let i = 0; i < nFriends; i++) eb += `${200000 + rng.int(nCust)},${200000 + rng.int(nCust)}\n`;
  e.end(eb);
  await once(e, 'finish');
  args.push('--edges', edgesFile);
}
const generateSeconds = (Date.now() - tg) / 1000;

const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
if (child.status !== 0) {
  process.stderr.write(child.stderr);
  process.exit(1);
}
const r = JSON.parse(child.stdout);
const bytes = statSync(file).size;
if (!a.keep) {
  rmSync(file);
  if (nFriends > 0) rmSync(edgesFile);
}
console.log(
  JSON.stringify({
    benchmark: 'prepare-events',
    tweets: written,
    firmTweets: firm,
    customers: nCust,
    days,
    period: a.period,
    friendEdges: nFriends,
    fileMiB: +(bytes / 2 ** 20).toFixed(1),
    generateSeconds,
    prepareSeconds: +r.prepareSeconds.toFixed(2),
    writePanelSeconds: +r.writeSeconds.toFixed(2),
    totalSeconds: +(r.prepareSeconds + r.writeSeconds).toFixed(2),
    tweetsPerSecond: Math.round(written / r.prepareSeconds),
    panelRows: r.panelRows,
    peakRssMiB: Math.round(r.maxRssMiB),
    node: process.version,
  }),
);
