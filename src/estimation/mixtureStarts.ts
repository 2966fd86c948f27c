/**
 * Start values of a mixture of classes: soft class weights per customer and, per class, soft state
 * responsibilities per row (starts.ts), turned into pseudo statistics (class c's counts weighted by
 * each customer's class weight; membership counts the class weights) and one M-step of every part.
 *   - data-driven (start 0): customers ranked by their share of complaints among observed voices
 *     and cut into C groups of equal size, most complaints in the first; a customer's weight is
 *     0.7 on its group, the rest spread evenly; states from the complaint-rate bins in every class;
 *   - random (start s): from stream Rng.stream(seed, s), class weights 0.05 + U(0,1) per customer
 *     and class (normalised), and every class its own random state responsibilities, so classes
 *     start apart.
 */
import type { MStepOptions } from '../model/subModel.js';
import { BLOCKS } from '../model/subModel.js';
import { classPartKey, MEMBERSHIP_KEY, type MixtureModel } from '../model/mixtureModel.js';
import type { MixtureEStep } from './mixtureEStep.js';
import { Rng } from './rng.js';
import { addResponsibilityCounts, dataResponsibilities, randomResponsibilities, type Responsibilities } from './starts.js';

/** Class weights of the data-driven start, [s*C + c] (see the file header). */
export function complaintRateClassWeights(offsets: Int32Array, voice: Int32Array, nClasses: number, complaint: number, weight = 0.7): Float64Array {
  const nSeq = offsets.length - 1;
  const C = nClasses;
  const rate = new Float64Array(nSeq);
  for (let s = 0; s < nSeq; s++) {
    let n = 0;
    let x = 0;
    for (let r = offsets[s]; r < offsets[s + 1]; r++) {
      if (voice[r] >= 0) n++;
      if (voice[r] === complaint) x++;
    }
    rate[s] = n > 0 ? x / n : 0;
  }
  const order = Array.from({ length: nSeq }, (_, s) => s).sort((a, b) => rate[b] - rate[a] || a - b);
  const out = new Float64Array(nSeq * C).fill((1 - weight) / C);
  order.forEach((s, rank) => (out[s * C + Math.min(C - 1, Math.floor((rank * C) / nSeq))] += weight));
  return out;
}

/** Random class weights [s*C + c] (normalised per customer). */
export function randomClassWeights(rng: Rng, nSeq: number, nClasses: number): Float64Array {
  const out = new Float64Array(nSeq * nClasses);
  for (let s = 0; s < nSeq; s++) {
    let t = 0;
    for (let c = 0; c < nClasses; c++) t += out[s * nClasses + c] = 0.05 + rng.uniform();
    for (let c = 0; c < nClasses; c++) out[s * nClasses + c] /= t;
  }
  return out;
}

/**
 * Set the mixture's parameters for start s (0 = data-driven) by one M-step of every part from the
 * pseudo statistics (written into eStep.stats).
 */
export function startMixture(model: MixtureModel, eStep: MixtureEStep, s: number, seed: number, bins: Uint8Array, complaint: number, mStep: MStepOptions): void {
  const C = model.nClasses;
  const K = model.nStates;
  const V = model.nVoice;
  const nSeq = eStep.nSeq;
  const offsets = eStep.inputsOffsets;
  let weights: Float64Array;
  const resp: Responsibilities[] = [];
  if (s === 0) {
    weights = complaintRateClassWeights(offsets, eStep.voice, C, complaint);
    for (let c = 0; c < C; c++) resp.push(dataResponsibilities(bins, K));
  } else {
    const rng = Rng.stream(seed, s);
    weights = randomClassWeights(rng, nSeq, C);
    for (let c = 0; c < C; c++) resp.push(randomResponsibilities(rng, K, V));
  }
  const counts = eStep.stats.counts;
  for (const a of Object.values(counts)) a.fill(0);
  eStep.stats.logLik = NaN;
  const [initial, transition, emission] = model.classes[0].parts;
  const layout = { nStates: K, nVoice: V, offsets, voice: eStep.voice, initIndex: initial.design.index, transIndex: transition.design.index, emisIndex: emission.design.index };
  const w = new Float64Array(nSeq);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < nSeq; i++) w[i] = weights[i * C + c];
    const key = (b: (typeof BLOCKS)[number]) => classPartKey(c, b, model.specific[b]);
    addResponsibilityCounts(layout, eStep.voice, resp[c], { initial: counts[key('initial')], transition: counts[key('transition')], emission: counts[key('emission')] }, w);
  }
  const member = counts[MEMBERSHIP_KEY];
  const mIndex = model.membership.design.index;
  for (let i = 0; i < nSeq; i++) for (let c = 0; c < C; c++) member[mIndex[i] * C + c] += weights[i * C + c];
  for (const part of model.parts) part.mStep(eStep.stats, mStep);
}
