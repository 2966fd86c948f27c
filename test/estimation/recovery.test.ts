/**
 * Parameter recovery on simulated panels of 3000 customers x 60 periods, for multinomial and
 * ordered transitions. The firm answers complaints (probability 0.5) more than other voice (0.2);
 * the relationship channel is lag(intervention) in the transitions, the propensity channel
 * log1p(stock(intervention, 1)) (log of 1 + the number of past interventions) in the emissions.
 *
 * For each transition type:
 *   - one panel is fitted from the default starts: its log-likelihood must reach the truth's, and
 *     every estimate must lie within 4 standard deviations of the truth;
 *   - the standard deviations come from R replications (independent panels from the truth, each
 *     fitted from the truth as its start), whose mean must also lie within 4 standard errors
 *     (sd / sqrt(R)) of the truth, which catches a systematic bias between simulator and estimator.
 * Seeds are fixed, so the test is deterministic. The true values are chosen so that every
 * parameter is identified at this sample size (no transition so rare that its intervention slope
 * drifts along a flat likelihood ridge); on such a ridge the spread of fits started at the truth
 * would say little about the estimator.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/estimation/simulate.js';
import { fit, logLikelihood } from '../../src/estimation/fit.js';
import type { ModelSpec, NamedParameters } from '../../src/estimation/spec.js';

const CUSTOMERS = 3000;
const PERIODS = 60;
const R = 20;
const POLICY = { afterComplaint: 0.5, otherwise: 0.2 };
const STOCK = 'log1p(stock(intervention, 1))';

const EMISSION: Record<string, number> = {
  [`emission[1]:complaint:(Intercept)`]: -0.5,
  [`emission[1]:complaint:${STOCK}`]: 0.6,
  [`emission[1]:neutral:(Intercept)`]: -2.0,
  [`emission[1]:neutral:${STOCK}`]: 0.2,
  [`emission[2]:complaint:(Intercept)`]: -2.0,
  [`emission[2]:complaint:${STOCK}`]: 0.5,
  [`emission[2]:neutral:(Intercept)`]: -1.0,
  [`emission[2]:neutral:${STOCK}`]: 0.2,
  [`emission[3]:complaint:(Intercept)`]: -3.5,
  [`emission[3]:complaint:${STOCK}`]: 0.4,
  [`emission[3]:neutral:(Intercept)`]: 0.0,
  [`emission[3]:neutral:${STOCK}`]: 0.2,
};

const TRUTH: Record<'multinomial' | 'ordered', Record<string, number>> = {
  multinomial: {
    'initial[2]:(Intercept)': 0.2,
    'initial[3]:(Intercept)': -0.3,
    'transition[1->2]:(Intercept)': -2.0,
    'transition[1->2]:lag(intervention)': 1.0,
    'transition[1->3]:(Intercept)': -3.0,
    'transition[1->3]:lag(intervention)': 0.8,
    'transition[2->1]:(Intercept)': -2.5,
    'transition[2->1]:lag(intervention)': -0.5,
    'transition[2->3]:(Intercept)': -2.5,
    'transition[2->3]:lag(intervention)': 0.8,
    'transition[3->1]:(Intercept)': -3.0,
    'transition[3->1]:lag(intervention)': -0.3,
    'transition[3->2]:(Intercept)': -2.0,
    'transition[3->2]:lag(intervention)': -0.4,
    ...EMISSION,
  },
  ordered: {
    'initial[2]:(Intercept)': 0.2,
    'initial[3]:(Intercept)': -0.3,
    'transition[1]:cut[1|2]': 2.5,
    'transition[1]:logstep[2|3]': Math.log(2.0),
    'transition[1]:lag(intervention)': 1.0,
    'transition[2]:cut[1|2]': -2.8,
    'transition[2]:logstep[2|3]': Math.log(5.6),
    'transition[2]:lag(intervention)': 0.8,
    'transition[3]:cut[1|2]': -5.0,
    'transition[3]:logstep[2|3]': Math.log(2.5),
    'transition[3]:lag(intervention)': 0.6,
    ...EMISSION,
  },
};

function specFor(transitionType: 'multinomial' | 'ordered'): ModelSpec {
  return {
    nStates: 3,
    voiceLabels: ['complaint', 'neutral', 'silent'],
    referenceVoice: 'silent',
    formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: `~ ${STOCK}` },
    transitionType,
    sharedSlopes: false,
  };
}

function named(t: Record<string, number>): NamedParameters {
  return { names: Object.keys(t), values: Float64Array.from(Object.values(t)), blocks: [] };
}

/** Estimates in the order of `names`. */
function byName(p: NamedParameters, names: string[]): number[] {
  return names.map((n) => {
    const i = p.names.indexOf(n);
    if (i < 0) throw new Error(`fit has no parameter ${n}`);
    return p.values[i];
  });
}

