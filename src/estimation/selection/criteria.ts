/**
 * Information criteria for choosing the number of states.
 *   AIC            = -2 LL + 2 p
 *   BIC (voices)   = -2 LL + p ln(n_voices), n = observed voices (rows with a non-missing voice)
 *   BIC (customers)= -2 LL + p ln(n_customers)
 *   ICL            = BIC (voices) + 2 EN (Biernacki, Celeux & Govaert 2000), EN the classification
 *                    entropy: for a hidden Markov model the entropy of the posterior distribution
 *                    of each customer's state path given the voices, summed over customers
 *                    (pathEntropy in fit.ts), i.e. -2 x the expected complete-data log-likelihood
 *                    enters in place of -2 LL.
 * Smaller is better for all four.
 */

export const CRITERIA = ['aic', 'bicVoices', 'bicCustomers', 'icl'] as const;
export type Criterion = (typeof CRITERIA)[number];

/** How each criterion is labelled in tables and text. */
export const CRITERION_LABELS: Record<Criterion, string> = {
  aic: 'AIC',
  bicVoices: 'BIC (n = voices)',
  bicCustomers: 'BIC (n = customers)',
  icl: 'ICL (BIC n = voices)',
};

export interface InformationCriteria {
  aic: number;
  bicVoices: number;
  bicCustomers: number;
  icl: number;
  /** The classification entropy EN of the ICL (posterior state-path entropy). */
  entropy: number;
}

export function informationCriteria(fit: { logLik: number; nParams: number; observations: number; customers: number; entropy: number }): InformationCriteria {
  const dev = -2 * fit.logLik;
  const bicVoices = dev + fit.nParams * Math.log(fit.observations);
  return {
    aic: dev + 2 * fit.nParams,
    bicVoices,
    bicCustomers: dev + fit.nParams * Math.log(fit.customers),
    icl: bicVoices + 2 * fit.entropy,
    entropy: fit.entropy,
  };
}

/** Index of the row each criterion picks (the smallest finite value; ties: the first, i.e. the simpler model when rows go up in K). -1 when none is finite. */
export function criterionPicks(rows: readonly InformationCriteria[]): Record<Criterion, number> {
  const out = {} as Record<Criterion, number>;
  for (const c of CRITERIA) {
    let best = -1;
    rows.forEach((r, i) => {
      if (Number.isFinite(r[c]) && (best < 0 || r[c] < rows[best][c])) best = i;
    });
    out[c] = best;
  }
  return out;
}
