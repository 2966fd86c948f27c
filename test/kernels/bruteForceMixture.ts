/**
 * Exact enumeration over every class x state path of every sequence of a mixture problem (the
 * layouts of kernels/compileMixtureKernel.ts): the independent reference of the mixture kernel.
 */
import type { MixtureInputs } from '../../src/kernels/compileMixtureKernel.js';
import { Rng } from '../../src/estimation/rng.js';
import { randomProblem, randomStochastic, type ProblemShape } from './bruteForce.js';

export interface MixtureBruteForce {
  logLik: number;
  perSequence: number[];
  classPost: Float64Array;
  gamma: Float64Array;
  member: Float64Array;
  init: Float64Array;
  trans: Float64Array;
  emis: Float64Array;
}

/** A random mixture problem: C classes, per block either C tables (stride = one table) or one shared table (stride 0). */
export function randomMixtureProblem(rng: Rng, shape: ProblemShape & { C: number; nMember: number; shared: ('init' | 'trans' | 'emis')[] }): MixtureInputs {
  const { C, K, V, nInit, nTrans, nEmis, nMember } = shape;
  const base = randomProblem(rng, shape);
  const table = (own: number, n: number, per: number, shared: boolean) => {
    const copies = shared ? 1 : C;
    const t = new Float64Array(copies * own * per);
    for (let c = 0; c < copies; c++) t.set(randomStochastic(rng, own * (per / n), n), c * own * per);
    return { t, stride: shared ? 0 : own * per };
  };
  const init = table(nInit, K, K, shape.shared.includes('init'));
  const trans = table(nTrans, K, K * K, shape.shared.includes('trans'));
  const emis = table(nEmis, V, K * V, shape.shared.includes('emis'));
  const nSeq = base.offsets.length - 1;
  const memberIndex = new Int32Array(nSeq);
  for (let s = 0; s < nSeq; s++) memberIndex[s] = rng.int(nMember);
  return {
    nClasses: C,
    nStates: K,
    nVoice: V,
    offsets: base.offsets,
    voice: base.voice,
    memberIndex,
    memberProb: randomStochastic(rng, nMember, C, 0.1),
    initIndex: base.initIndex,
    initProb: init.t,
    initStride: init.stride,
    transIndex: base.transIndex,
    transProb: trans.t,
    transStride: trans.stride,
    emisIndex: base.emisIndex,
    emisProb: emis.t,
    emisStride: emis.stride,
  };
}

export function bruteForceMixture(p: MixtureInputs): MixtureBruteForce {
  const { nClasses: C, nStates: K, nVoice: V } = p;
  const nSeq = p.offsets.length - 1;
  const nRows = p.offsets[nSeq];
  const out: MixtureBruteForce = {
    logLik: 0,
    perSequence: [],
    classPost: new Float64Array(nSeq * C),
    gamma: new Float64Array(nRows * K),
    member: new Float64Array(p.memberProb.length),
    init: new Float64Array(p.initProb.length),
    trans: new Float64Array(p.transProb.length),
    emis: new Float64Array(p.emisProb.length),
  };
  for (let s = 0; s < nSeq; s++) {
    const r0 = p.offsets[s];
    const T = p.offsets[s + 1] - r0;
    const nPaths = K ** T;
    const joint = new Float64Array(C * nPaths);
    let total = 0;
    const pathOf = (q: number) => {
      const path: number[] = [];
      for (let t = 0, x = q; t < T; t++, x = Math.floor(x / K)) path.push(x % K);
      return path;
    };
    for (let c = 0; c < C; c++) {
      for (let q = 0; q < nPaths; q++) {
        const path = pathOf(q);
        let pr = p.memberProb[p.memberIndex[s] * C + c] * p.initProb[c * p.initStride + p.initIndex[s] * K + path[0]];
        for (let t = 0; t < T; t++) {
          const r = r0 + t;
          if (t > 0) pr *= p.transProb[c * p.transStride + (p.transIndex[r] * K + path[t - 1]) * K + path[t]];
          if (p.voice[r] >= 0) pr *= p.emisProb[c * p.emisStride + (p.emisIndex[r] * K + path[t]) * V + p.voice[r]];
        }
        joint[c * nPaths + q] = pr;
        total += pr;
      }
    }
    out.perSequence.push(Math.log(total));
    out.logLik += Math.log(total);
    for (let c = 0; c < C; c++) {
      for (let q = 0; q < nPaths; q++) {
        const path = pathOf(q);
        const w = joint[c * nPaths + q] / total;
        out.classPost[s * C + c] += w;
        out.member[p.memberIndex[s] * C + c] += w;
        out.init[c * p.initStride + p.initIndex[s] * K + path[0]] += w;
        for (let t = 0; t < T; t++) {
          const r = r0 + t;
          out.gamma[r * K + path[t]] += w;
          if (t > 0) out.trans[c * p.transStride + (p.transIndex[r] * K + path[t - 1]) * K + path[t]] += w;
          if (p.voice[r] >= 0) out.emis[c * p.emisStride + (p.emisIndex[r] * K + path[t]) * V + p.voice[r]] += w;
        }
      }
    }
  }
  return out;
}
