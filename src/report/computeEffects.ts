import type { ModelSpec, NamedParameters } from '../estimation/spec.js';
import type { Covariance } from '../estimation/inference/covariance.js';
import { createModel, type HmmModel } from '../model/hmmModel.js';
import { FormulaError, ModelError, UsageError } from '../errors.js';
import { assembleReport } from './effects.js';
import type { EffectsReport, PeriodLength } from './effectsTypes.js';
import { convergedBy, effectsFigures, LONG_RUN_TOLERANCE } from './effectsCore.js';
import { effectsIntervals } from './effectsIntervals.js';
import type { EffectsBasis } from './fitFile.js';
import { probabilitiesAtRows, scenarioRows, syntheticDesigns, syntheticHistory } from './scenarios.js';
import { designSettle, type Settle } from './settle.js';
import { samePeriodWarnings } from './samePeriodWarnings.js';
import { voiceModelFit } from './voiceModelFit.js';

export const DEFAULT_HORIZON = 30;
/** The most periods the report follows. */
export const MAX_HORIZON = 10_000;
/** Periods of the first settle check; doubled until the design rows settle or SETTLE_CAP. */
const SETTLE_START = 64;
const SETTLE_CAP = 1 << 17;

/** A model with the fit's parameters set, checking that the names match the spec's parameters exactly. */
export function modelWithParameters(spec: ModelSpec, parameters: NamedParameters, designs: Parameters<typeof createModel>[1], offsets: Int32Array): HmmModel {
  const model = createModel(spec, designs, offsets);
  const expected = model.getParameters().names;
  const given = parameters.names;
  if (expected.length !== given.length || expected.some((n, i) => n !== given[i])) {
    const i = expected.findIndex((n, j) => n !== given[j]);
    throw new ModelError(
      `the saved parameters do not match the model of the spec: expected ${expected.length} parameters, got ${given.length}` +
        (i >= 0 ? `; parameter ${i + 1} should be '${expected[i]}', got '${given[i] ?? '(none)'}'` : ''),
    );
  }
  model.setParameters(parameters.values);
  return model;
}

export interface EffectsOptions {
  /** Periods shown after the complaint (default 30; at most MAX_HORIZON, and at most 10x the period after which the report has converged, min 1000). */
  horizon?: number;
  /** Covariance of the parameters for the intervals (default: the fit's own `covariance`, if any). */
  covariance?: Covariance;
  /** Interval level (default 0.95). */
  level?: number;
}

/** What computeEffects reads from a fit. */
export interface EffectsFit {
  spec: ModelSpec;
  parameters: NamedParameters;
  effectsBasis: EffectsBasis;
  periodLength?: PeriodLength;
  covariance?: Covariance;
}

function designsFor(spec: ModelSpec, means: Record<string, number>, periods: number) {
  const history = syntheticHistory(spec.voiceLabels, means, periods);
  try {
    return { history, designs: syntheticDesigns(spec, history) };
  } catch (e) {
    if (e instanceof FormulaError) {
      throw new ModelError(`the effects report evaluates the formulas on a customer whose covariates sit at their sample means, and one cannot be evaluated there: ${e.message}`);
    }
    throw e;
  }
}

/**
 * The intervention-effect report of a fit: the hypothetical customer who complained in period 0,
 * with one intervention in period 0 versus none, other covariates at their sample means, starting
 * from the state mix of complaining customers; every figure by exact propagation, over `horizon`
 * periods (default 30) and in the long run (the series summed until the design rows settle, then
 * in closed form). With a covariance (options or the fit's), every figure gets its interval.
 */
