import type { Panel } from '../data/panel.js';
import type { Design } from '../data/design.js';
import type { ModelSpec } from '../estimation/spec.js';
import { buildDesign } from '../data/formula.js';
import type { ScenarioProbabilities } from './effects.js';
import { columnRecord } from '../data/panel.js';

/** Periods of history before the complaint, so that lags and stocks of covariates settle at their means. */
export const BURN_IN = 100;

/** What the report needs from a model: probabilities at arbitrary design rows (SubModel.probabilitiesFor). */
export interface ProbabilitySource {
  nGroups: number;
  nOut: number;
  probabilitiesFor(rows: Float64Array, nPatterns: number, out: Float64Array): void;
}

/**
 * The report's hypothetical customer as a two-customer panel: customer 0 'without' and customer 1
 * 'with' an intervention in the complaint period. Each has BURN_IN quiet periods (no intervention,
 * voice missing), the complaint period (row BURN_IN), then `horizon` periods (no intervention,
 * voice missing). Every other numeric column is held at its sample mean throughout.
 */
export function syntheticHistory(voiceLabels: string[], covariateMeans: Record<string, number>, horizon: number): Panel {
  const n = BURN_IN + 1 + horizon;
  const complaint = voiceLabels.indexOf('complaint');
  const period = new Int32Array(2 * n);
  const voice = new Int32Array(2 * n).fill(-1);
  const intervention = new Float64Array(2 * n);
  for (let c = 0; c < 2; c++) {
    for (let t = 0; t < n; t++) period[c * n + t] = t;
    voice[c * n + BURN_IN] = complaint;
  }
  intervention[n + BURN_IN] = 1;
  const columns = columnRecord({ intervention });
  for (const [name, mean] of Object.entries(covariateMeans)) {
    if (name !== 'intervention') columns[name] = new Float64Array(2 * n).fill(mean);
  }
  return { customers: ['without', 'with'], offsets: Int32Array.from([0, n, 2 * n]), period, voice, voiceLabels: [...voiceLabels], columns, source: 'hypothetical customer of the effects report' };
}

/** Designs of the synthetic history for the three sub-models (formulas as in the spec). */
export function syntheticDesigns(spec: ModelSpec, history: Panel): { initial: Design; transition: Design; emission: Design } {
  return {
    initial: buildDesign(history, spec.formulas.initial),
    transition: buildDesign(history, spec.formulas.transition),
    emission: buildDesign(history, spec.formulas.emission),
  };
}

function rowsAfterComplaint(d: Design, customer: number, horizon: number): Float64Array {
  const nCols = d.names.length;
  const n = BURN_IN + 1 + horizon;
  const first = customer * n + BURN_IN + 1;
  return d.values.slice(first * nCols, (first + horizon) * nCols);
}

/**
 * Transition and emission probabilities of periods 1..horizon after the complaint, without and
 * with the intervention, from the sub-models' probabilitiesFor at the synthetic design rows.
 */
export function scenarioProbabilities(
  spec: ModelSpec,
  designs: { transition: Design; emission: Design },
  transition: ProbabilitySource,
  emission: ProbabilitySource,
  horizon: number,
): ScenarioProbabilities {
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  if (!(Number.isInteger(horizon) && horizon >= 1)) throw new RangeError(`horizon must be an integer >= 1, got ${horizon}`);
  if (transition.nGroups !== K || transition.nOut !== K) throw new RangeError(`transition model is ${transition.nGroups}x${transition.nOut}, expected ${K}x${K}`);
  if (emission.nGroups !== K || emission.nOut !== V) throw new RangeError(`emission model is ${emission.nGroups}x${emission.nOut}, expected ${K}x${V}`);
  const probs = (src: ProbabilitySource, d: Design, customer: number, size: number): Float64Array => {
    const out = new Float64Array(horizon * size);
    src.probabilitiesFor(rowsAfterComplaint(d, customer, horizon), horizon, out);
    return out;
  };
  return {
    nStates: K,
    voiceLabels: [...spec.voiceLabels],
    horizon,
    transition: { without: probs(transition, designs.transition, 0, K * K), with: probs(transition, designs.transition, 1, K * K) },
    emission: { without: probs(emission, designs.emission, 0, K * V), with: probs(emission, designs.emission, 1, K * V) },
  };
}
