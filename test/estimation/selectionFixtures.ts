/**
 * Tiny panels and random parameters for the selection-model tests, and an enumeration over all
 * K^T state paths (and every voice a missing period may have had) that computes the joint
 * likelihood of voices and interventions from scratch: the selection probability from the
 * parameter names and a hand-built selection row (1, voice_complaint, lag(intervention)), the other
 * sub-models from their raw design rows.
 */
import type { Panel } from '../../src/data/panel.js';
import { columnRecord } from '../../src/data/panel.js';
import { Rng } from '../../src/estimation/rng.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import type { HmmModel } from '../../src/model/hmmModel.js';
import { rowProbabilities } from './bruteForceModel.js';

export const LABELS = ['complaint', 'compliment', 'silent'];
export const SELECTION = '~ voice_complaint + lag(intervention)';

export function tinySpec(K: number, transitionType: 'multinomial' | 'ordered' = 'multinomial', sharedSlopes = false): ModelSpec {
  return {
    nStates: K,
    voiceLabels: [...LABELS],
    referenceVoice: 'silent',
    formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)', selection: SELECTION },
    transitionType,
    sharedSlopes,
  };
}

/** A random panel: customers of the given lengths, voices (missing with probability `missing`), interventions 0/1 (a last period's sometimes missing). */
export function tinyPanel(seed: number, lengths: number[], missing: number, missingIntervention = 0): Panel {
  const rng = new Rng(seed);
  const offsets = new Int32Array(lengths.length + 1);
  lengths.forEach((L, i) => (offsets[i + 1] = offsets[i] + L));
  const n = offsets[lengths.length];
  const voice = new Int32Array(n);
  const iv = new Float64Array(n);
  const period = new Int32Array(n);
  for (let i = 0; i < lengths.length; i++) for (let r = offsets[i]; r < offsets[i + 1]; r++) period[r] = r - offsets[i] + 1;
  for (let r = 0; r < n; r++) {
    voice[r] = rng.uniform() < missing ? -1 : rng.int(LABELS.length);
    iv[r] = rng.uniform() < 0.4 ? 1 : 0;
  }
  // a missing intervention (NaN: not an outcome) only in a customer's last period, which no lag reads
  for (let i = 0; i < lengths.length; i++) if (rng.uniform() < missingIntervention * 3) iv[offsets[i + 1] - 1] = NaN;
  return { customers: lengths.map((_, i) => `c${i}`), offsets, period, voice, voiceLabels: [...LABELS], columns: columnRecord({ intervention: iv }) };
}

/** Random parameter values, named like the model's. */
export function randomValues(model: HmmModel, seed: number, scale = 1): Float64Array {
  const rng = new Rng(seed);
  const names = model.getParameters().names;
  return Float64Array.from(names, (name) => {
    // ordered thresholds must increase: spread them
    const cut = /cut\[(\d+)\|/.exec(name);
    if (cut) return -1.5 + 1.5 * Number(cut[1]) + 0.3 * rng.uniform();
    return scale * (2 * rng.uniform() - 1);
  });
}

export interface JointBruteForce {
  logLik: number;
  /** Posterior state probabilities [r*K + k]. */
  gamma: Float64Array;
  /** The most probable state path (0-based state per row). */
  viterbi: Int32Array;
}

/** Enumeration of the joint likelihood (see the file header); `model` holds the parameters. */
export function bruteForceJoint(panel: Panel, spec: ModelSpec, model: HmmModel): JointBruteForce {
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  const params = model.getParameters();
  const value = (name: string): number => {
    const i = params.names.indexOf(name);
    if (i < 0) throw new Error(`no parameter ${name}`);
    return params.values[i];
  };
  const complaint = spec.voiceLabels.indexOf('complaint');
  const iv = panel.columns.intervention;
  const n = panel.voice.length;
  const { init, trans, emis } = rowProbabilities(panel, spec, model);
  const bC = value('selection:voice_complaint');
  const bL = value('selection:lag(intervention)');
  const selProb = (k: number, vc: number, lagD: number, dd: number): number => {
    const p1 = 1 / (1 + Math.exp(-(value(`selection[${k + 1}]:(Intercept)`) + bC * vc + bL * lagD)));
    return dd === 1 ? p1 : 1 - p1;
  };
  /** P(voice, intervention of row r | state k), summing over the voice when it is missing. */
  const factor = (r: number, k: number, first: boolean): number => {
    const lagD = first ? 0 : iv[r - 1];
    const dd = iv[r] === 0 || iv[r] === 1 ? iv[r] : -1;
    const v = panel.voice[r];
    const e = (c: number) => emis[(r * K + k) * V + c];
    if (v >= 0) return e(v) * (dd >= 0 ? selProb(k, v === complaint ? 1 : 0, lagD, dd) : 1);
    if (dd < 0) return 1;
    let s = 0;
    for (let c = 0; c < V; c++) s += e(c) * selProb(k, c === complaint ? 1 : 0, lagD, dd);
    return s;
  };
  const gamma = new Float64Array(n * K);
  const viterbi = new Int32Array(n);
  let logLik = 0;
  for (let i = 0; i + 1 < panel.offsets.length; i++) {
    const r0 = panel.offsets[i];
    const T = panel.offsets[i + 1] - r0;
    const path = new Int32Array(T);
    let total = 0;
    const weights: number[] = [];
    const paths: Int32Array[] = [];
    for (let code = 0; code < K ** T; code++) {
      let c = code;
      for (let t = 0; t < T; t++) {
        path[t] = c % K;
        c = Math.floor(c / K);
      }
      let p = init[r0 * K + path[0]] * factor(r0, path[0], true);
      for (let t = 1; t < T; t++) p *= trans[((r0 + t) * K + path[t - 1]) * K + path[t]] * factor(r0 + t, path[t], false);
      total += p;
      weights.push(p);
      paths.push(path.slice());
    }
    logLik += Math.log(total);
    let best = 0;
    weights.forEach((w, j) => (w > weights[best] ? (best = j) : 0));
    viterbi.set(paths[best], r0);
    paths.forEach((pp, j) => {
      for (let t = 0; t < T; t++) gamma[(r0 + t) * K + pp[t]] += weights[j] / total;
    });
  }
  return { logLik, gamma, viterbi };
}
