import { chiSquareSf } from './distributions.js';

export interface LikelihoodRatioTest {
  statistic: number;
  df: number;
  p: number;
}

/** Likelihood-ratio test of a restricted model nested in a full one: 2 (LL_full - LL_restricted) against chi-square(df). */
export function likelihoodRatioTest(logLikFull: number, logLikRestricted: number, df: number): LikelihoodRatioTest {
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`the degrees of freedom must be a whole number >= 1, got ${df}`);
  // A restricted fit can end a hair above the full one (both are numerical maxima): clamp at 0.
  const statistic = Math.max(0, 2 * (logLikFull - logLikRestricted));
  return { statistic, df, p: chiSquareSf(statistic, df) };
}
