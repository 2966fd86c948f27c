/**
 * Start values for EM. A start is a set of soft state responsibilities per row; they are turned
 * into pseudo E-step statistics (first-period, consecutive-pair and emission counts) and every
 * sub-model takes one M-step from them, so starts need nothing model-specific.
 *   - data-driven: rows ranked by a smoothed within-customer complaint rate and cut into K bins,
 *     highest rate = state 1 (worst relationship);
 *   - random: per start, a random weight of each state for each voice category, drawn from its own
 *     stream Rng.stream(seed, startIndex) so results do not depend on scheduling.
 */
import type { MStepOptions } from '../model/subModel.js';
import type { EStep, Parts } from './eStep.js';
import type { Rng } from './rng.js';
import type { HmmInputs } from '../kernels/hmmInputs.js';

/** Fill `out` (length K) with the responsibilities of `row` (need not be normalised; must be >= 0, not all 0). */
export type Responsibilities = (row: number, voice: number, out: Float64Array) => void;

/**
 * Pseudo statistics from responsibilities into eStep.stats.counts (zeroed first): first-period
 * counts g_0, transition counts g_{t-1}(i) g_t(j) into row t's pattern, emission counts g_t at the
 * observed voice (with a selection sub-model, emission and selection counts through the E-step's
 * joint tables: pass the parts).
 */
export function fillCountsFromResponsibilities(eStep: EStep, resp: Responsibilities, parts?: Parts): void {
  const c = eStep.stats.counts;
  for (const t of Object.values(c)) t.fill(0);
  const joint = eStep.joint;
  eStep.stats.logLik = NaN;
  let emission: ((row: number, g: Float64Array) => void) | undefined;
  if (joint !== null) {
    if (parts === undefined || parts.length < 4) throw new RangeError('starts with a selection model need the parts');
    emission = (row, g) => joint.addResponsibility(parts[2], parts[3], row, g);
  }
  addResponsibilityCounts(eStep.inputs, eStep.voice, resp, { initial: c.initial, transition: c.transition, emission: c.emission }, undefined, emission);
}

/** Where addResponsibilityCounts reads a panel: the kernel's layout (hmmInputs.ts) without the tables. */
export type ResponsibilityLayout = Pick<HmmInputs, 'nStates' | 'nVoice' | 'offsets' | 'voice' | 'initIndex' | 'transIndex' | 'emisIndex'>;

/**
 * ADD the pseudo statistics of `resp` to the count tables (layouts of hmmInputs.ts), every count of
 * sequence s multiplied by weight[s] when given (a customer's class weight). `panelVoice` is the
 * panel's voice, passed to resp (layout.voice may be voice' of per-row emission tables).
 */
export function addResponsibilityCounts(
  layout: ResponsibilityLayout,
  panelVoice: Int32Array,
  resp: Responsibilities,
  out: { initial: Float64Array; transition: Float64Array; emission: Float64Array },
  weight?: Float64Array,
  /** Instead of the emission counts: add row r's normalised responsibilities g (the joint tables of a selection model). */
  emission?: (row: number, g: Float64Array) => void,
): void {
  const { nStates: K, nVoice: V, offsets, voice, initIndex, transIndex, emisIndex } = layout;
  let g = new Float64Array(K);
  let prev = new Float64Array(K);
  for (let s = 0; s + 1 < offsets.length; s++) {
    const w = weight === undefined ? 1 : weight[s];
    for (let r = offsets[s]; r < offsets[s + 1]; r++) {
      const v = voice[r];
      resp(r, panelVoice[r], g);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += g[k];
      if (!(sum > 0)) throw new RangeError(`responsibilities of row ${r} do not sum to a positive number`);
      for (let k = 0; k < K; k++) g[k] /= sum;
      if (r === offsets[s]) {
        const b = initIndex[s] * K;
        for (let k = 0; k < K; k++) out.initial[b + k] += w * g[k];
      } else {
        const b = transIndex[r] * K * K;
        for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) out.transition[b + i * K + j] += w * prev[i] * g[j];
      }
      if (emission !== undefined) emission(r, g);
      else if (v >= 0) {
        const b = emisIndex[r] * K * V + v;
        for (let k = 0; k < K; k++) out.emission[b + k * V] += w * g[k];
      }
      const t = prev;
      prev = g;
      g = t;
    }
  }
}

