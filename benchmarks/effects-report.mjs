// Time of the intervention-effect report (computeEffects) on a saved fit, without and with
// delta-method intervals (covariance: a diagonal one when the fit has none, which costs the same).
// Usage: node benchmarks/effects-report.mjs FIT.json [--horizon H] [--reps R]
// Prints one JSON object per line: {what, horizon, nParams, reps, medianMs, minMs}.
import { loadFit } from '../dist/src/report/fitFile.js';
import { computeEffects } from '../dist/src/report/computeEffects.js';

const args = process.argv.slice(2);
const file = args[0] ?? 'squeaky-fit/fit.json';
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const horizon = opt('--horizon', 30);
const reps = opt('--reps', 7);
const fit = await loadFit(file);
const n = fit.parameters.names.length;
const covariance = fit.covariance ?? {
  method: 'observed',
  names: fit.parameters.names,
  matrix: Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 0.01 : 0)),
  unavailable: [],
  notes: [],
};
function time(what, run) {
  run();
  const ms = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(JSON.stringify({ what, horizon, nParams: n, reps, medianMs: +ms[Math.floor(reps / 2)].toFixed(2), minMs: +ms[0].toFixed(2) }));
}
time('report', () => computeEffects({ ...fit, covariance: undefined }, { horizon }));
time('report+intervals', () => computeEffects(fit, { horizon, covariance }));
