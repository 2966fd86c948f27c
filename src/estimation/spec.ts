/** What the user asks to fit. Plain data: saved verbatim in fit.json. */
export interface ModelSpec {
  /** Number of relationship states K (>= 1). State 1 = worst. */
  nStates: number;
  /** Voice category labels, in index order (the panel's voiceLabels). */
  voiceLabels: string[];
  /** Reference voice category of the emission logits (coefficients fixed at 0). */
  referenceVoice: string;
  formulas: {
    initial: string;
    transition: string;
    emission: string;
    /**
     * The firm's selection model (optional; absent = interventions are inputs only): a logit of
     * the period's intervention with a state-specific intercept plus these terms, which may read
     * this period's voice (voice_<label> columns) and the customer's history, not this period's
     * intervention or later periods.
     */
    selection?: string;
  };
  transitionType: 'multinomial' | 'ordered';
  /** Emission covariate slopes shared across states (intercepts stay state-specific). */
  sharedSlopes: boolean;
}

export const DEFAULT_FORMULAS = {
  initial: '~ 1',
  transition: '~ lag(intervention)',
  emission: '~ stock(intervention, 0.8)',
} as const;

/** One flat, named parameter vector: the single source for tables, counts, IC, SEs and saved fits. */
export interface NamedParameters {
  names: string[];
  values: Float64Array;
  /** Contiguous block ranges within `values`, in order initial, transition, emission (, selection). */
  blocks: { block: 'initial' | 'transition' | 'emission' | 'selection'; start: number; length: number }[];
}
