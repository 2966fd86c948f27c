/**
 * Put a bootstrap replicate's states back in the full-sample labelling. A refit may come back with
 * its states in another order (EM can swap them, and the fit relabels worst-first by its own
 * replicate's complaint rates, which can cross when two states are close). States are matched, not
 * re-sorted: replicate state t is assigned to full-sample state s so as to minimise the total
 * squared distance between their voice distributions at the baseline emission row (the sample-mean
 * row of the full panel), over all permutations (an assignment problem, solved exactly by the
 * Munkres algorithm). With ordered transitions only keeping or reversing the order preserves the
 * ladder (thresholds are ordered along the states), so only those two are compared.
 */
import { munkres } from 'munkres';
import type { HmmModel } from '../../model/hmmModel.js';

export interface Alignment {
  /** The replicate's parameters in the full-sample labelling. */
  values: Float64Array;
  /** New state s is the replicate's state perm[s] (0-based). */
  perm: Int32Array;
  /** False when the replicate's labels already matched. */
  relabelled: boolean;
}

export interface StateAligner {
  align(values: Float64Array): Alignment;
}

/** Voice probabilities per state at one emission design row, row-major [k*V + c]. */
function baselineVoice(model: HmmModel, row: Float64Array, out: Float64Array): Float64Array {
  model.parts[2].probabilitiesFor(row, 1, out);
  return out;
}

/**
 * The assignment minimising sum_s cost[s*K + perm[s]] (cost row-major [s*K + t]: full-sample state s
 * taking replicate state t); with `ladder` only the identity and the reversal are candidates.
 * Ties keep the identity.
 */
export function bestAssignment(cost: Float64Array, K: number, ladder: boolean): Int32Array {
  if (cost.length !== K * K) throw new RangeError(`cost has length ${cost.length}, expected ${K * K}`);
  const identity = Int32Array.from({ length: K }, (_, s) => s);
  const total = (p: Int32Array) => p.reduce((sum, t, s) => sum + cost[s * K + t], 0);
  let best: Int32Array;
  if (ladder) {
    const reversal = Int32Array.from({ length: K }, (_, s) => K - 1 - s);
    best = total(reversal) < total(identity) ? reversal : identity;
  } else {
    const rows = Array.from({ length: K }, (_, s) => Array.from(cost.subarray(s * K, (s + 1) * K)));
    best = new Int32Array(K);
    for (const [s, t] of munkres(rows)) best[s] = t;
  }
  return total(best) < total(identity) ? best : identity;
}

/**
 * An aligner to the full-sample parameters `reference` of `model`'s spec. `model` is used as
 * scratch (its parameters are overwritten); `baselineRow` is an emission design row in the model's
 * emission columns.
 */
export function stateAligner(model: HmmModel, reference: Float64Array, baselineRow: Float64Array): StateAligner {
  const K = model.nStates;
  const V = model.nVoice;
  model.setParameters(reference);
  const ref = baselineVoice(model, baselineRow, new Float64Array(K * V));
  const rep = new Float64Array(K * V);
  const cost = new Float64Array(K * K);
  const ladder = model.spec.transitionType === 'ordered';
  return {
    align(values: Float64Array): Alignment {
      model.setParameters(values);
      baselineVoice(model, baselineRow, rep);
      for (let s = 0; s < K; s++) {
        for (let t = 0; t < K; t++) {
          let d = 0;
          for (let c = 0; c < V; c++) d += (ref[s * V + c] - rep[t * V + c]) ** 2;
          cost[s * K + t] = d;
        }
      }
      const perm = bestAssignment(cost, K, ladder);
      const relabelled = perm.some((t, s) => t !== s);
      if (!relabelled) return { values: Float64Array.from(values), perm, relabelled };
      for (const part of model.parts) part.permuteStates(perm);
      return { values: model.getParameters().values, perm, relabelled };
    },
  };
}
