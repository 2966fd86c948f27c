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
  /** Latent classes of customers (a mixture of models); absent = one class (see mixtureModel.ts). */
  classes?: ClassSpec;
}

/** A mixture of `count` >= 2 models: class membership a multinomial logit on customer-level columns. */
export interface ClassSpec {
  count: number;
  /** Membership formula (customer-level columns, constant within each customer), e.g. '~ 1', '~ followers'. */
  formula: string;
  /** Blocks with their own parameters in every class (the others are shared by all classes), in block order. */
  specific: ('initial' | 'transition' | 'emission')[];
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
  /**
   * Contiguous block ranges within `values`, in order initial, transition, emission (, selection);
   * with classes in the order of mixtureModel.ts, class blocks with their 1-based `class`, then
   * `membership`.
   */
  blocks: { block: 'initial' | 'transition' | 'emission' | 'selection' | 'membership'; start: number; length: number; class?: number }[];
}
