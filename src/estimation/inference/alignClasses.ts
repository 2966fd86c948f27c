/**
 * Put a bootstrap replicate of a mixture of classes back in the full-sample labelling of classes
 * AND states (the mixture's counterpart of alignStates.ts). A refit may return its classes in
 * another order (the fit orders them by its own replicate's sizes, which cross when two classes
 * are close in size) and its states in another order within a class.
 *
 * Each class is summarised at baseline design rows (the sample-mean rows of the full panel) by its
 * profile: the membership share (the prior class probability averaged over the full panel's
 * customers), the initial distribution (K), the transition matrix (K x K) and the voice
 * distribution of every state (K x V). Matching, every step an assignment problem solved exactly
 * (bestAssignment, Munkres; with ordered transitions only keeping or reversing the states):
 *   1. for every pair (full-sample class c, replicate class d), the states of d are matched to
 *      those of c by their voice distributions, and the pair costs the squared distance between
 *      the two profiles with d's states in that order;
 *   2. classes are matched by those costs;
 *   3. states: within each class by the matched pair's voice distributions when every block is
 *      class-specific; with a shared block one permutation for all classes (a shared block fixes
 *      what a state means in every class), matching the voice costs summed over the classes.
 */
import type { MixtureModel } from '../../model/mixtureModel.js';
import { bestAssignment, type Alignment } from './alignStates.js';

export interface MixtureAlignment extends Alignment {
  /** New class n is the replicate's class classPerm[n] (0-based). */
  classPerm: Int32Array;
  /** Within new class n, new state s is the replicate's state statePerms[n][s] (perm = statePerms[0]). */
  statePerms: Int32Array[];
}

export interface MixtureAligner {
  align(values: Float64Array): MixtureAlignment;
}

/** Baseline design rows of the mixture's blocks and its customers' membership share. */
export interface MixtureBaseline {
  initial: Float64Array;
  transition: Float64Array;
  emission: Float64Array;
}

/** Per class c, one profile [share, initial (K), transition (K*K, row-major [i*K + j]), voice (K*V, [k*V + v])]. */
function profiles(model: MixtureModel, base: MixtureBaseline): Float64Array[] {
  const K = model.nStates;
  const V = model.nVoice;
  const C = model.nClasses;
  const m = model.membership;
  const table = new Float64Array(m.design.nPatterns * C);
  m.probabilities(table);
  const idx = m.design.index;
  const share = new Float64Array(C);
  for (let i = 0; i < idx.length; i++) for (let c = 0; c < C; c++) share[c] += table[idx[i] * C + c] / idx.length;
  return model.classes.map((cls, c) => {
    const p = new Float64Array(1 + K + K * K + K * V);
    p[0] = share[c];
    cls.parts[0].probabilitiesFor(base.initial, 1, p.subarray(1, 1 + K));
    cls.parts[1].probabilitiesFor(base.transition, 1, p.subarray(1 + K, 1 + K + K * K));
    cls.parts[2].probabilitiesFor(base.emission, 1, p.subarray(1 + K + K * K));
    return p;
  });
}

/** Voice cost [s*K + t] of full-sample state s taking replicate state t (profiles a and b). */
function voiceCost(a: Float64Array, b: Float64Array, K: number, V: number, out: Float64Array): Float64Array {
  const o = 1 + K + K * K;
  for (let s = 0; s < K; s++) {
    for (let t = 0; t < K; t++) {
      let d = 0;
      for (let v = 0; v < V; v++) d += (a[o + s * V + v] - b[o + t * V + v]) ** 2;
      out[s * K + t] = d;
    }
  }
  return out;
}

/** Squared distance between profile a and profile b with b's states reordered by perm (new s = b's perm[s]). */
function profileDistance(a: Float64Array, b: Float64Array, perm: Int32Array, K: number, V: number): number {
  let d = (a[0] - b[0]) ** 2;
  for (let s = 0; s < K; s++) {
    d += (a[1 + s] - b[1 + perm[s]]) ** 2;
    for (let t = 0; t < K; t++) d += (a[1 + K + s * K + t] - b[1 + K + perm[s] * K + perm[t]]) ** 2;
    for (let v = 0; v < V; v++) d += (a[1 + K + K * K + s * V + v] - b[1 + K + K * K + perm[s] * V + v]) ** 2;
  }
  return d;
}

/**
 * An aligner to the full-sample parameters `reference` of a mixture. `model` is scratch (its
 * parameters are overwritten); the baseline rows are in the model's design columns.
 */
export function mixtureAligner(model: MixtureModel, reference: Float64Array, base: MixtureBaseline): MixtureAligner {
  const K = model.nStates;
  const V = model.nVoice;
  const C = model.nClasses;
  const ladder = model.spec.transitionType === 'ordered';
  const allSpecific = model.specific.initial && model.specific.transition && model.specific.emission;
  model.setParameters(reference);
  const ref = profiles(model, base);
  const cost = new Float64Array(K * K);
  const classCost = new Float64Array(C * C);
  const summed = new Float64Array(K * K);
  return {
    align(values: Float64Array): MixtureAlignment {
      model.setParameters(values);
      const rep = profiles(model, base);
      for (let c = 0; c < C; c++) {
        for (let d = 0; d < C; d++) {
          const perm = bestAssignment(voiceCost(ref[c], rep[d], K, V, cost), K, ladder);
          classCost[c * C + d] = profileDistance(ref[c], rep[d], perm, K, V);
        }
      }
      const classPerm = bestAssignment(classCost, C, false);
      let statePerms: Int32Array[];
      if (allSpecific) {
        statePerms = Array.from({ length: C }, (_, c) => bestAssignment(voiceCost(ref[c], rep[classPerm[c]], K, V, cost), K, ladder));
      } else {
        summed.fill(0);
        for (let c = 0; c < C; c++) {
          voiceCost(ref[c], rep[classPerm[c]], K, V, cost);
          for (let e = 0; e < K * K; e++) summed[e] += cost[e];
        }
        const common = bestAssignment(summed, K, ladder);
        statePerms = Array.from({ length: C }, () => common);
      }
      const movedClasses = classPerm.some((d, c) => d !== c);
      const movedStates = statePerms.some((p) => p.some((t, s) => t !== s));
      if (movedClasses) model.permuteClasses(classPerm);
      if (movedStates) model.permuteStates(statePerms);
      const out = movedClasses || movedStates ? model.getParameters().values : Float64Array.from(values);
      return { values: out, perm: statePerms[0], classPerm, statePerms, relabelled: movedClasses || movedStates };
    },
  };
}
