/**
 * Coverage study of the report's 95% intervals (a benchmark's worker job): panels simulated from a
 * known truth, fitted from the truth, observed covariance, then whether each selected figure's
 * interval contains the figure of the true model (computed from the true parameters and the true
 * state mix of complaining customers, as coverageStudy.ts does for the net effect).
 */
import { simulate } from '../estimation/simulate.js';
import { fit } from '../estimation/fit.js';
import { observedCovariance } from '../estimation/inference/observedCovariance.js';
import type { NamedParameters } from '../estimation/spec.js';
import { computeEffects } from './computeEffects.js';
import type { EffectsReport, IntervalBounds } from './effectsTypes.js';
import { trueComplaintBasis, type CoverageDesign } from './coverageStudy.js';
import { effectsBasis } from './runFit.js';

/** The design of coverageStudy.ts without its net-effect fields (fits here always start from the truth). */
export type EffectsCoverageDesign = Omit<CoverageDesign, 'trueNet' | 'startAtTruth'>;

/** The figures checked: name, and how to read it from a report and from its intervals. */
export const COVERED: { name: string; value: (r: EffectsReport) => number; bounds: (r: EffectsReport) => IntervalBounds }[] = [
  { name: 'long-run net complaint', value: (r) => r.longRun.effects!.complaint.net, bounds: (r) => r.intervals!.longRun!.complaint.net },
  { name: 'long-run relationship complaint', value: (r) => r.longRun.effects!.complaint.relationship, bounds: (r) => r.intervals!.longRun!.complaint.relationship },
  { name: 'long-run propensity complaint', value: (r) => r.longRun.effects!.complaint.propensity, bounds: (r) => r.intervals!.longRun!.complaint.propensity },
  { name: 'long-run net compliment', value: (r) => r.longRun.effects!.compliment.net, bounds: (r) => r.intervals!.longRun!.compliment.net },
  { name: 'net complaint at horizon', value: (r) => r.net.effects.complaint.net, bounds: (r) => r.intervals!.net.effects.complaint.net },
  { name: 'interaction complaint at horizon', value: (r) => r.net.effects.complaint.interaction, bounds: (r) => r.intervals!.net.effects.complaint.interaction },
  { name: 'state 1 up with intervention', value: (r) => r.relationship.moves[0].with.up, bounds: (r) => r.intervals!.relationship.moves[0].with.up },
  { name: 'long-run share of state 1 without', value: (r) => r.relationship.longRunWithout[0], bounds: (r) => r.intervals!.relationship.longRunWithout[0] },
  { name: 'P(complaint | state 1) with', value: (r) => r.propensity.emissionWith[0][r.voiceLabels.indexOf('complaint')], bounds: (r) => r.intervals!.propensity.emissionWith[0][r.voiceLabels.indexOf('complaint')] },
];

function named(d: EffectsCoverageDesign, values: number[]): NamedParameters {
  return { names: d.truth.names, values: Float64Array.from(values), blocks: [] };
}

/** The true figures: the report at the true parameters from the true state mix of complaint rows of a large simulated panel. */
export function trueFigures(d: EffectsCoverageDesign, customers: number, seed: number): number[] {
  const sim = simulate(d.spec, named(d, d.truth.values), { customers, periods: d.periods, policy: d.policy, seed });
  const basis = trueComplaintBasis(sim, d.spec.nStates);
  const r = computeEffects({ spec: d.spec, parameters: named(d, d.truth.values), effectsBasis: basis }, { horizon: d.horizon });
  return COVERED.map((c) => c.value(r));
}

/** One replicate: per covered figure, [estimate, low, high]. */
export function effectsCoverageReplicate(payload: { seed: number }, d: EffectsCoverageDesign & { trueValues: number[] }): number[][] {
  const truth = named(d, d.truth.values);
  const { panel } = simulate(d.spec, truth, { customers: d.customers, periods: d.periods, policy: d.policy, seed: payload.seed });
  const res = fit(panel, d.spec, { startParams: truth, starts: 0 });
  const covariance = observedCovariance(panel, d.spec, res.parameters);
  const r = computeEffects({ spec: d.spec, parameters: res.parameters, effectsBasis: effectsBasis(panel, d.spec, res.parameters) }, { horizon: d.horizon, covariance });
  return COVERED.map((c) => {
    const b = c.bounds(r);
    return [c.value(r), b.low, b.high];
  });
}
