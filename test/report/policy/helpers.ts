import type { Panel } from '../../../src/data/panel.js';
import { logLikelihood } from '../../../src/estimation/fit.js';
import type { ModelSpec, NamedParameters } from '../../../src/estimation/spec.js';
import type { Covariance } from '../../../src/estimation/inference/covariance.js';
import { inverse, Matrix } from 'ml-matrix';
import { simulate } from '../../../src/estimation/simulate.js';

/**
 * The observed-information covariance by central second differences of the exact log-likelihood
 * (an independent computation: no gradient code involved).
 */
export function numericalCovariance(panel: Panel, spec: ModelSpec, params: NamedParameters, h = 1e-3): Covariance {
  const n = params.values.length;
  const x = Float64Array.from(params.values);
  const ll = () => logLikelihood(panel, spec, x);
  const f0 = ll();
  const H = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let v: number;
      if (i === j) {
        x[i] += h;
        const up = ll();
        x[i] -= 2 * h;
        const down = ll();
        x[i] += h;
        v = (up - 2 * f0 + down) / (h * h);
      } else {
        const at = (a: number, b: number) => {
          x[i] += a;
          x[j] += b;
          const r = ll();
          x[i] -= a;
          x[j] -= b;
          return r;
        };
        v = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h);
      }
      H.set(i, j, -v);
      H.set(j, i, -v);
    }
  }
  const cov = inverse(H);
  return { method: 'observed', names: [...params.names], matrix: Float64Array.from(cov.to1DArray()), unavailable: [], notes: [] };
}

/** Per-customer totals of a fresh simulation (counts per voice label and interventions over all periods; true-state shares in the last). */
export function freshTotals(spec: ModelSpec, params: NamedParameters, customers: number, periods: number, policy: { afterComplaint: number; otherwise: number }, seed: number): { mean: number[]; se: number[] } {
  const { panel, states } = simulate(spec, params, { customers, periods, policy, seed });
  const V = spec.voiceLabels.length;
  const K = spec.nStates;
  const M = V + 1 + K;
  const sum = new Float64Array(M);
  const sq = new Float64Array(M);
  const row = new Float64Array(M);
  for (let i = 0; i < customers; i++) {
    row.fill(0);
    for (let t = 0; t < periods; t++) {
      const r = i * periods + t;
      row[panel.voice[r]] += 1;
      row[V] += panel.columns.intervention[r];
    }
    row[V + 1 + states[i * periods + periods - 1]] = 1;
    for (let m = 0; m < M; m++) {
      sum[m] += row[m];
      sq[m] += row[m] * row[m];
    }
  }
  const mean = Array.from(sum, (s) => s / customers);
  const se = mean.map((m, j) => Math.sqrt(Math.max(0, sq[j] / customers - m * m) / (customers - 1)));
  return { mean, se };
}