/** Set the parts' parameters by one M-step each from the responsibilities. */
export function startFromResponsibilities(parts: Parts, eStep: EStep, resp: Responsibilities, mStep: MStepOptions): void {
  fillCountsFromResponsibilities(eStep, resp, parts);
  for (const part of parts) part.mStep(eStep.stats, mStep);
}

/**
 * State bin per row for the data-driven start: the complaint indicator smoothed within each
 * customer (the average of two one-sided exponentially weighted means, past-and-present and
 * present-and-future, weights decay^distance over rows with observed voice), rows cut at the
 * K-quantiles of that rate, highest rate -> bin 0. Rows tied at a cut go to the better
 * (higher-numbered) bin.
 */
export function complaintRateBins(offsets: Int32Array, voice: Int32Array, nStates: number, complaint: number, decay = 0.8): Uint8Array {
  if (nStates > 255) throw new RangeError('at most 255 states');
  const nRows = voice.length;
  const rate = new Float64Array(nRows);
  for (let s = 0; s + 1 < offsets.length; s++) {
    const r0 = offsets[s];
    const r1 = offsets[s + 1];
    // rate[r] first holds the mean over the past and present (forward sweep), then the average of
    // that and the mean over the present and future (backward sweep).
    let fx = 0;
    let fw = 0;
    for (let r = r0; r < r1; r++) {
      const obs = voice[r] >= 0 ? 1 : 0;
      fx = decay * fx + (voice[r] === complaint ? 1 : 0);
      fw = decay * fw + obs;
      rate[r] = fw > 0 ? fx / fw : 0;
    }
    let bx = 0;
    let bw = 0;
    for (let r = r1 - 1; r >= r0; r--) {
      const x = voice[r] === complaint ? 1 : 0;
      const obs = voice[r] >= 0 ? 1 : 0;
      const fwdMean = rate[r];
      bx = decay * bx + x;
      bw = decay * bw + obs;
      const bwdMean = bw > 0 ? bx / bw : 0;
      rate[r] = 0.5 * (fwdMean + bwdMean);
    }
  }
  const sorted = rate.slice().sort();
  const cuts = new Float64Array(Math.max(0, nStates - 1));
  // cut q: the largest rate among the lowest q/K of rows, so without ties each bin holds n/K rows
  for (let q = 1; q < nStates; q++) cuts[q - 1] = sorted[Math.max(0, Math.ceil((q * nRows) / nStates) - 1)];
  const bins = new Uint8Array(nRows);
  for (let r = 0; r < nRows; r++) {
    let above = 0; // number of cuts the rate exceeds
    for (let q = 0; q < cuts.length; q++) if (rate[r] > cuts[q]) above++;
    bins[r] = nStates - 1 - above;
  }
  return bins;
}

/** Responsibilities of the data-driven start: mostly the row's bin, the rest spread evenly. */
export function dataResponsibilities(bins: Uint8Array, nStates: number, weight = 0.7): Responsibilities {
  const rest = (1 - weight) / nStates;
  return (row, _voice, out) => {
    out.fill(rest);
    out[bins[row]] += weight;
  };
}

/** Responsibilities of a random start: a random weight per state and voice category (missing voice has its own column). */
export function randomResponsibilities(rng: Rng, nStates: number, nVoice: number): Responsibilities {
  const w = new Float64Array(nStates * (nVoice + 1)); // row-major [k*(V+1) + c], c = V for missing voice
  for (let i = 0; i < w.length; i++) w[i] = 0.05 + rng.uniform();
  return (_row, voice, out) => {
    const c = voice < 0 ? nVoice : voice;
    for (let k = 0; k < nStates; k++) out[k] = w[k * (nVoice + 1) + c];
  };
}
