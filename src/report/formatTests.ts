/** Text of `squeaky test`: the Wald and likelihood-ratio results as a statistician reads them. */
import type { LikelihoodRatioResult } from './likelihoodRatioOfFits.js';
import type { WaldTestResult } from './waldTest.js';

function num(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

function pText(p: number): string {
  return p < 0.0001 ? '< 0.0001' : num(p);
}

export function formatWaldText(r: WaldTestResult): string {
  const w = Math.max(9, ...r.parameters.map((p) => p.name.length));
  const lines = [
    `Wald test (${r.method} standard errors), H0: every parameter below is 0`,
    `  ${'parameter'.padEnd(w)}  ${'estimate'.padStart(10)}  ${'std. error'.padStart(10)}  ${'z'.padStart(7)}`,
    ...r.parameters.map((p) => `  ${p.name.padEnd(w)}  ${num(p.estimate).padStart(10)}  ${num(p.stdError).padStart(10)}  ${num(p.estimate / p.stdError, 2).padStart(7)}`),
    `chi-square ${num(r.statistic, 3)} on ${r.df} df, p ${pText(r.p)}`,
  ];
  return lines.join('\n') + '\n';
}

export function formatLikelihoodRatioText(r: LikelihoodRatioResult): string {
  const lines = [
    'Likelihood-ratio test, H0: the restricted model holds',
    `  full        ${r.full.file}: log-likelihood ${num(r.full.logLik)}, ${r.full.nParams} parameters`,
    `  restricted  ${r.restricted.file}: log-likelihood ${num(r.restricted.logLik)}, ${r.restricted.nParams} parameters`,
    `chi-square ${num(r.statistic, 3)} on ${r.df} df, p ${pText(r.p)}`,
  ];
  if (r.notes.length) lines.push('', 'Warnings', ...r.notes.map((n, i) => `${i + 1}. ${n}`));
  return lines.join('\n') + '\n';
}