export function computeEffects(fitIn: EffectsFit, options: EffectsOptions = {}): EffectsReport {
  const fit = voiceModelFit(fitIn);
  if (options.covariance !== undefined && fitIn.spec.formulas.selection !== undefined) options = { ...options, covariance: voiceModelFit({ ...fitIn, covariance: options.covariance }).covariance };
  const H = options.horizon ?? DEFAULT_HORIZON;
  if (!(Number.isInteger(H) && H >= 1)) throw new UsageError(`--horizon must be a whole number of periods >= 1, got ${H}`);
  const { spec, effectsBasis } = fit;
  // scale() standardises over the rows it is evaluated on; on the hypothetical customer that would
  // not reproduce the panel's standardisation, so the report refuses rather than guess.
  for (const block of ['initial', 'transition', 'emission'] as const) {
    if (/\bscale\s*\(/.test(spec.formulas[block])) {
      throw new ModelError(
        `the effects report holds covariates at their sample means, where the ${block} formula's scale() cannot be reproduced without the panel (${spec.formulas[block]}); add the standardised covariate to the panel as a column instead`,
      );
    }
  }
  // Follow the customer until the design rows stop changing (the intervention's lags and stocks have died out).
  let periods = SETTLE_START;
  let built = designsFor(spec, effectsBasis.covariateMeans, periods);
  let settle: Settle = designSettle(built.designs, periods);
  while (settle.kind === 'moving' && periods < SETTLE_CAP) {
    periods *= 2;
    built = designsFor(spec, effectsBasis.covariateMeans, periods);
    settle = designSettle(built.designs, periods);
  }
  const settled = settle.kind === 'settled';
  const unsettledReason =
    settle.kind === 'permanent'
      ? settle.reason
      : settle.kind === 'moving'
        ? `the formulas' terms (e.g. '${settle.term}') still change ${periods} periods after the complaint (a trend, or a stock that decays very slowly)`
        : undefined;
  const startMix = effectsBasis.complaintStateMix;
  let model = modelWithParameters(spec, fit.parameters, built.designs, built.history.offsets);
  // Once settled, the rows of period settle.after + 1 hold for good: the probabilities are computed up to it.
  let rows = scenarioRows(built.designs, periods, settle.kind === 'settled' ? settle.after + 1 : periods);
  const figuresAt = (theta: Float64Array, horizon: number) => {
    model.setParameters(theta);
    const probs = probabilitiesAtRows(spec, rows, model.parts[1], model.parts[2]);
    return { probs, result: effectsFigures({ probs, startMix, horizon, settled, unsettledReason }) };
  };

  // Where the report has converged, from the point estimate over the settled periods.
  let converged: number | undefined;
  if (settled) {
    const pre = figuresAt(fit.parameters.values, Math.min(H, rows.horizon));
    if (pre.result.figures.longRun !== undefined) converged = convergedBy(spec.nStates, pre.probs, pre.result, rows.horizon);
  }
  if (converged !== undefined) {
    const limit = Math.min(MAX_HORIZON, Math.max(1000, 10 * converged));
    if (H > limit) {
      throw new UsageError(
        `--horizon ${H} is far past where the report has converged: every per-period effect is below ${LONG_RUN_TOLERANCE} after period ${converged}, and the long-run total, printed at every horizon, is their sum; use --horizon ${limit} or less`,
      );
    }
  }
  if (H > MAX_HORIZON) throw new UsageError(`--horizon ${H} is more than the report follows (at most ${MAX_HORIZON} periods)`);
  if (!settled && periods !== H) {
    // No long run: follow the customer exactly for the horizon.
    periods = H;
    built = designsFor(spec, effectsBasis.covariateMeans, periods);
    model = modelWithParameters(spec, fit.parameters, built.designs, built.history.offsets);
    rows = scenarioRows(built.designs, periods);
  }
  const { probs, result } = figuresAt(fit.parameters.values, H);
  const cov = options.covariance ?? fit.covariance;
  const intervals = cov ? effectsIntervals((theta) => figuresAt(theta, H).result.figures, fit.parameters, cov, options.level ?? 0.95) : undefined;
  model.setParameters(fit.parameters.values);
  return assembleReport(probs, result, {
    horizon: H,
    startMix,
    complaintRows: effectsBasis.complaintRows,
    periodLength: fit.periodLength,
    settledAfter: settled ? rows.horizon : undefined,
    convergedBy: converged,
    intervals,
    warnings: samePeriodWarnings(spec),
  });
}
