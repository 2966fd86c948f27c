import type { ModelSpec, NamedParameters } from '../estimation/spec.js';
import { createModel, type HmmModel } from '../model/hmmModel.js';
import { FormulaError, ModelError } from '../errors.js';
import { effectsFromProbabilities, type EffectsReport } from './effects.js';
import type { EffectsBasis } from './fitFile.js';
import { scenarioProbabilities, syntheticDesigns, syntheticHistory } from './scenarios.js';

export const DEFAULT_HORIZON = 30;

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

/**
 * The intervention-effect report of a fit: the hypothetical customer who complained in period 0,
 * with one intervention in period 0 versus none, other covariates at their sample means, starting
 * from the state mix of complaining customers; every figure by exact propagation over `horizon`
 * periods (default 30).
 */
export function computeEffects(fit: { spec: ModelSpec; parameters: NamedParameters; effectsBasis: EffectsBasis }, options: { horizon?: number } = {}): EffectsReport {
  const horizon = options.horizon ?? DEFAULT_HORIZON;
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new ModelError(`the horizon must be a whole number of periods >= 1, got ${horizon}`);
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
  const history = syntheticHistory(spec.voiceLabels, effectsBasis.covariateMeans, horizon);
  let designs;
  try {
    designs = syntheticDesigns(spec, history);
  } catch (e) {
    if (e instanceof FormulaError) {
      throw new ModelError(`the effects report evaluates the formulas on a customer whose covariates sit at their sample means, and one cannot be evaluated there: ${e.message}`);
    }
    throw e;
  }
  const model = modelWithParameters(spec, fit.parameters, designs, history.offsets);
  const probs = scenarioProbabilities(spec, designs, model.parts[1], model.parts[2], horizon);
  return effectsFromProbabilities(probs, effectsBasis.complaintStateMix, effectsBasis.complaintRows);
}
