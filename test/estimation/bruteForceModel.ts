/**
 * Enumeration over all K^T state paths of each customer, with every probability computed afresh
 * from the raw (uncompressed) design rows through the sub-models' probabilitiesFor: an independent
 * check of the E-step wiring (pattern indices, time convention, missing voice).
 */
import type { Panel } from '../../src/data/panel.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { buildModelDesigns } from '../../src/estimation/fit.js';
import type { HmmModel } from '../../src/model/hmmModel.js';

export interface ModelBruteForce {
  logLik: number;
  gamma: Float64Array;
  /** Expected transition counts per row: [(row*K + i)*K + j] (row = destination row). */
  xiPerRow: Float64Array;
  viterbi: Int32Array;
  /** Entropy of the posterior distribution of the state paths, summed over customers: -sum p(path | voices) ln p(path | voices). */
  pathEntropy: number;
}

/** Initial, transition and emission probabilities of every row from its raw design rows: [r*K + k], [(r*K + i)*K + j], [(r*K + k)*V + c]. */
export function rowProbabilities(panel: Panel, spec: ModelSpec, model: HmmModel): { init: Float64Array; trans: Float64Array; emis: Float64Array } {
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  const d = buildModelDesigns(panel, spec);
  const n = panel.voice.length;
  const row = (des: { names: string[]; values: Float64Array }, r: number) => des.values.slice(r * des.names.length, (r + 1) * des.names.length);
  const init = new Float64Array(n * K);
  const trans = new Float64Array(n * K * K);
  const emis = new Float64Array(n * K * V);
  for (let r = 0; r < n; r++) {
    model.parts[0].probabilitiesFor(row(d.initial, r), 1, init.subarray(r * K, (r + 1) * K));
    model.parts[1].probabilitiesFor(row(d.transition, r), 1, trans.subarray(r * K * K, (r + 1) * K * K));
    model.parts[2].probabilitiesFor(row(d.emission, r), 1, emis.subarray(r * K * V, (r + 1) * K * V));
  }
  return { init, trans, emis };
}

export function bruteForceModel(panel: Panel, spec: ModelSpec, model: HmmModel): ModelBruteForce {
  const K = spec.nStates;
  const n = panel.voice.length;
  const { init, trans, emis } = rowProbabilities(panel, spec, model);
  const V = spec.voiceLabels.length;
  const gamma = new Float64Array(n * K);
  const xiPerRow = new Float64Array(n * K * K);
  const vit = new Int32Array(n);
  let logLik = 0;
  let pathEntropy = 0;
  for (let s = 0; s + 1 < panel.offsets.length; s++) {
    const r0 = panel.offsets[s];
    const T = panel.offsets[s + 1] - r0;
    const nPaths = K ** T;
    const joint = new Float64Array(nPaths);
    const paths: number[][] = [];
    let total = 0;
    let best = -1;
    for (let q = 0; q < nPaths; q++) {
      const path: number[] = [];
      for (let t = 0, x = q; t < T; t++, x = Math.floor(x / K)) path.push(x % K);
      let pr = init[r0 * K + path[0]];
      for (let t = 0; t < T; t++) {
        const r = r0 + t;
        if (t > 0) pr *= trans[(r * K + path[t - 1]) * K + path[t]]; // transition INTO row t uses row t
        const v = panel.voice[r];
        if (v >= 0) pr *= emis[(r * K + path[t]) * V + v];
      }
      paths.push(path);
      joint[q] = pr;
      total += pr;
      if (pr > best) {
        best = pr;
        for (let t = 0; t < T; t++) vit[r0 + t] = path[t];
      }
    }
    logLik += Math.log(total);
    for (let q = 0; q < nPaths; q++) {
      const w = joint[q] / total;
      if (w > 0) pathEntropy -= w * Math.log(w);
      const path = paths[q];
      for (let t = 0; t < T; t++) {
        gamma[(r0 + t) * K + path[t]] += w;
        if (t > 0) xiPerRow[((r0 + t) * K + path[t - 1]) * K + path[t]] += w;
      }
    }
  }
  return { logLik, gamma, xiPerRow, viterbi: vit, pathEntropy };
}
