/**
 * Simulate new voice on a panel's own rows: the same customers, period counts, covariates and
 * interventions (as observed), states and voice drawn from the model at given parameters. This is
 * the data-generating step of the parametric bootstrap: the model is a model of voice given the
 * interventions, so the interventions are held at their observed values (unlike `simulate`, which
 * also simulates a firm's policy). Rows whose voice is missing stay missing.
 *
 * Draws, from one Rng stream, customer by customer and row by row: the state (initial model at the
 * customer's first row, else the transition from the previous state at this row), then the voice of
 * that state at this row when the row is observed.
 */
import type { Panel } from '../data/panel.js';
import { createModel } from '../model/hmmModel.js';
import { buildModelDesigns } from './fit.js';
import type { Rng } from './rng.js';
import type { ModelSpec } from './spec.js';

export interface ObservedSimulator {
  /** New voice for every row (-1 where the panel's voice is missing) and the true states, 0-based. */
  draw(rng: Rng): { voice: Int32Array; states: Int32Array };
}

/** Probability tables of the model at `values` on the panel's rows, ready for repeated draws. */
export function observedSimulator(panel: Panel, spec: ModelSpec, values: Float64Array): ObservedSimulator {
  const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  model.setParameters(values);
  const [initial, transition, emission] = model.parts;
  const K = model.nStates;
  const V = model.nVoice;
  // Per-pattern tables: initial [p*K + k], transition [(p*K + i)*K + j], emission [(p*K + k)*V + c].
  const pi = new Float64Array(initial.design.nPatterns * K);
  const a = new Float64Array(transition.design.nPatterns * K * K);
  const e = new Float64Array(emission.design.nPatterns * K * V);
  initial.probabilities(pi);
  transition.probabilities(a);
  emission.probabilities(e);
  const iIndex = initial.design.index; // per customer
  const tIndex = transition.design.index; // per row
  const eIndex = emission.design.index; // per row
  const { offsets } = panel;
  const observed = panel.voice;
  const nSeq = offsets.length - 1;
  return {
    draw(rng: Rng) {
      const voice = new Int32Array(observed.length);
      const states = new Int32Array(observed.length);
      for (let i = 0; i < nSeq; i++) {
        let s = -1;
        for (let r = offsets[i]; r < offsets[i + 1]; r++) {
          s = s < 0 ? rng.categorical(pi, iIndex[i] * K, K) : rng.categorical(a, (tIndex[r] * K + s) * K, K);
          states[r] = s;
          voice[r] = observed[r] < 0 ? -1 : rng.categorical(e, (eIndex[r] * K + s) * V, V);
        }
      }
      return { voice, states };
    },
  };
}
