import { effectsFigures, LONG_RUN_TOLERANCE, type FiguresResult } from './effectsCore.js';
import { headline } from './effectsHeadline.js';
import type { EffectsIntervals, EffectsReport, PeriodLength, ScenarioProbabilities } from './effectsTypes.js';

export type {
  ChannelEffect,
  ChannelName,
  EffectsIntervals,
  EffectsReport,
  Figures,
  IntervalBounds,
  LongRun,
  Moves,
  OverTime,
  PeriodLength,
  ScenarioName,
  ScenarioProbabilities,
  SeriesBounds,
  VoiceCounts,
} from './effectsTypes.js';
export { CHANNELS, SCENARIOS } from './effectsTypes.js';
export { formatEffectsText } from './effectsText.js';

/** What the report says besides its figures. */
export interface ReportContext {
  horizon: number;
  startMix: ArrayLike<number>;
  complaintRows: number;
  periodLength?: PeriodLength;
  /** Last period of the series summed exactly before the closed-form tail (undefined: no long run). */
  settledAfter?: number;
  convergedBy?: number;
  intervals?: EffectsIntervals;
  warnings?: string[];
}

/** The report (effects.json) from the figures of the point estimate and what surrounds them. */
export function assembleReport(probs: ScenarioProbabilities, result: FiguresResult, ctx: ReportContext): EffectsReport {
  const f = result.figures;
  const H = ctx.horizon;
  const report: EffectsReport = {
    horizon: H,
    ...(ctx.periodLength ? { periodLength: ctx.periodLength } : {}),
    nStates: probs.nStates,
    voiceLabels: [...probs.voiceLabels],
    startMix: Array.from(ctx.startMix),
    complaintRows: ctx.complaintRows,
    relationship: {
      transitionWithout: f.relationship.moves.map((_, i) => Array.from(probs.transition.without.subarray(i * probs.nStates, (i + 1) * probs.nStates))),
      transitionWith: f.relationship.moves.map((_, i) => Array.from(probs.transition.with.subarray(i * probs.nStates, (i + 1) * probs.nStates))),
      moves: f.relationship.moves,
      longRunWithout: f.relationship.longRunWithout,
      longRunWith: f.relationship.longRunWith,
    },
    propensity: f.propensity,
    net: f.net,
    overTime: { periods: Array.from({ length: H }, (_, h) => h + 1), ...f.overTime },
    longRun: {
      exists: f.longRun !== undefined,
      ...(f.longRun === undefined ? { reason: result.longRunReason ?? 'not computed' } : {}),
      effects: f.longRun,
      settledAfter: f.longRun === undefined ? undefined : ctx.settledAfter,
      convergedBy: f.longRun === undefined ? undefined : ctx.convergedBy,
      tolerance: LONG_RUN_TOLERANCE,
    },
    ...(ctx.intervals ? { intervals: ctx.intervals } : {}),
    warnings: ctx.warnings ?? [],
    summary: [],
  };
  report.summary = headline(report);
  return report;
}

/**
 * The report from scenario probabilities covering exactly the horizon and the start mix, by exact
 * propagation of state distributions (no simulation). Scenarios: none = (without, without);
 * relationship only = (with transitions, without emissions); propensity only = (without, with);
 * both = (with, with). Without knowing that the probabilities have settled it computes no
 * long-run total (computeEffects does).
 */
export function effectsFromProbabilities(probs: ScenarioProbabilities, startMix: ArrayLike<number>, complaintRows = 0): EffectsReport {
  const result = effectsFigures({ probs, startMix, horizon: probs.horizon, settled: false, unsettledReason: 'not computed from probabilities given for the horizon alone' });
  return assembleReport(probs, result, { horizon: probs.horizon, startMix, complaintRows });
}
