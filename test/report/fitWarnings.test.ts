import { describe, it, expect } from 'vitest';
import { fitWarnings } from '../../src/report/fitWarnings.js';
import { effectsFromProbabilities } from '../../src/report/effects.js';
import { formatFitSummary } from '../../src/report/fitSummary.js';
import { parameterTable } from '../../src/report/parameterTable.js';
import { fixedFit } from './fixedFit.js';

function effectsWith(trans: number[], emis: number[]) {
  return effectsFromProbabilities(
    { nStates: 2, voiceLabels: ['complaint', 'neutral'], horizon: 1, transition: { without: Float64Array.from(trans), with: Float64Array.from(trans) }, emission: { without: Float64Array.from(emis), with: Float64Array.from(emis) } },
    [0.5, 0.5],
  );
}

describe('fitWarnings', () => {
  const base = { warnings: [], converged: true, status: 'converged', logLik: -100, bestStart: 0 };

  it('is silent for a clean fit whose starts agree', () => {
    const starts = [
      { index: 0, kind: 'data' as const, logLik: -100, iterations: 10, converged: true },
      { index: 1, kind: 'random' as const, logLik: -100.2, iterations: 12, converged: true },
    ];
    expect(fitWarnings({ ...base, starts }, effectsWith([0.9, 0.1, 0.2, 0.8], [0.3, 0.7, 0.1, 0.9]))).toEqual([]);
  });

  it('flags non-convergence, a lone best start and near-boundary probabilities, in that order', () => {
    const starts = [
      { index: 0, kind: 'data' as const, logLik: -130, iterations: 10, converged: true },
      { index: 1, kind: 'random' as const, logLik: -100, iterations: 500, converged: false },
      { index: 2, kind: 'random' as const, logLik: -Infinity, iterations: 0, converged: false },
    ];
    const w = fitWarnings({ ...base, converged: false, status: 'stopped after 500 iterations', starts, warnings: ['log-likelihood fell at iteration 7'] }, effectsWith([1 - 1e-7, 1e-7, 0.2, 0.8], [0.3, 0.7, 2e-6, 1 - 2e-6]));
    expect(w[0]).toBe('log-likelihood fell at iteration 7');
    expect(w[1]).toBe('EM did not converge: stopped after 500 iterations');
    expect(w[2]).toMatch(/^only start 2 \(random\) reached the best log-likelihood -100\.00; the next best start reached -130\.00 \(30\.00 lower\)/);
    expect(w[3]).toMatch(/^transition from state 1 to 2: probability 1\.0e-7/);
    expect(w[4]).toMatch(/^emission in state 2: P\(complaint\) = 2\.0e-6/);
    expect(w.length).toBe(5);
  });
});

describe('fitWarnings and screened starts', () => {
  it('does not compare starts stopped after screening with the best one', () => {
    const starts = [
      { index: 0, kind: 'data' as const, logLik: -100, iterations: 60, converged: true },
      { index: 1, kind: 'random' as const, logLik: -300, iterations: 5, converged: false, screened: true },
      { index: 2, kind: 'random' as const, logLik: -320, iterations: 5, converged: false, screened: true },
    ];
    expect(fitWarnings({ ...base(), starts })).toEqual([]);
    // the same starts run to the end would be evidence of several optima
    const finished = starts.map((s) => ({ ...s, screened: false, converged: true }));
    expect(fitWarnings({ ...base(), starts: finished })[0]).toMatch(/^only start 1 \(data\) reached the best log-likelihood -100\.00/);
  });
});

function base() {
  return { warnings: [] as string[], converged: true, status: 'converged', logLik: -100, bestStart: 0 };
}

describe('fit summary', () => {
  it('shows the header, the table, the baseline matrices, the numbered warnings and the report', () => {
    const fit = fixedFit();
    const effects = effectsWith([0.9, 0.1, 0.2, 0.8], [0.3, 0.7, 0.1, 0.9]);
    const text = formatFitSummary(fit, parameterTable(fit, { warnings: ['w one', 'w two'] }), effects);
    const order = ['Log-likelihood -1234.5678', 'Starts (2; kept 1)', 'Transition from state 1', 'Baseline probabilities', '  state 1    0.9000   0.1000', '  state 2    0.2000   0.8000', 'Warnings\n1. w one\n2. w two', 'Intervention effects'];
    let at = -1;
    for (const s of order) {
      const i = text.indexOf(s);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
  });
});

describe('fitWarnings does not repeat what the fit already says', () => {
  it('keeps the estimation layer\'s start and boundary warnings and adds no copies', () => {
    const starts = [
      { index: 0, kind: 'data' as const, logLik: -100, iterations: 10, converged: true },
      { index: 1, kind: 'random' as const, logLik: -130, iterations: 10, converged: true },
    ];
    const own = ['only start 1 of 2 reached the best log-likelihood -100.000 (next best -130.000): consider more starts', '1 transition probability is within 0.000001 of 0 or 1: estimates near the boundary are unreliable'];
    const w = fitWarnings({ warnings: own, converged: true, status: 'converged', logLik: -100, bestStart: 0, starts }, effectsWith([1 - 1e-7, 1e-7, 0.2, 0.8], [0.3, 0.7, 0.1, 0.9]));
    expect(w).toEqual(own);
  });
});
