#!/usr/bin/env node
// Wall and CPU time of the CLI commands that starts on worker threads change, this tree against a
// second build (`--before DIR`, a checkout of the commit before the change with its dist/ built),
// the two alternating in every repetition so that both see the same load; and whether their
// output files are the same bytes. Each run goes through /usr/bin/time (wall, user, system, peak RSS).
// Usage: node benchmarks/starts-threads.mjs --before /path/to/old/tree [--reps 3] [--cases c2,c2-nose,one-nose,one,select]
// Output: one JSON object per run, then one summary line per case and tree (medians).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: { before: { type: 'string' }, reps: { type: 'string', default: '3' }, cases: { type: 'string', default: 'c2,c2-nose,one-nose,one,select' } },
});
if (!a.before) throw new Error('--before DIR is required (a tree with the old build)');
const trees = { before: resolve(a.before), after: resolve('.') };
const panel = resolve('data/example-panel.csv');
const CASES = {
  c2: ['fit', panel, '--classes', '2', '--quiet'],
  'c2-nose': ['fit', panel, '--classes', '2', '--se', 'none', '--quiet'],
  'one-nose': ['fit', panel, '--se', 'none', '--quiet'],
  one: ['fit', panel, '--quiet'],
  sel: ['fit', panel, '--selection', '~ voice_complaint', '--quiet'],
  select: ['select', panel, '--states', '1..5', '--quiet'],
};
const work = mkdtempSync(join(tmpdir(), 'starts-threads-'));
const files = (dir) => {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p).map((f) => join(name, f)));
    else out.push(name);
  }
  return out;
};
const runs = [];
for (let r = 0; r < +a.reps; r++) {
  for (const c of a.cases.split(',')) {
    const outs = {};
    for (const tree of r % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
      const out = join(work, `${c}-${tree}-${r}`);
      const timeFile = join(work, 'time.txt');
      const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
      execFileSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, 'node', join(trees[tree], 'bin/squeaky.js'), ...CASES[c], '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
      const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      outs[tree] = out;
      const row = { rep: r, case: c, tree, wallSeconds: wall, cpuSeconds: +(user + sys).toFixed(2), maxRssMb: Math.round(rssKb / 1024), load1: +load };
      runs.push(row);
      console.log(JSON.stringify(row));
    }
    // fit.json of select carries its own timings; compare the fits' files only
    const names = files(outs.after).filter((f) => !/select|table/.test(f));
    const differ = names.filter((f) => !readFileSync(join(outs.before, f)).equals(readFileSync(join(outs.after, f))));
    console.log(JSON.stringify({ rep: r, case: c, filesCompared: names.length, filesDiffering: differ }));
  }
}
const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
for (const c of a.cases.split(',')) {
  const row = { summary: 'starts-threads', case: c, command: `squeaky ${CASES[c].join(' ').replace(panel, 'data/example-panel.csv')}` };
  for (const tree of ['before', 'after']) {
    const rs = runs.filter((x) => x.case === c && x.tree === tree);
    row[`${tree}MedianWall`] = med(rs.map((x) => x.wallSeconds));
    row[`${tree}MedianCpu`] = med(rs.map((x) => x.cpuSeconds));
  }
  row.wallRatio = +(row.afterMedianWall / row.beforeMedianWall).toFixed(3);
  console.log(JSON.stringify(row));
}
