/**
 * The intervention-effect report (effects.json) and its parts.
 *
 * The report follows a hypothetical customer who complained in period 0, once with one
 * intervention in period 0 and once without, no intervention afterwards, other covariates at their
 * sample means. Period h = 1, 2, ... counts the periods after the complaint. Four scenarios
 * separate the channels:
 *   none             = transitions and voice probabilities without the intervention
 *   relationshipOnly = intervened transitions, non-intervened voice probabilities
 *   propensityOnly   = non-intervened transitions, intervened voice probabilities
 *   both             = intervened transitions and voice probabilities (the "with intervention" arm)
 * and each channel's effect is a scenario minus `none`:
 *   relationship = relationshipOnly - none, propensity = propensityOnly - none, net = both - none,
 *   interaction  = net - relationship - propensity (so the four add up exactly).
 *
 * Numbers are plain JSON numbers. Interval bounds that cannot be computed are NaN in memory and
 * null in effects.json (they do not occur unless a figure itself is not finite). Fields that do
 * not apply (e.g. the long-run totals when there are none) are absent, never null.
 */

export type ScenarioName = 'none' | 'relationshipOnly' | 'propensityOnly' | 'both';
export const SCENARIOS: readonly ScenarioName[] = ['none', 'relationshipOnly', 'propensityOnly', 'both'];

export type ChannelName = 'relationship' | 'propensity' | 'net' | 'interaction';
export const CHANNELS: readonly ChannelName[] = ['relationship', 'propensity', 'net', 'interaction'];

export interface Moves {
  up: number;
  stay: number;
  down: number;
}

/** Expected voice counts, by voice label. */
export type VoiceCounts = Record<string, number>;

export interface ChannelEffect {
  /** Relationship channel alone: intervened transitions, non-intervened voice probabilities. */
  relationship: number;
  /** Propensity channel alone: non-intervened transitions, intervened voice probabilities. */
  propensity: number;
  /** Both channels together. */
  net: number;
  /** net - relationship - propensity (the channels' interaction). */
  interaction: number;
}

/** Length of one period of the panel, when known (the panel was made by `squeaky prepare`, or `fit --period-length`). */
export interface PeriodLength {
  /** As given to prepare: 'day', 'week' or `${n}h`. */
  spec: string;
  /** Hours per period. */
  hours: number;
}

/** A 95% interval of one figure: delta method, or percentiles over bootstrap replicates. */
export interface IntervalBounds {
  low: number;
  high: number;
  /** Standard error (delta method) or standard deviation over the replicates. */
  se: number;
}

/** Intervals of a series: element h - 1 belongs to period h (same indexing as the series). */
export interface SeriesBounds {
  low: number[];
  high: number[];
  se: number[];
}

/**
 * The report over time. Every series has one element per period h = 1..horizon (index h - 1).
 * expected[s][v][h-1]          = P(voice v in period h) in scenario s (an expected count per customer)
 * cumulative[s][v][h-1]        = expected[s][v][0] + ... + expected[s][v][h-1]
 * effects[v][c][h-1]           = per-period effect of channel c on voice v (scenario minus none)
 * cumulativeEffects[v][c][h-1] = running sum of effects[v][c]; at h = horizon it equals net.effects
 * stateShares.without[k][h-1]  = P(state k+1 in period h) without intervention (scenario none, also
 *                                propensityOnly); .with = with the intervention's transitions (both,
 *                                relationshipOnly)
 */
export interface OverTime {
  /** 1..horizon. */
  periods: number[];
  expected: Record<ScenarioName, Record<string, number[]>>;
  cumulative: Record<ScenarioName, Record<string, number[]>>;
  effects: Record<string, Record<ChannelName, number[]>>;
  cumulativeEffects: Record<string, Record<ChannelName, number[]>>;
  stateShares: { without: number[][]; with: number[][] };
}

/**
 * The long-run total: the limit of the cumulative effects as the horizon grows,
 * sum over h = 1, 2, ... of each per-period effect. It exists when the intervention's effect dies
 * out (the chain forgets its start and the lag and stock terms return to their no-intervention
 * values); the totals of the scenarios themselves grow without bound, only their differences
 * converge.
 */
export interface LongRun {
  exists: boolean;
  /** Why the long-run total does not exist or could not be computed (only when exists is false). */
  reason?: string;
  /** Per voice, the long-run total of each channel (absent when it does not exist). */
  effects?: Record<string, ChannelEffect>;
  /**
   * How it was computed: the per-period series summed exactly up to `settledAfter` (from then on the
   * transition and voice probabilities no longer depend on the intervention), plus the rest of the
   * series in closed form (fundamental matrix of the settled transition matrix).
   */
  settledAfter?: number;
  /**
   * The period after which every per-period effect stays below `tolerance` in absolute value, by
   * propagating the series (absent when there is no long run, or the series does not get there within the cap).
   */
  convergedBy?: number;
  tolerance: number;
}

