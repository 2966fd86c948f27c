/**
 * The M-step pass (compileLogitPass.ts) over chunks of patterns fixed by the design (PASS_CHUNK
 * patterns each, never by the number of threads), with the chunks' objective, gradient and
 * Hessian added up in chunk order: any thread can run any chunk, and the result is the same bits
 * for every number of threads. A design of at most PASS_CHUNK patterns is one chunk, the unchunked
 * pass.
 *
 * LogitPassData holds what a chunk reads and writes; every array may live in shared memory:
 *   patterns [p*nCols + j]; coef [(g*nOut + c)*nCols + j] (the coefficients of the pass to run);
 *   cache: per-pattern probability table [(p*nGroups + g)*nOut + c] or null;
 *   counts: per-pattern table or per grouped unit [u*nGroups + g] with start/outcome (GroupedUnits);
 *   q [chunk], gc [chunk*gcLength + e], hm [chunk*hmLength + e]: the chunks' results;
 *   unitProbs: the grouped units' probability table [u*nGroups + g] (modes GATHER, GATHER_COMPUTE,
 *   and passes with FILL_UNITS);
 *   lse: per pattern-group log-sum-exp [p*nGroups + g] kept with `cache` (passes with KEEP_LSE).
 */
import { compileLogitPass, type LogitPassShape } from './compileLogitPass.js';
import { logitTable } from './logitTable.js';

/** Patterns per chunk of the M-step pass. */
export const PASS_CHUNK = 1 << 16;

export interface LogitPassData {
  shape: Omit<LogitPassShape, 'grad' | 'hess' | 'probs'>;
  nPatterns: number;
  patterns: Float64Array;
  coef: Float64Array;
  cache: Float64Array | null;
  counts: Float64Array;
  start: Int32Array | null;
  outcome: Int32Array | null;
  gcLength: number;
  hmLength: number;
  q: Float64Array;
  gc: Float64Array;
  hm: Float64Array;
  /** With grouped units: the E-step's per-unit probability table [u*nGroups + g] the gather modes fill, or null. */
  unitProbs?: Float64Array | null;
  /** The log-sum-exp per pattern-group kept beside `cache` [p*nGroups + g], or null. */
  lse?: Float64Array | null;
}

/** Mode of runPassChunk that gathers the grouped units' probabilities from `cache` into `unitProbs`. */
export const GATHER = 16;
/** With GATHER: compute the chunk's rows of `cache` (at `coef`) first. */
export const GATHER_COMPUTE = 32;

/** With a pass reading or writing `cache`: write (probs out) or read (probs in) `lse` too (compileLogitPass.ts keep). */
export const KEEP_LSE = 64;
/** With a pass writing `cache` over grouped units: fill `unitProbs` too (compileLogitPass.ts gather). */
export const FILL_UNITS = 128;

/**
 * What a pass computes, as one integer (for a shared control word): grad 1, hess 2, probabilities
 * (0 exp, 1 in, 2 out) << 2, KEEP_LSE, FILL_UNITS.
 */
export function passMode(grad: boolean, hess: boolean, probs: LogitPassShape['probs'], keep = false, fill = false): number {
  return (grad ? 1 : 0) | (hess ? 2 : 0) | ((probs === 'exp' ? 0 : probs === 'in' ? 1 : 2) << 2) | (keep ? KEEP_LSE : 0) | (fill ? FILL_UNITS : 0);
}

function modeFlags(mode: number): Pick<LogitPassShape, 'grad' | 'hess' | 'probs' | 'keep' | 'gather'> {
  const p = (mode >> 2) & 3;
  return { grad: (mode & 1) !== 0, hess: (mode & 2) !== 0, probs: p === 0 ? 'exp' : p === 1 ? 'in' : 'out', keep: (mode & KEEP_LSE) !== 0, gather: (mode & FILL_UNITS) !== 0 };
}

export function passChunks(nPatterns: number): number {
  return Math.max(1, Math.ceil(nPatterns / PASS_CHUNK));
}

/**
 * Chunk c of the grouped units' probability table: the chunk's patterns' rows of `cache` computed
 * at `coef` (when `compute`) by logitTable, then every unit of those patterns gathered from them
 * into unitProbs [u*nGroups + g] = cache[(p*nGroups + g)*nOut + outcome[u]].
 */
function runGatherChunk(d: LogitPassData, c: number, compute: boolean, nb: Float64Array): void {
  const { nGroups, nOut, nCols } = d.shape;
  const p0 = c * PASS_CHUNK;
  const p1 = Math.min(d.nPatterns, p0 + PASS_CHUNK);
  const cache = d.cache!;
  const out = d.unitProbs!;
  const start = d.start!;
  const outcome = d.outcome!;
  if (compute) logitTable(p1 - p0, nGroups, nOut, nCols, d.patterns.subarray(p0 * nCols, p1 * nCols), d.coef, false, cache.subarray(p0 * nGroups * nOut, p1 * nGroups * nOut), nb);
  for (let p = p0; p < p1; p++) {
    const tb = p * nGroups * nOut;
    for (let u = start[p]; u < start[p + 1]; u++) {
      const o = outcome[u];
      for (let g = 0; g < nGroups; g++) out[u * nGroups + g] = cache[tb + g * nOut + o];
    }
  }
}

/** Run chunk c of the pass `mode` (nb: scratch of length >= nOut, the calling thread's own). */
export function runPassChunk(d: LogitPassData, c: number, mode: number, nb: Float64Array): void {
  if ((mode & GATHER) !== 0) {
    runGatherChunk(d, c, (mode & GATHER_COMPUTE) !== 0, nb);
    return;
  }
  const flags = modeFlags(mode);
  const pass = compileLogitPass({ ...d.shape, ...flags });
  const p0 = c * PASS_CHUNK;
  const p1 = Math.min(d.nPatterns, p0 + PASS_CHUNK);
  const { nGroups, nOut, nCols } = d.shape;
  const t0 = p0 * nGroups * nOut;
  const t1 = p1 * nGroups * nOut;
  const units = d.shape.layout === 'units';
  d.q[c] = pass(
    p1 - p0,
    d.patterns.subarray(p0 * nCols, p1 * nCols),
    d.coef,
    units ? d.counts : d.counts.subarray(t0, t1),
    units ? d.start!.subarray(p0, p1 + 1) : null,
    d.outcome,
    flags.grad ? d.gc.subarray(c * d.gcLength, (c + 1) * d.gcLength) : null,
    flags.hess ? d.hm.subarray(c * d.hmLength, (c + 1) * d.hmLength) : null,
    flags.probs === 'in' ? d.cache!.subarray(t0, t1) : null,
    flags.probs === 'out' ? d.cache!.subarray(t0, t1) : null,
    nb,
    flags.keep ? d.lse!.subarray(p0 * nGroups, p1 * nGroups) : null,
    flags.gather ? d.unitProbs! : null,
  );
}

/** The chunks' results added up in chunk order into gc / hm (when asked); returns the objective. */
export function reducePassChunks(d: LogitPassData, mode: number, gc: Float64Array, hm: Float64Array): number {
  const flags = modeFlags(mode);
  const n = passChunks(d.nPatterns);
  let q = 0;
  for (let c = 0; c < n; c++) q += d.q[c];
  if (flags.grad) {
    for (let e = 0; e < d.gcLength; e++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += d.gc[c * d.gcLength + e];
      gc[e] = s;
    }
  }
  if (flags.hess) {
    for (let e = 0; e < d.hmLength; e++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += d.hm[c * d.hmLength + e];
      hm[e] = s;
    }
  }
  return q;
}
