#!/usr/bin/env node
// Wall and CPU time of each phase of the default standard errors of a saved fit (the observed
// information, then the profile-likelihood screening and sides), as `squeaky fit` runs them
// (likelihoodCovariancesAsync on --threads threads), in one process, --repeats times.
// Usage: node benchmarks/se-phases.mjs --fit out/fit.json [--panel data/example-panel.csv]
//          [--threads 2] [--repeats 3] [--dist dist]   (--dist: another build, e.g. main's, to compare)
// Output: one JSON object per repeat {"repeat", "informationMs", "profilesMs", "totalMs", and the
// same as CPU of the whole process, worker threads included ("...CpuMs"), "profiled": sides searched},
// then {"what": "median", ...} of each figure. "profiles" = from the end of the information to the
// end (the inverse, screening, sides and the covariance block). Requires a build.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { values: a } = parseArgs({
  options: { fit: { type: 'string' }, panel: { type: 'string', default: 'data/example-panel.csv' }, threads: { type: 'string', default: '2' }, repeats: { type: 'string', default: '3' }, dist: { type: 'string', default: 'dist' } },
});
const dist = (p) => pathToFileURL(resolve(a.dist, p)).href;
const { readPanel } = await import(dist('src/data/readPanel.js'));
const { parseFit } = await import(dist('src/report/fitFile.js'));
const { likelihoodCovariancesAsync } = await import(dist('src/estimation/inference/observedCovariance.js'));
const saved = parseFit(readFileSync(a.fit, 'utf8'), a.fit);
const { panel } = await readPanel(a.panel);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const rows = [];
for (let r = 0; r < +a.repeats; r++) {
  const t0 = performance.now();
  const c0 = cpu();
  let tInfo = NaN;
  let cInfo = NaN;
  const [cov] = await likelihoodCovariancesAsync(panel, saved.spec, saved.parameters, ['observed'], {
    threads: +a.threads,
    onProgress: (phase, done, total) => {
      if (phase === 'information' && done === total) {
        tInfo = performance.now();
        cInfo = cpu();
      }
    },
  });
  const t1 = performance.now();
  const c1 = cpu();
  const row = {
    repeat: r + 1,
    threads: +a.threads,
    informationMs: Math.round(tInfo - t0),
    profilesMs: Math.round(t1 - tInfo),
    totalMs: Math.round(t1 - t0),
    informationCpuMs: Math.round(cInfo - c0),
    profilesCpuMs: Math.round(c1 - cInfo),
    totalCpuMs: Math.round(c1 - c0),
    profiled: Object.keys(cov.profile?.intervals ?? {}),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
const median = (k) => [...rows.map((r) => r[k])].sort((x, y) => x - y)[Math.floor(rows.length / 2)];
const keys = ['informationMs', 'profilesMs', 'totalMs', 'informationCpuMs', 'profilesCpuMs', 'totalCpuMs'];
console.log(JSON.stringify({ what: 'median', dist: a.dist, threads: +a.threads, ...Object.fromEntries(keys.map((k) => [k, median(k)])) }));