/**
 * Probabilities of the hypothetical customer for the periods after the complaint, with and
 * without one intervention in the complaint period (period 0):
 *   transition row-major [h*K*K + i*K + j]: P(state j in period h+1 | state i in period h)
 *   emission   row-major [h*K*V + k*V + v]: P(voice v in period h+1 | state k)
 * for h = 0..horizon-1 (`horizon` = the periods computed).
 */
export interface ScenarioProbabilities {
  nStates: number;
  voiceLabels: string[];
  horizon: number;
  transition: { without: Float64Array; with: Float64Array };
  emission: { without: Float64Array; with: Float64Array };
}

/**
 * Every figure of the report, with each single figure of type L and each per-period series of
 * type S: the report holds Figures<number, number[]> (spread over its parts) and its intervals
 * Figures<IntervalBounds, SeriesBounds>, in the same shape.
 */
export interface Figures<L, S> {
  relationship: {
    moves: { state: number; without: Record<keyof Moves, L>; with: Record<keyof Moves, L> }[];
    longRunWithout: L[];
    longRunWith: L[];
  };
  propensity: { emissionWithout: L[][]; emissionWith: L[][] };
  net: {
    scenarios: Record<ScenarioName, Record<string, L>>;
    effects: Record<string, Record<ChannelName, L>>;
  };
  overTime: {
    expected: Record<ScenarioName, Record<string, S>>;
    cumulative: Record<ScenarioName, Record<string, S>>;
    effects: Record<string, Record<ChannelName, S>>;
    cumulativeEffects: Record<string, Record<ChannelName, S>>;
    /** stateShares.without[k] = the series of state k+1's share. */
    stateShares: { without: S[]; with: S[] };
  };
  /** Long-run totals per voice and channel (absent when the long-run total does not exist). */
  longRun?: Record<string, Record<ChannelName, L>>;
}

/**
 * 95% intervals of every figure (present only when the fit has a covariance), in the shape of
 * the figures: e.g. intervals.overTime.cumulativeEffects.complaint.net.low[h-1] is the lower
 * bound of the cumulative net effect on complaints over periods 1..h.
 */
export interface EffectsIntervals extends Figures<IntervalBounds, SeriesBounds> {
  /** delta: delta method with a central-difference Jacobian of the report; bootstrap: percentiles over the fit's replicates. */
  method: 'delta' | 'bootstrap';
  level: number;
  /** Method of the fit's covariance (observed, robust or bootstrap). */
  covariance: string;
  /** Bootstrap replicates used (bootstrap only). */
  replicates?: number;
  /** Caveats (e.g. parameters without a standard error held fixed). */
  notes: string[];
}

/** The intervention-effect report (effects.json). */
export interface EffectsReport {
  /** Periods shown after the complaint (`--horizon`). */
  horizon: number;
  /** Length of one period when known; the text states horizons in that unit. */
  periodLength?: PeriodLength;
  nStates: number;
  voiceLabels: string[];
  /** State distribution in the complaint period the propagation starts from. */
  startMix: number[];
  /** How many complaint rows of the data the start mix averages over (0: there were none, and the mix averages over all rows). */
  complaintRows: number;
  relationship: {
    /** Next-period (period 1) transition matrices [from][to], without and with the intervention. */
    transitionWithout: number[][];
    transitionWith: number[][];
    /** Per origin state: probability of moving up (to a better state), staying, moving down in period 1. */
    moves: { state: number; without: Moves; with: Moves }[];
    /** Long-run share of customers in each state without interventions (stationary distribution of the no-intervention matrix). */
    longRunWithout: number[];
    /**
     * Long-run share if the firm intervened in every period: the stationary distribution of the
     * period-1 with-intervention matrix applied every period. (One intervention leaves the long-run
     * share where it is, longRunWithout; see overTime.stateShares for its path.)
     */
    longRunWith: number[];
  };
  propensity: {
    /** Next-period (period 1) voice probabilities [state][voice], without and with the intervention's effect on voice. */
    emissionWithout: number[][];
    emissionWith: number[][];
  };
  net: {
    /** Expected counts of each voice over periods 1..horizon in the four scenarios. */
    scenarios: Record<ScenarioName, VoiceCounts>;
    /** Differences from the no-intervention scenario over periods 1..horizon, per voice. */
    effects: Record<string, ChannelEffect>;
  };
  overTime: OverTime;
  longRun: LongRun;
  /** Present when the fit has a covariance. */
  intervals?: EffectsIntervals;
  /** Warnings about the model that bear on the report (e.g. a same-period intervention term). */
  warnings: string[];
  /** The headline in plain words (uses the long-run totals when they exist, with the value at the horizon next to them). */
  summary: string[];
}
