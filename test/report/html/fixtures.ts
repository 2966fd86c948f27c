import { simulate } from '../../../src/estimation/simulate.js';
import { computeEffects } from '../../../src/report/computeEffects.js';
import type { SavedFit } from '../../../src/report/fitFile.js';
import { runFitOnPanel } from '../../../src/report/runFit.js';
import type { Panel } from '../../../src/data/panel.js';
import { TRUTH_SPEC, truthParameters } from '../../cli/fixtures.js';

/**
 * A fit made without EM, so that its numbers are fixed by hand: the two-state truth of the CLI
 * tests as parameters, three starts with made-up traces, a fixed effects basis. For golden specs.
 */
export function fixedFit(): SavedFit {
  const parameters = truthParameters();
  return {
    spec: TRUTH_SPEC,
    parameters,
    logLik: -1000,
    nParams: parameters.names.length,
    aic: 2000 + 2 * parameters.names.length,
    bic: 2100,
    iterations: 4,
    converged: true,
    status: 'converged (fixed for tests)',
    history: [-1100, -1010, -1001, -1000.1, -1000],
    starts: [
      { index: 0, kind: 'data', logLik: -1000, iterations: 4, converged: true, screened: false, history: [-1100, -1010, -1001, -1000.1, -1000] },
      { index: 1, kind: 'random', logLik: -1040, iterations: 2, converged: false, screened: true, history: [-1300, -1100, -1040] },
      { index: 2, kind: 'random', logLik: -1020, iterations: 2, converged: false, screened: true },
    ],
    bestStart: 0,
    warnings: ['a warning <with> markup & an ampersand'],
    data: { customers: 50, rows: 1000, observations: 990, periods: { min: 0, max: 19 }, voiceCounts: { complaint: 100, compliment: 90, neutral: 200, silent: 600 }, interventions: 70, source: 'fixed.csv' },
    version: '0.0.0-test',
    effectsBasis: { complaintStateMix: [0.7, 0.3], complaintRows: 100, covariateMeans: {} },
  };
}

export const fixedEffects = (horizon = 10) => computeEffects(fixedFit(), { horizon });

/** A real (small) fit of a panel simulated from the truth, with the panel. */
export function smallFit(customers = 40, periods = 15, seed = 3): { fit: SavedFit; panel: Panel } {
  const sim = simulate(TRUTH_SPEC, truthParameters(), { customers, periods, policy: { afterComplaint: 0.6, otherwise: 0.03 }, seed });
  const panel = { ...sim.panel, source: 'simulated.csv' };
  const run = runFitOnPanel(panel, { states: 2, sharedSlopes: true, starts: 2, seed: 1 });
  return { fit: run.fit, panel };
}
