import type { FitResult } from '../estimation/fitTypes.js';
import type { EffectsReport } from './effects.js';

/** Probabilities below this at baseline covariates are flagged as near the boundary. */
export const BOUNDARY_PROBABILITY = 1e-5;

/**
 * The numbered warnings footer: the fit's own warnings, then non-convergence, a start far better
 * than the rest (the likelihood has several optima and the search may have missed better ones),
 * and near-boundary baseline probabilities (their coefficients are poorly determined).
 */
export function fitWarnings(fit: Pick<FitResult, 'warnings' | 'converged' | 'status' | 'starts' | 'bestStart' | 'logLik'>, effects?: EffectsReport): string[] {
  const out = [...fit.warnings];
  if (!fit.converged && !out.some((w) => /converge/i.test(w))) out.push(`EM did not converge: ${fit.status}`);
  // The estimation layer may already warn about starts or boundary probabilities: no second copy.
  const saysStarts = out.some((w) => /best log-likelihood|local optima|more starts/i.test(w));
  const saysBoundary = out.some((w) => /boundary/i.test(w));
  // A start stopped after screening never ran to its optimum: its log-likelihood says nothing about local optima.
  const finite = fit.starts.filter((s) => Number.isFinite(s.logLik) && !s.screened).sort((x, y) => y.logLik - x.logLik);
  if (finite.length >= 2 && !saysStarts) {
    const best = finite[0];
    const next = finite[1];
    const gap = best.logLik - next.logLik;
    if (gap > 1) {
      out.push(
        `only start ${best.index + 1} (${best.kind}) reached the best log-likelihood ${best.logLik.toFixed(2)}; the next best start reached ${next.logLik.toFixed(2)} (${gap.toFixed(2)} lower): the likelihood has several optima, so try more --starts`,
      );
    }
  }
  if (effects && !saysBoundary) {
    effects.relationship.transitionWithout.forEach((row, i) =>
      row.forEach((p, j) => {
        if (p < BOUNDARY_PROBABILITY) out.push(`transition from state ${i + 1} to ${j + 1}: probability ${p.toExponential(1)} at baseline covariates (near the boundary; its coefficients are poorly determined)`);
      }),
    );
    effects.propensity.emissionWithout.forEach((row, k) =>
      row.forEach((p, v) => {
        if (p < BOUNDARY_PROBABILITY) out.push(`emission in state ${k + 1}: P(${effects.voiceLabels[v]}) = ${p.toExponential(1)} at baseline covariates (near the boundary; its coefficients are poorly determined)`);
      }),
    );
  }
  return out;
}
