/**
 * Independent reference computations for the kernels: random tiny HMM problems and exact
 * enumeration over all K^T state paths of every sequence.
 */
import type { HmmInputs } from '../../src/kernels/hmmInputs.js';
import { Rng } from '../../src/estimation/rng.js';

/** Random probability rows: `nRows` distributions over `n` outcomes, row-major [r*n + c]. */
export function randomStochastic(rng: Rng, nRows: number, n: number, floor = 0.02): Float64Array {
  const out = new Float64Array(nRows * n);
  for (let r = 0; r < nRows; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) {
      const x = floor + rng.uniform();
      out[r * n + c] = x;
      s += x;
    }
    for (let c = 0; c < n; c++) out[r * n + c] /= s;
  }
  return out;
}

export interface ProblemShape {
  K: number;
  V: number;
  lengths: number[];
  nInit: number;
  nTrans: number;
  nEmis: number;
  /** Probability that a voice is missing. */
  missing: number;
}

/** A random problem: panel in CSR, random pattern indices and random probability tables. */
export function randomProblem(rng: Rng, shape: ProblemShape): HmmInputs {
  const { K, V, lengths, nInit, nTrans, nEmis, missing } = shape;
  const nSeq = lengths.length;
  const offsets = new Int32Array(nSeq + 1);
  for (let s = 0; s < nSeq; s++) offsets[s + 1] = offsets[s] + lengths[s];
  const nRows = offsets[nSeq];
  const voice = new Int32Array(nRows);
  const transIndex = new Int32Array(nRows);
  const emisIndex = new Int32Array(nRows);
  for (let r = 0; r < nRows; r++) {
    voice[r] = rng.uniform() < missing ? -1 : rng.int(V);
    transIndex[r] = rng.int(nTrans);
    emisIndex[r] = rng.int(nEmis);
  }
  const initIndex = new Int32Array(nSeq);
  for (let s = 0; s < nSeq; s++) initIndex[s] = rng.int(nInit);
  return {
    nStates: K,
    nVoice: V,
    offsets,
    voice,
    initIndex,
    initProb: randomStochastic(rng, nInit, K),
    transIndex,
    transProb: randomStochastic(rng, nTrans * K, K),
    emisIndex,
    emisProb: randomStochastic(rng, nEmis * K, V),
  };
}

export interface BruteForce {
  logLik: number;
  perSequence: number[];
  gamma: Float64Array;
  init: Float64Array;
  trans: Float64Array;
  emis: Float64Array;
  /** Best path per row and its joint log-probability per sequence. */
  viterbi: Int32Array;
  viterbiLogProb: number;
}

/** Enumerate every state path of every sequence. */
export function bruteForce(p: HmmInputs): BruteForce {
  const K = p.nStates;
  const V = p.nVoice;
  const nSeq = p.offsets.length - 1;
  const nRows = p.offsets[nSeq];
  const gamma = new Float64Array(nRows * K);
  const init = new Float64Array(p.initProb.length);
  const trans = new Float64Array(p.transProb.length);
  const emis = new Float64Array(p.emisProb.length);
  const vit = new Int32Array(nRows);
  const perSequence: number[] = [];
  let logLik = 0;
  let vitLog = 0;
  for (let s = 0; s < nSeq; s++) {
    const r0 = p.offsets[s];
    const T = p.offsets[s + 1] - r0;
    if (T === 0) {
      perSequence.push(0);
      continue;
    }
    const nPaths = K ** T;
    const path = new Int32Array(T);
    const joint = new Float64Array(nPaths);
    let total = 0;
    let best = -1;
    let bestIdx = 0;
    for (let q = 0; q < nPaths; q++) {
      let x = q;
      for (let t = 0; t < T; t++) {
        path[t] = x % K;
        x = Math.floor(x / K);
      }
      let pr = p.initProb[p.initIndex[s] * K + path[0]];
      for (let t = 0; t < T; t++) {
        const r = r0 + t;
        if (t > 0) pr *= p.transProb[(p.transIndex[r] * K + path[t - 1]) * K + path[t]];
        if (p.voice[r] >= 0) pr *= p.emisProb[(p.emisIndex[r] * K + path[t]) * V + p.voice[r]];
      }
      joint[q] = pr;
      total += pr;
      if (pr > best) {
        best = pr;
        bestIdx = q;
      }
    }
    perSequence.push(Math.log(total));
    logLik += Math.log(total);
    vitLog += Math.log(best);
    let x = bestIdx;
    for (let t = 0; t < T; t++) {
      vit[r0 + t] = x % K;
      x = Math.floor(x / K);
    }
    for (let q = 0; q < nPaths; q++) {
      let x = q;
      for (let t = 0; t < T; t++) {
        path[t] = x % K;
        x = Math.floor(x / K);
      }
      const w = joint[q] / total;
      init[p.initIndex[s] * K + path[0]] += w;
      for (let t = 0; t < T; t++) {
        const r = r0 + t;
        gamma[r * K + path[t]] += w;
        if (t > 0) trans[(p.transIndex[r] * K + path[t - 1]) * K + path[t]] += w;
        if (p.voice[r] >= 0) emis[(p.emisIndex[r] * K + path[t]) * V + p.voice[r]] += w;
      }
    }
  }
  return { logLik, perSequence, gamma, init, trans, emis, viterbi: vit, viterbiLogProb: vitLog };
}

/** Element-wise log of a table (for the Viterbi kernel). */
export function logTables(p: HmmInputs): HmmInputs {
  const lg = (a: Float64Array) => a.map((x) => Math.log(x));
  return { ...p, initProb: lg(p.initProb), transProb: lg(p.transProb), emisProb: lg(p.emisProb) };
}
