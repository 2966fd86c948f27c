/**
 * The E-step of a mixture of C input-output HMMs (latent classes of customers), compiled per
 * number of states K into straight-line code as compileHmmKernel.ts is (the same scaled recursion
 * and the same reasons: generic loops over K cost about 2.5x the unrolled arithmetic). It is a
 * separate kernel rather than C calls of the one-class kernel because the class posterior of a
 * customer needs every class's forward pass before any backward pass can weight its counts: per
 * sequence it runs the forward pass of every class (keeping each class's alpha, emission column and
 * scale factors), computes the class weights
 *   w_c = pi_c L_c / sum_c' pi_c' L_c'   (pi_c the membership probability, L_c the class likelihood),
 * then the backward pass of each class adding w_c-weighted expected counts. So C classes cost C
 * forward-backward passes, not C forward passes plus C forward-backward passes.
 *
 * Layouts (K states, V voices, C classes; nSeq sequences, nRows rows):
 *   offsets, voice, initIndex, transIndex, emisIndex   as in hmmInputs.ts (one design per block,
 *               the same patterns for every class)
 *   memberIndex Int32Array(nSeq): membership pattern per sequence
 *   memberProb  [p*C + c]: P(class c | membership pattern p)
 *   initProb    [c*initStride + p*K + k]: class c's table at offset c*initStride (stride 0: the
 *               block is shared by the classes, one table)
 *   transProb   [c*transStride + (p*K + i)*K + j]
 *   emisProb    [c*emisStride + (p*K + k)*V + v]
 *   cMember, cInit, cTrans, cEmis   count tables, ADDED to (mode 'counts'), same layouts and strides
 *               as the probability tables (a shared block's counts add up over the classes)
 *   alpha, emis work [(c*maxLen + t)*K + k] (t local to a sequence); invScale work [c*maxLen + t]
 *   logw        work [c], length >= C
 *   classPost   out [s*C + c] posterior class probabilities of sequence s, or null
 *   gamma       out [row*K + k] posterior state probabilities (summed over classes), or null
 *   perSeq      out [s] per-sequence log-likelihood, or null
 * Returns the log-likelihood; -Infinity as soon as some sequence has probability 0 in every class.
 */
import { checkHmmInputs } from './hmmInputs.js';

export type MixtureKernelMode = 'loglik' | 'counts';

export type MixtureKernel = (
  C: number,
  V: number,
  maxLen: number,
  offsets: Int32Array,
  voice: Int32Array,
  memberIndex: Int32Array,
  memberProb: Float64Array,
  initIndex: Int32Array,
  initProb: Float64Array,
  initStride: number,
  transIndex: Int32Array,
  transProb: Float64Array,
  transStride: number,
  emisIndex: Int32Array,
  emisProb: Float64Array,
  emisStride: number,
  alpha: Float64Array,
  emis: Float64Array,
  invScale: Float64Array,
  logw: Float64Array,
  cMember: Float64Array,
  cInit: Float64Array,
  cTrans: Float64Array,
  cEmis: Float64Array,
  classPost: Float64Array | null,
  gamma: Float64Array | null,
  perSeq: Float64Array | null,
) => number;

const ARGS = [
  'C', 'V', 'maxLen', 'offsets', 'voice', 'memberIndex', 'memberProb', 'initIndex', 'initProb', 'initStride', 'transIndex', 'transProb', 'transStride',
  'emisIndex', 'emisProb', 'emisStride', 'alpha', 'emis', 'invScale', 'logw', 'cMember', 'cInit', 'cTrans', 'cEmis', 'classPost', 'gamma', 'perSeq',
];

const cache = new Map<string, MixtureKernel>();

/** Most classes the kernel is compiled for (the class loop is unrolled too). */
export const MAX_KERNEL_CLASSES = 16;

