/**
 * The scaled forward(-backward) recursion: the single numeric path of squeaky's likelihood,
 * written once as a template and compiled, per number of states K, into straight-line code.
 *
 * Why a template: with K = 2..5 the inner loops run 2..5 times, and generic loops over K cost
 * about 2.5x the time of the same arithmetic unrolled (measured on V8/Node 20: K=3 E-step 57 ns/row
 * with loops, 25 ns/row unrolled; benchmarks/estep.mjs). Rather than keep hand-unrolled copies
 * per K next to a generic one, the recursion below is emitted for the requested K, with every
 * state index a literal and every per-state quantity a local variable. The forward-only
 * log-likelihood and forward-backward are emitted from the same lines, so they compute the same
 * numbers to the last bit.
 *
 * Compiled kernel arguments (layouts as in hmmInputs.ts):
 *   (V, offsets, voice, initIndex, initProb, transIndex, transProb, emisIndex, emisProb,
 *    alpha, emis, invScale, cInit, cTrans, cEmis, gamma, perSeq) -> logLik
 *   alpha, emis  work, row-major [t*K + k] (t local to a sequence); invScale work [t]
 *   cInit/cTrans/cEmis  count tables, ADDED to (mode 'counts')
 *   gamma        posterior out [row*K + k] or null (mode 'counts')
 *   perSeq       per-sequence log-likelihood out [s] or null (mode 'loglik')
 * Returns -Infinity as soon as some sequence has probability 0.
 */
export type HmmKernelMode = 'loglik' | 'counts';

export type HmmKernel = (
  V: number,
  offsets: Int32Array,
  voice: Int32Array,
  initIndex: Int32Array,
  initProb: Float64Array,
  transIndex: Int32Array,
  transProb: Float64Array,
  emisIndex: Int32Array,
  emisProb: Float64Array,
  alpha: Float64Array,
  emis: Float64Array,
  invScale: Float64Array,
  cInit: Float64Array,
  cTrans: Float64Array,
  cEmis: Float64Array,
  gamma: Float64Array | null,
  perSeq: Float64Array | null,
) => number;

const cache = new Map<string, HmmKernel>();

