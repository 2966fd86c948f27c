/**
 * Parametric bootstrap panels: new voices drawn from a fitted model on a panel's own customers,
 * period counts, interventions and covariates (the designs are the panel's, so lag and stock
 * terms follow the interventions actually observed), and its own missingness (a row whose voice is
 * missing stays missing). Only the voice column changes.
 *
 * Per customer (with latent classes, after drawing its class from the membership model), in
 * row order: the state of the first row from the initial model, each later
 * state from the transition model at that row's design, the voice from the emission model of
 * the state at that row's design. Draws come from `rng` in that fixed order.
 */
import type { Panel } from '../data/panel.js';
import { ModelError } from '../errors.js';
import { createModel } from '../model/hmmModel.js';
import { buildModelDesigns } from './fit.js';
import { buildMixtureDesigns } from './fitMixture.js';
import { createMixtureModel } from '../model/mixtureModel.js';
import type { SubModel } from '../model/subModel.js';
import type { Rng } from './rng.js';
import type { ModelSpec, NamedParameters } from './spec.js';

/** Draws of new voices (and, on request, the true states) from tables built once. */
export interface VoiceSimulator {
  /**
   * New voice per row (-1 where the panel's voice is missing); `states`, when given, receives the
   * 0-based state of each row, `classes` the 0-based class of each customer (with classes).
   */
  draw(rng: Rng, states?: Int32Array, classes?: Int32Array): Int32Array;
}

/** Per class, the probability tables of one HmmModel's parts on the panel's rows. */
interface ClassTables {
  initial: SubModel;
  transition: SubModel;
  emission: SubModel;
  // per design pattern, layout [(p*nGroups + g)*nOut + c] (see SubModel)
  pInit: Float64Array;
  pTrans: Float64Array;
  pEmis: Float64Array;
}

function classTables(parts: readonly SubModel[], K: number, V: number): ClassTables {
  const [initial, transition, emission] = parts;
  const t = {
    initial,
    transition,
    emission,
    pInit: new Float64Array(initial.design.nPatterns * K),
    pTrans: new Float64Array(transition.design.nPatterns * K * K),
    pEmis: new Float64Array(emission.design.nPatterns * K * V),
  };
  initial.probabilities(t.pInit);
  transition.probabilities(t.pTrans);
  emission.probabilities(t.pEmis);
  return t;
}

function checkNames(names: readonly string[], params: NamedParameters): void {
  if (names.length !== params.names.length || names.some((n, i) => n !== params.names[i])) {
    throw new ModelError(`the parameters do not match the model of the spec (${names.length} parameters expected, got ${params.names.length})`);
  }
}

/**
 * The probability tables of the model at `params` on the panel's rows, ready for repeated draws
 * (e.g. bootstrap replicates). With latent classes (spec.classes) each customer's class is drawn
 * first, from the membership logit at the customer's row, then its states and voices from that
 * class's model; `classes`, when given to draw, receives the 0-based class of each customer.
 */
export function voiceSimulator(panel: Panel, spec: ModelSpec, params: NamedParameters): VoiceSimulator {
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  let tables: ClassTables[];
  let pMember: Float64Array | undefined; // [pattern*C + c]
  let memberIndex: Int32Array | undefined; // membership pattern of each customer
  if (spec.classes !== undefined) {
    const mixture = createMixtureModel(spec, buildMixtureDesigns(panel, spec), panel.offsets);
    checkNames(mixture.getParameters().names, params);
    mixture.setParameters(params.values);
    tables = mixture.classes.map((m) => classTables(m.parts, K, V));
    pMember = new Float64Array(mixture.membership.design.nPatterns * mixture.nClasses);
    mixture.membership.probabilities(pMember);
    memberIndex = mixture.membership.design.index;
  } else {
    const model = createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
    checkNames(model.getParameters().names, params);
    model.setParameters(params.values);
    tables = [classTables(model.parts, K, V)];
  }
  const C = tables.length;
  const { offsets } = panel;
  return {
    draw(rng: Rng, states?: Int32Array, classes?: Int32Array): Int32Array {
      if (states && states.length !== panel.voice.length) throw new RangeError(`states: length ${states.length}, expected ${panel.voice.length}`);
      if (classes && classes.length !== offsets.length - 1) throw new RangeError(`classes: length ${classes.length}, expected ${offsets.length - 1}`);
      const voice = new Int32Array(panel.voice.length);
      for (let i = 0; i + 1 < offsets.length; i++) {
        const c = pMember ? rng.categorical(pMember, memberIndex![i] * C, C) : 0;
        if (classes) classes[i] = c;
        const { initial, transition, emission, pInit, pTrans, pEmis } = tables[c];
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