/** The compiled mixture kernel for K states and C classes (cached). */
export function mixtureKernel(K: number, C: number, mode: MixtureKernelMode): MixtureKernel {
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`nStates must be an integer >= 1, got ${K}`);
  if (!Number.isInteger(C) || C < 1 || C > MAX_KERNEL_CLASSES) throw new RangeError(`nClasses must be an integer in 1..${MAX_KERNEL_CLASSES}, got ${C}`);
  const key = `${K}:${C}:${mode}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = new Function(...ARGS, mixtureKernelSource(K, C, mode)) as MixtureKernel;
    cache.set(key, f);
  }
  return f;
}

function each(K: number, body: (k: number) => string, sep = ' '): string {
  const out: string[] = [];
  for (let k = 0; k < K; k++) out.push(body(k));
  return out.join(sep);
}

/**
 * The JavaScript source of the kernel body for K states and C classes (exported for inspection
 * and tests). Both loops over states and over classes are unrolled: every row's indices and voice
 * are read once for all classes, and each class's recursion keeps its quantities in locals
 * (a{c}_{k}: alpha, e{c}_{k}: emission column, b{c}_{k}: beta), so C classes cost about C times the
 * arithmetic of one, with no extra passes over the panel.
 */
export function mixtureKernelSource(K: number, C: number, mode: MixtureKernelMode): string {
  const counts = mode === 'counts';
  const KK = K * K;
  const cls = (body: (c: number) => string, sep = '\n') => each(C, body, sep);
  // emission column of class c at the row whose base is eb (-1: missing voice -> 1)
  const loadEmission = (c: number) => `if (eb >= 0) { ${each(K, (k) => `e${c}_${k} = emisProb[eS${c} + eb + V${k}];`)} } else { ${each(K, (k) => `e${c}_${k} = 1;`)} }`;
  // as in compileHmmKernel.ts: a log only when the running product of scale factors gets small; a
  // class in which the sequence is impossible stops (ok{c} false: llc = -Infinity)
  const foldScale = (c: number) => `if (!(sum > 0)) { ok${c} = false; } else {
          inv = 1 / sum;
          if (sum < 1e-100) { la${c} += Math.log(sum); } else { pr${c} *= sum; if (pr${c} < 1e-200) { la${c} += Math.log(pr${c}); pr${c} = 1; } }`;
  const store = (c: number, t: string) =>
    counts ? `${each(K, (k) => `alpha[aw${c} + ${t} + ${k}] = a${c}_${k}; emis[aw${c} + ${t} + ${k}] = e${c}_${k};`)} invScale[sw${c} + ${t === '0' ? '0' : 't'}] = inv;` : '';
  return `'use strict';
  const KV = ${K} * V;
  ${each(K, (k) => `const V${k} = ${k} * V;`)}
  ${cls((c) => `const aw${c} = ${c} * maxLen * ${K}, sw${c} = ${c} * maxLen, iS${c} = ${c} * initStride, tS${c} = ${c} * transStride, eS${c} = ${c} * emisStride;`)}
  const nSeq = offsets.length - 1;
  let logLik = 0;
  let v = 0, sum = 0, inv = 0, eb = 0;
  ${cls((c) => `let ${each(K, (k) => `a${c}_${k} = 0, e${c}_${k} = 0, b${c}_${k} = 0`, ', ')};`)}
  for (let s = 0; s < nSeq; s++) {
    const r0 = offsets[s];
    const T = offsets[s + 1] - r0;
    if (T === 0) { ${counts ? '' : 'if (perSeq !== null) perSeq[s] = 0;'} continue; }
    const mb = memberIndex[s] * C;
    const ib = initIndex[s] * ${K};
    ${cls((c) => `let ok${c} = true, la${c} = 0, pr${c} = 1;`)}
    // ---- forward of every class
    let t = 0;
    v = voice[r0];
    eb = v >= 0 ? emisIndex[r0] * KV + v : -1;
    ${cls(
      (c) => `${loadEmission(c)}
    ${each(K, (k) => `a${c}_${k} = initProb[iS${c} + ib + ${k}] * e${c}_${k};`)}
    sum = ${each(K, (k) => `a${c}_${k}`, ' + ')};
    ${foldScale(c)}
      ${each(K, (k) => `a${c}_${k} *= inv;`)}
      ${store(c, '0')}
    }`,
    )}
    for (t = 1; t < T; t++) {
      const r = r0 + t;
      const tb = transIndex[r] * ${KK};
      v = voice[r];
      eb = v >= 0 ? emisIndex[r] * KV + v : -1;
      ${cls(
        (c) => `if (ok${c}) {
        ${loadEmission(c)}
        ${each(K, (j) => `const n${j} = (${each(K, (i) => `a${c}_${i} * transProb[tS${c} + tb + ${i * K + j}]`, ' + ')}) * e${c}_${j};`, '\n        ')}
        sum = ${each(K, (k) => `n${k}`, ' + ')};
        ${foldScale(c)}
          ${each(K, (k) => `a${c}_${k} = n${k} * inv;`)}
          ${store(c, `t * ${K}`)}
        }
      }`,
      )}
    }
    // ---- class weights: w_c = pi_c L_c / sum_c' pi_c' L_c'
    let mx = -Infinity;
    ${cls((c) => `const pc${c} = memberProb[mb + ${c}];
    const lw${c} = ok${c} && pc${c} > 0 ? la${c} + Math.log(pr${c}) + Math.log(pc${c}) : -Infinity;
    if (lw${c} > mx) mx = lw${c};`)}
    if (mx === -Infinity) return -Infinity;
    ${cls((c) => `const x${c} = Math.exp(lw${c} - mx);`)}
    const tot = ${cls((c) => `x${c}`, ' + ')};
    const ll = mx + Math.log(tot);
    logLik += ll;
    if (perSeq !== null) perSeq[s] = ll;
    ${cls((c) => `const w${c} = x${c} / tot;`)}
    if (classPost !== null) { const pb = s * C; ${cls((c) => `classPost[pb + ${c}] = w${c};`, ' ')} }
    ${counts ? backwardSource(K, C) : ''}
  }
  return logLik;`;
}

/**
 * Backward passes of one sequence, all classes in one sweep over its rows, each class's counts
 * weighted by its class weight w{c} (see backwardSource in compileHmmKernel.ts for the recursion).
 */
function backwardSource(K: number, C: number): string {
  const KK = K * K;
  const cls = (body: (c: number) => string, sep = '\n') => each(C, body, sep);
  return `
    ${cls((c) => `cMember[mb + ${c}] += w${c};`, ' ')}
    ${cls((c) => `${each(K, (k) => `b${c}_${k} = 1;`)}`, ' ')}
    for (t = T - 1; ; t--) {
      const r = r0 + t;
      const cc = t * ${K};
      v = voice[r];
      eb = v >= 0 ? emisIndex[r] * KV + v : -1;
      const gb = r * ${K};
      if (gamma !== null) { ${each(K, (k) => `gamma[gb + ${k}] = 0;`)} }
      const tb = t > 0 ? transIndex[r] * ${KK} : 0;
      ${cls(
        (c) => `if (w${c} !== 0) {
        ${each(K, (k) => `const g${k} = w${c} * alpha[aw${c} + cc + ${k}] * b${c}_${k};`)}
        if (eb >= 0) { ${each(K, (k) => `cEmis[eS${c} + eb + V${k}] += g${k};`)} }
        if (gamma !== null) { ${each(K, (k) => `gamma[gb + ${k}] += g${k};`)} }
        if (t === 0) { ${each(K, (k) => `cInit[iS${c} + ib + ${k}] += g${k};`)} }
        else {
          inv = invScale[sw${c} + t];
          ${each(K, (k) => `b${c}_${k} *= emis[aw${c} + cc + ${k}] * inv;`)}
          const tc = tS${c} + tb;
          const p = aw${c} + cc - ${K};
          ${each(
            K,
            (i) => `const p${i} = w${c} * alpha[p + ${i}];
          ${each(K, (j) => `const x${i}_${j} = transProb[tc + ${i * K + j}] * b${c}_${j}; cTrans[tc + ${i * K + j}] += p${i} * x${i}_${j};`, '\n          ')}
          const nb${i} = ${each(K, (j) => `x${i}_${j}`, ' + ')};`,
            '\n          ',
          )}
          ${each(K, (k) => `b${c}_${k} = nb${k};`)}
        }
      }`,
      )}
      if (t === 0) break;
    }`;
}

/** What one call of the mixture kernel reads and writes (layouts in the file header). */
export interface MixtureInputs {
  nClasses: number;
  nStates: number;
  nVoice: number;
  offsets: Int32Array;
  voice: Int32Array;
  memberIndex: Int32Array;
  memberProb: Float64Array;
  initIndex: Int32Array;
  initProb: Float64Array;
  initStride: number;
  transIndex: Int32Array;
  transProb: Float64Array;
  transStride: number;
  emisIndex: Int32Array;
  emisProb: Float64Array;
  emisStride: number;
}

/** Count tables of the mixture E-step, same layouts and strides as the probability tables. */
export interface MixtureCounts {
  member: Float64Array;
  init: Float64Array;
  trans: Float64Array;
  emis: Float64Array;
}

/** Work buffers of the mixture kernel (layouts in the file header). */
export interface MixtureWork {
  nClasses: number;
  nStates: number;
  maxLen: number;
  alpha: Float64Array;
  emis: Float64Array;
  invScale: Float64Array;
  logw: Float64Array;
}

export function createMixtureWork(nClasses: number, nStates: number, maxLen: number): MixtureWork {
  if (!Number.isInteger(nClasses) || nClasses < 1) throw new RangeError(`nClasses must be an integer >= 1, got ${nClasses}`);
  if (!Number.isInteger(nStates) || nStates < 1) throw new RangeError(`nStates must be an integer >= 1, got ${nStates}`);
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new RangeError(`maxLen must be an integer >= 0, got ${maxLen}`);
  const n = Math.max(1, maxLen);
  return {
    nClasses,
    nStates,
    maxLen: n,
    alpha: new Float64Array(nClasses * n * nStates),
    emis: new Float64Array(nClasses * n * nStates),
    invScale: new Float64Array(nClasses * n),
    logw: new Float64Array(nClasses),
  };
}

/** Class 1's table (the whole table when shared), after checking that C class tables fit the stride. */
function classTable(name: string, table: Float64Array, stride: number, C: number, per: number): Float64Array {
  if (!Number.isInteger(stride) || stride < 0 || stride % per !== 0) throw new RangeError(`${name} stride ${stride} is not a non-negative multiple of ${per}`);
  const own = stride === 0 ? table.length : stride;
  if (table.length < (C - 1) * stride + own) throw new RangeError(`${name}: length ${table.length}, expected at least ${(C - 1) * stride + own} for ${C} classes`);
  return table.subarray(0, own);
}

/**
 * Check every size and index (O(nRows)): RangeError on a mismatch. Done once when a mixture E-step
 * is set up. The panel and class 1's tables are checked as the one-class kernel's inputs
 * (hmmInputs.ts); then the strides, the membership table and index. Returns the longest sequence.
 */
export function checkMixtureInputs(inp: MixtureInputs, counts?: MixtureCounts): number {
  const { nClasses: C, nStates: K, nVoice: V } = inp;
  if (!Number.isInteger(C) || C < 1) throw new RangeError(`nClasses must be an integer >= 1, got ${C}`);
  const maxLen = checkHmmInputs({
    ...inp,
    initProb: classTable('initProb', inp.initProb, inp.initStride, C, K),
    transProb: classTable('transProb', inp.transProb, inp.transStride, C, K * K),
    emisProb: classTable('emisProb', inp.emisProb, inp.emisStride, C, K * V),
  });
  const nSeq = inp.offsets.length - 1;
  if (inp.memberIndex.length !== nSeq) throw new RangeError(`memberIndex: length ${inp.memberIndex.length}, expected ${nSeq} sequences`);
  if (inp.memberProb.length % C !== 0) throw new RangeError(`memberProb: length ${inp.memberProb.length} is not a multiple of ${C}`);
  const nMember = inp.memberProb.length / C;
  for (let s = 0; s < nSeq; s++) {
    const m = inp.memberIndex[s];
    if (!(m >= 0 && m < nMember)) throw new RangeError(`memberIndex[${s}] = ${m} outside [0, ${nMember})`);
  }
  if (counts) {
    if (counts.member.length !== inp.memberProb.length) throw new RangeError(`member counts: length ${counts.member.length}, expected ${inp.memberProb.length}`);
    if (counts.init.length !== inp.initProb.length) throw new RangeError(`initial counts: length ${counts.init.length}, expected ${inp.initProb.length}`);
    if (counts.trans.length !== inp.transProb.length) throw new RangeError(`transition counts: length ${counts.trans.length}, expected ${inp.transProb.length}`);
    if (counts.emis.length !== inp.emisProb.length) throw new RangeError(`emission counts: length ${counts.emis.length}, expected ${inp.emisProb.length}`);
  }
  return maxLen;
}

function checkWork(work: MixtureWork, C: number, K: number, maxLen: number): void {
  if (work.nClasses !== C || work.nStates !== K) throw new RangeError(`work buffers are for ${work.nClasses} classes x ${work.nStates} states, inputs have ${C} x ${K}`);
  if (maxLen > work.maxLen) throw new RangeError(`a sequence has ${maxLen} rows, work buffers hold ${work.maxLen}`);
  if (work.alpha.length < C * work.maxLen * K || work.emis.length < C * work.maxLen * K || work.invScale.length < C * work.maxLen || work.logw.length < C) {
    throw new RangeError('work buffers are shorter than their declared size');
  }
}

/**
 * The mixture E-step over sequences s0 .. s1-1 of `inp` (all by default): mode 'counts' ADDS the
 * weighted expected counts; classPost [s*C + c] and gamma [row*K + k] (whole-panel layouts) are
 * written for those sequences when given; perSeq [s] likewise. Returns their log-likelihood.
 * `maxLen` is the longest sequence (checkMixtureInputs); sizes are checked here in O(1).
 */
export function mixtureEStep(
  inp: MixtureInputs,
  work: MixtureWork,
  counts: MixtureCounts | null,
  out: { classPost?: Float64Array | null; gamma?: Float64Array | null; perSeq?: Float64Array | null } = {},
  s0 = 0,
  s1 = inp.offsets.length - 1,
): number {
  const C = inp.nClasses;
  const K = inp.nStates;
  const nSeq = inp.offsets.length - 1;
  if (!(Number.isInteger(s0) && Number.isInteger(s1) && 0 <= s0 && s0 <= s1 && s1 <= nSeq)) throw new RangeError(`sequence range [${s0}, ${s1}) outside [0, ${nSeq}]`);
  checkWork(work, C, K, 0);
  const nRows = inp.offsets[nSeq];
  const { classPost = null, gamma = null, perSeq = null } = out;
  if (classPost !== null && classPost.length !== nSeq * C) throw new RangeError(`classPost: length ${classPost.length}, expected ${nSeq * C}`);
  if (gamma !== null && gamma.length !== nRows * K) throw new RangeError(`gamma: length ${gamma.length}, expected ${nRows * K}`);
  if (perSeq !== null && perSeq.length !== nSeq) throw new RangeError(`perSeq: length ${perSeq.length}, expected ${nSeq}`);
  const mode: MixtureKernelMode = counts === null ? 'loglik' : 'counts';
  const empty = new Float64Array(0);
  return mixtureKernel(K, C, mode)(
    C, inp.nVoice, work.maxLen, inp.offsets.subarray(s0, s1 + 1), inp.voice, inp.memberIndex.subarray(s0, s1), inp.memberProb,
    inp.initIndex.subarray(s0, s1), inp.initProb, inp.initStride, inp.transIndex, inp.transProb, inp.transStride,
    inp.emisIndex, inp.emisProb, inp.emisStride, work.alpha, work.emis, work.invScale, work.logw,
    counts?.member ?? empty, counts?.init ?? empty, counts?.trans ?? empty, counts?.emis ?? empty,
    classPost === null ? null : classPost.subarray(s0 * C, s1 * C), gamma, perSeq === null ? null : perSeq.subarray(s0, s1),
  );
}