describe.each(['multinomial', 'ordered'] as const)('parameter recovery, %s transitions, 3000 customers x 60 periods', (type) => {
  it(
    'a default fit reaches the truth log-likelihood and lands within 4 sd of the truth; replications are unbiased',
    () => {
      const spec = specFor(type);
      const truth = named(TRUTH[type]);
      const names = truth.names;
      const P = names.length;

      // The fit from the default starts.
      const main = simulate(spec, truth, { customers: CUSTOMERS, periods: PERIODS, policy: POLICY, seed: 1000 });
      const llTruth = logLikelihood(main.panel, spec, truth);
      const res = fit(main.panel, spec, { seed: 1 });
      expect(res.logLik).toBeGreaterThanOrEqual(llTruth);
      const est = byName(res.parameters, names);

      // The spread: R replications fitted from the truth.
      const reps: number[][] = [];
      for (let r = 0; r < R; r++) {
        const { panel } = simulate(spec, truth, { customers: CUSTOMERS, periods: PERIODS, policy: POLICY, seed: 2000 + r });
        // A tight tolerance: a fit stopped early would sit near its start, the truth, and understate the spread.
        const f = fit(panel, spec, { startParams: truth, tol: 1e-9, maxIter: 5000 });
        expect(f.converged).toBe(true);
        reps.push(byName(f.parameters, names));
      }
      const mean = names.map((_, a) => reps.reduce((s, x) => s + x[a], 0) / R);
      const sd = names.map((_, a) => Math.sqrt(reps.reduce((s, x) => s + (x[a] - mean[a]) ** 2, 0) / (R - 1)));

      const lines = names.map(
        (n, a) =>
          `${n.padEnd(48)} truth ${truth.values[a].toFixed(3).padStart(7)}  fit ${est[a].toFixed(3).padStart(7)}  ` +
          `rep mean ${mean[a].toFixed(3).padStart(7)}  sd ${sd[a].toFixed(3)}  z(fit) ${((est[a] - truth.values[a]) / sd[a]).toFixed(2).padStart(6)}  ` +
          `z(mean) ${((mean[a] - truth.values[a]) / (sd[a] / Math.sqrt(R))).toFixed(2).padStart(6)}`,
      );
      console.log(`${type}: logLik fit ${res.logLik.toFixed(3)} vs truth ${llTruth.toFixed(3)}\n${lines.join('\n')}`);

      const failures: string[] = [];
      for (let a = 0; a < P; a++) {
        expect(sd[a]).toBeGreaterThan(0);
        if (Math.abs(est[a] - truth.values[a]) > 4 * sd[a]) failures.push(`fit: ${lines[a]}`);
        if (Math.abs(mean[a] - truth.values[a]) > (4 * sd[a]) / Math.sqrt(R)) failures.push(`replication mean: ${lines[a]}`);
      }
      expect(failures, failures.join('\n')).toEqual([]);
    },
    900_000,
  );
});
