#!/usr/bin/env node
// Parameter recovery with latent classes: R panels simulated from the two-class truth of
// benchmarks/lib/classTruth.mjs (customers x periods given), each fitted with 2 classes (the
// truth's spec, default starts) and with 1 class (the same formulas). One JSON line per
// replication: the 2-class estimates by name, the 1-class complaint-propensity slopes, log-
// likelihoods and convergence. Summarise (part-way too) with benchmarks/classes-summary.mjs.
// Usage: node benchmarks/classes-recovery.mjs [--reps 20] [--customers 500] [--periods 40]
//        [--starts 4] [--seed 5000] [--threads 1]
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { simulate } from '../dist/src/estimation/simulate.js';
import { fit } from '../dist/src/estimation/fit.js';
import { Rng } from '../dist/src/estimation/rng.js';
import { CLASS_POLICY, CLASS_SPEC, classTruthParameters, customerZ } from './lib/classTruth.mjs';

const { values: a } = parseArgs({
  options: {
    reps: { type: 'string', default: '20' },
    customers: { type: 'string', default: '500' },
    periods: { type: 'string', default: '40' },
    starts: { type: 'string', default: '4' },
    seed: { type: 'string', default: '5000' },
    threads: { type: 'string', default: '1' },
    first: { type: 'string', default: '0' },
  },
});
const N = Number(a.customers);
const T = Number(a.periods);
const truth = classTruthParameters();
const { classes: _c, ...oneClass } = CLASS_SPEC;
for (let r = Number(a.first); r < Number(a.reps); r++) {
  const seed = Number(a.seed) + r;
  const z = customerZ(Rng, N, seed);
  const sim = simulate(CLASS_SPEC, truth, { customers: N, periods: T, policy: CLASS_POLICY, seed, covariates: { z: (i) => z[i] } });
  const share2 = sim.classes.reduce((s, c) => s + c, 0) / N;
  const t0 = Date.now();
  const f2 = fit(sim.panel, CLASS_SPEC, { starts: Number(a.starts), seed, threads: Number(a.threads) });
  const t2 = Date.now() - t0;
  const f1 = fit(sim.panel, oneClass, { starts: Number(a.starts), seed, threads: Number(a.threads) });
  const t1 = Date.now() - t0 - t2;
  const one = {};
  f1.parameters.names.forEach((n, i) => (one[n] = f1.parameters.values[i]));
  const two = {};
  f2.parameters.names.forEach((n, i) => (two[n] = f2.parameters.values[i]));
  process.stdout.write(
    JSON.stringify({
      rep: r,
      seed,
      customers: N,
      periods: T,
      trueShare2: share2,
      logLik2: f2.logLik,
      logLik1: f1.logLik,
      converged2: f2.converged,
      converged1: f1.converged,
      reachedBest2: f2.reachedBest,
      ms2: t2,
      ms1: t1,
      two,
      one,
    }) + '\n',
  );
}
