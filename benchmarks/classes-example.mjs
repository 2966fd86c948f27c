#!/usr/bin/env node
// Wall-clock time of a 2-class fit of the example panel (the library's fit(), as `squeaky fit
// data/example-panel.csv --classes 2 --se none` runs it: default starts, screening and
// tolerance), beside the one-class fit in the same run; wall-clock and CPU seconds of this
// process (the CPU time is less sensitive to other work on the machine).
// With --async the fits are fitAsync's (the starts that screening keeps run at once on worker
// threads when --threads allows it, as `squeaky fit` runs them); the same results.
// Usage: node benchmarks/classes-example.mjs [--reps 3] [--classes 2] [--threads 1] [--async]
// Output: one JSON object per fit, then a summary with the medians. Requires a build.
import { parseArgs } from 'node:util';
import { readPanel } from '../dist/src/data/readPanel.js';
import { fit, fitAsync } from '../dist/src/estimation/fit.js';
import { specFor } from '../dist/src/report/runFit.js';

const { values: a } = parseArgs({
  options: { reps: { type: 'string', default: '3' }, classes: { type: 'string', default: '2' }, threads: { type: 'string', default: '1' }, async: { type: 'boolean', default: false } },
});
const { panel } = await readPanel('data/example-panel.csv');
const one = specFor(panel, {});
const mix = specFor(panel, { classes: { count: +a.classes } });
const times = { one: [], classes: [] };
const cpus = { one: [], classes: [] };
for (let r = 0; r < +a.reps; r++) {
  for (const [kind, spec] of [['one', one], ['classes', mix]]) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const f = a.async ? await fitAsync(panel, spec, { threads: +a.threads }) : fit(panel, spec, { threads: +a.threads });
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    times[kind].push(s);
    cpus[kind].push(cpu);
    console.log(JSON.stringify({ rep: r, model: kind, classes: spec.classes?.count ?? 1, seconds: s, cpuSeconds: cpu, logLik: f.logLik, iterations: f.iterations, status: f.status }));
  }
}
const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({ summary: 'classes-example', threads: +a.threads, async: a.async, medianSecondsOneClass: med(times.one), medianSecondsClasses: med(times.classes), medianCpuOneClass: med(cpus.one), medianCpuClasses: med(cpus.classes), ratio: med(times.classes) / med(times.one), targetSeconds: 10 }));
