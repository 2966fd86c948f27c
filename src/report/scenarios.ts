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

/** Rows of periods 1..used after the complaint of `customer`, in designs of a history built for `built` periods. */
function rowsAfterComplaint(d: Design, customer: number, built: number, used = built): Float64Array {
  const nCols = d.names.length;
  const n = BURN_IN + 1 + built;
  const first = customer * n + BURN_IN + 1;
  return d.values.slice(first * nCols, (first + used) * nCols);
}

/** Design rows of periods 1..horizon after the complaint, row-major, per sub-model and arm (they do not depend on the parameters). */
export interface ScenarioRows {
  horizon: number;
  transition: { without: Float64Array; with: Float64Array };
  emission: { without: Float64Array; with: Float64Array };
}

/** The rows of the first `horizon` periods of designs built for `built` periods (default: all of them). */
export function scenarioRows(designs: { transition: Design; emission: Design }, built: number, horizon = built): ScenarioRows {
  if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= built)) throw new RangeError(`horizon must be an integer in 1..${built}, got ${horizon}`);
  const rows = (d: Design, c: number) => rowsAfterComplaint(d, c, built, horizon);
  return {
    horizon,
    transition: { without: rows(designs.transition, 0), with: rows(designs.transition, 1) },
    emission: { without: rows(designs.emission, 0), with: rows(designs.emission, 1) },
  };
}

/** Transition and emission probabilities at the scenario rows, from the sub-models' probabilitiesFor (current parameters). */
export function probabilitiesAtRows(spec: ModelSpec, rows: ScenarioRows, transition: ProbabilitySource, emission: ProbabilitySource): ScenarioProbabilities {
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  const horizon = rows.horizon;
  if (transition.nGroups !== K || transition.nOut !== K) throw new RangeError(`transition model is ${transition.nGroups}x${transition.nOut}, expected ${K}x${K}`);
  if (emission.nGroups !== K || emission.nOut !== V) throw new RangeError(`emission model is ${emission.nGroups}x${emission.nOut}, expected ${K}x${V}`);
  const probs = (src: ProbabilitySource, r: Float64Array, size: number): Float64Array => {
    const out = new Float64Array(horizon * size);
    src.probabilitiesFor(r, horizon, out);
    return out;
  };
  return {
    nStates: K,
    voiceLabels: [...spec.voiceLabels],
    horizon,
    transition: { without: probs(transition, rows.transition.without, K * K), with: probs(transition, rows.transition.with, K * K) },
    emission: { without: probs(emission, rows.emission.without, K * V), with: probs(emission, rows.emission.with, K * V) },
  };
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
  return probabilitiesAtRows(spec, scenarioRows(designs, horizon), transition, emission);
}
