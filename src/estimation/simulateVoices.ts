/**
 * Parametric bootstrap panels: new voices drawn from a fitted model on a panel's own customers,
 * period counts, interventions and covariates (the designs are the panel's, so lag and stock
 * terms follow the interventions actually observed), and its own missingness (a row whose voice is
 * missing stays missing). Only the voice column changes.
 *
 * Per customer, in row order: the state of the first row from the initial model, each later
 * state from the transition model at that row's design, the voice from the emission model of
 * the state at that row's design. Draws come from `rng` in that fixed order.
 */
import type { Panel } from '../data/panel.js';
import { ModelError } from '../errors.js';
import { createModel } from '../model/hmmModel.js';
import { buildModelDesigns } from './fit.js';
import type { Rng } from './rng.js';
import type { ModelSpec, NamedParameters } from './spec.js';

/** Draws of new voices (and, on request, the true states) from tables built once. */
export interface VoiceSimulator {
  /** New voice per row (-1 where the panel's voice is missing); `states`, when given, receives the 0-based state of each row. */
  draw(rng: Rng, states?: Int32Array): Int32Array;
}

/** The probability tables of the model at `params` on the panel's rows, ready for repeated draws (e.g. bootstrap replicates). */
export function voiceSimulator(panel: Panel, spec: ModelSpec, params: NamedParameters): VoiceSimulator {
  const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  const names = model.getParameters().names;
  if (names.length !== params.names.length || names.some((n, i) => n !== params.names[i])) {
    throw new ModelError(`the parameters do not match the model of the spec (${names.length} parameters expected, got ${params.names.length})`);
  }
  model.setParameters(params.values);
  const [initial, transition, emission] = model.parts;
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  // Probability tables per design pattern, layout [(p*nGroups + g)*nOut + c] (see SubModel).
  const pInit = new Float64Array(initial.design.nPatterns * K);
  const pTrans = new Float64Array(transition.design.nPatterns * K * K);
  const pEmis = new Float64Array(emission.design.nPatterns * K * V);
  initial.probabilities(pInit);
  transition.probabilities(pTrans);
  emission.probabilities(pEmis);
  const { offsets } = panel;
  return {
    draw(rng: Rng, states?: Int32Array): Int32Array {
      if (states && states.length !== panel.voice.length) throw new RangeError(`states: length ${states.length}, expected ${panel.voice.length}`);
      const voice = new Int32Array(panel.voice.length);
      for (let i = 0; i + 1 < offsets.length; i++) {
        let s = rng.categorical(pInit, initial.design.index[i] * K, K);
        for (let r = offsets[i]; r < offsets[i + 1]; r++) {
          if (r > offsets[i]) s = rng.categorical(pTrans, (transition.design.index[r] * K + s) * K, K);
          const v = rng.categorical(pEmis, (emission.design.index[r] * K + s) * V, V);
          voice[r] = panel.voice[r] < 0 ? -1 : v;
          if (states) states[r] = s;
        }
      }
      return voice;
    },
  };
}

export function simulateVoices(panel: Panel, spec: ModelSpec, params: NamedParameters, rng: Rng): Panel {
  return { ...panel, voice: voiceSimulator(panel, spec, params).draw(rng) };
}