/** The compiled kernel for K states (cached). */
export function hmmKernel(K: number, mode: HmmKernelMode): HmmKernel {
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`nStates must be an integer >= 1, got ${K}`);
  const key = `${K}:${mode}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = new Function(
      'V', 'offsets', 'voice', 'initIndex', 'initProb', 'transIndex', 'transProb', 'emisIndex', 'emisProb',
      'alpha', 'emis', 'invScale', 'cInit', 'cTrans', 'cEmis', 'gamma', 'perSeq',
      hmmKernelSource(K, mode),
    ) as HmmKernel;
    cache.set(key, f);
  }
  return f;
}

/** `body(k)` for k = 0..K-1, joined by `sep`. */
function each(K: number, body: (k: number) => string, sep = ' '): string {
  const out: string[] = [];
  for (let k = 0; k < K; k++) out.push(body(k));
  return out.join(sep);
}

/** The JavaScript source of the kernel body for K states (exported for inspection and tests). */
export function hmmKernelSource(K: number, mode: HmmKernelMode): string {
  const counts = mode === 'counts';
  const KK = K * K;
  // Emission probabilities of row r's voice in each state into e0..e{K-1} (1 when voice is missing).
  const loadEmission = (r: string) => `
      ${each(K, (k) => `e${k} = 1;`)}
      if (v >= 0) { const eb = emisIndex[${r}] * KV + v; ${each(K, (k) => `e${k} = emisProb[eb + V${k}];`)} }`;
  // Fold the scale factor c = sum into the log-likelihood: a log is taken only when the running
  // product gets small, avoiding one Math.log per row without risk of underflow.
  const foldScale = `
      if (!(sum > 0)) return -Infinity;
      inv = 1 / sum;
      if (sum < 1e-100) { logAcc += Math.log(sum); } else { prod *= sum; if (prod < 1e-200) { logAcc += Math.log(prod); prod = 1; } }`;
  const store = (c: string) =>
    counts ? `${each(K, (k) => `alpha[${c} + ${k}] = a${k}; emis[${c} + ${k}] = e${k};`)} invScale[t] = inv;` : '';

  return `'use strict';
  const KV = ${K} * V;
  ${each(K, (k) => `const V${k} = ${k} * V;`)}
  const nSeq = offsets.length - 1;
  let logLik = 0;
  let v = 0, sum = 0, inv = 0;
  let ${each(K, (k) => `a${k} = 0, e${k} = 0, b${k} = 0`, ', ')};
  for (let s = 0; s < nSeq; s++) {
    const r0 = offsets[s];
    const T = offsets[s + 1] - r0;
    if (T === 0) { ${counts ? '' : 'if (perSeq !== null) perSeq[s] = 0;'} continue; }
    const ib = initIndex[s] * ${K};
    let logAcc = 0, prod = 1;
    // ---- forward: alpha_t(k) = P(S_t = k | voice up to t), c_t = P(voice_t | voice before t)
    let t = 0;
    v = voice[r0];
    ${loadEmission('r0')}
    ${each(K, (k) => `a${k} = initProb[ib + ${k}] * e${k};`)}
    sum = ${each(K, (k) => `a${k}`, ' + ')};
    ${foldScale}
    ${each(K, (k) => `a${k} *= inv;`)}
    ${store('0')}
    for (t = 1; t < T; t++) {
      const r = r0 + t;
      const tb = transIndex[r] * ${KK};
      v = voice[r];
      ${loadEmission('r')}
      ${each(K, (j) => `const n${j} = (${each(K, (i) => `a${i} * transProb[tb + ${i * K + j}]`, ' + ')}) * e${j};`, '\n      ')}
      sum = ${each(K, (k) => `n${k}`, ' + ')};
      ${foldScale}
      ${each(K, (k) => `a${k} = n${k} * inv;`)}
      ${store(`t * ${K}`)}
    }
    const ll = logAcc + Math.log(prod);
    logLik += ll;
    ${counts ? '' : 'if (perSeq !== null) perSeq[s] = ll;'}
    ${counts ? backwardSource(K) : ''}
  }
  return logLik;`;
}

/**
 * Backward pass of one sequence, accumulating as it goes:
 *   gamma_t(k) = alpha_t(k) beta_t(k)
 *   b'_j = e_t(j) beta_t(j) / c_t,  xi_t(i,j) = alpha_{t-1}(i) A_t(i,j) b'_j,  beta_{t-1}(i) = sum_j A_t(i,j) b'_j
 * where A_t is the transition table of row t's pattern (transition INTO row t).
 */
function backwardSource(K: number): string {
  const KK = K * K;
  return `
    // ---- backward (beta kept for the current row only)
    ${each(K, (k) => `b${k} = 1;`)}
    for (t = T - 1; ; t--) {
      const r = r0 + t;
      const c = t * ${K};
      v = voice[r];
      ${each(K, (k) => `const g${k} = alpha[c + ${k}] * b${k};`)}
      if (v >= 0) { const eb = emisIndex[r] * KV + v; ${each(K, (k) => `cEmis[eb + V${k}] += g${k};`)} }
      if (gamma !== null) { const gb = r * ${K}; ${each(K, (k) => `gamma[gb + ${k}] = g${k};`)} }
      if (t === 0) { ${each(K, (k) => `cInit[ib + ${k}] += g${k};`)} break; }
      inv = invScale[t];
      ${each(K, (k) => `b${k} *= emis[c + ${k}] * inv;`)}
      const tb = transIndex[r] * ${KK};
      const p = c - ${K};
      ${each(
        K,
        (i) => `const p${i} = alpha[p + ${i}];
      ${each(K, (j) => `const x${i}_${j} = transProb[tb + ${i * K + j}] * b${j}; cTrans[tb + ${i * K + j}] += p${i} * x${i}_${j};`, '\n      ')}
      const nb${i} = ${each(K, (j) => `x${i}_${j}`, ' + ')};`,
        '\n      ',
      )}
      ${each(K, (k) => `b${k} = nb${k};`)}
    }`;
}
