/**
 * The M-step pass of a grouped multinomial logit (objective, gradient, Hessian; see logitPass.ts),
 * compiled per shape (groups, outcomes, design columns, free outcomes per group) into straight-line
 * code: the loops over outcomes, free outcomes, columns and column pairs are unrolled, the
 * coefficients are read into locals once per call, the per-outcome quantities live in locals, and
 * the linear predictor of an outcome whose coefficients are all
 * fixed at 0 (the reference) is the literal 0. Why: this pass runs once or twice per EM iteration
 * over every distinct design row (nearly every panel row with a stock or continuous covariate),
 * and the generic loops with their scratch arrays cost about 2-3x the unrolled arithmetic on V8.
 *
 * The generated code performs logitPass's operations in logitPass's order on the same values, so
 * it returns the same bits (the literal 0 for a fixed outcome's predictor differs at most in the
 * sign of a zero, which neither exp(0) = 1 nor any later difference or product can see).
 *
 * Compiled function arguments:
 *   (nPatterns, patterns, coef, counts, start, outcome, gc, hm, probIn, probOut, nb) -> objective
 *   patterns  row-major [p*nCols + j]; coef row-major [(g*nOut + c)*nCols + j]
 *   counts    layout 'patterns': [(p*nGroups + g)*nOut + c];
 *             layout 'units': [u*nGroups + g] over units grouped by pattern: units of p are
 *             start[p] .. start[p+1]-1 with outcomes outcome[u] (start, outcome unused otherwise)
 *   gc, hm    as logitPass (written, not added to), or null when not asked
 *   probIn    per-pattern probability table at these coefficients (used instead of exp) or null
 *   probOut   per-pattern table to fill (every pattern-group) or null; not both
 *   nb        scratch, length >= nOut
 *   lse       with shape.keep: per pattern-group [p*nGroups + g] log-sum-exp of the objective
 *             (eta_c - log pi_c of the likeliest outcome c): written for every pattern-group with
 *             probs 'out', read instead of recomputed with probs 'in' (the 'out' pass at the same
 *             coefficients computed it from the same probabilities, so the same bits); else null
 *   unitOut   with shape.gather (layout 'units', probs 'out'): the grouped units' probability
 *             table [u*nGroups + g] = probOut[(p*nGroups + g)*nOut + outcome[u]], the E-step's
 *             gather done while the pattern's probabilities are at hand; else null
 * Sizes are checked by the caller (logitPass's checks).
 */
export type CompiledLogitPass = (
  nPatterns: number,
  patterns: Float64Array,
  coef: Float64Array,
  counts: Float64Array,
  start: Int32Array | null,
  outcome: Int32Array | null,
  gc: Float64Array | null,
  hm: Float64Array | null,
  probIn: Float64Array | null,
  probOut: Float64Array | null,
  nb: Float64Array,
  lse?: Float64Array | null,
  unitOut?: Float64Array | null,
) => number;

export interface LogitPassShape {
  nGroups: number;
  nOut: number;
  nCols: number;
  /** Free outcomes per group, row-major [g*nFree + a]. */
  free: Int32Array;
  nFree: number;
  /** Whether coefficient (g, c) has every column fixed at 0 (map -1): [g*nOut + c]. */
  fixed: Uint8Array;
  layout: 'patterns' | 'units';
  grad: boolean;
  hess: boolean;
  /** Probabilities: 'exp' computes them, 'in' reads probIn, 'out' computes and writes probOut. */
  probs: 'exp' | 'in' | 'out';
  /** Keep the log-sum-exp per pattern-group (written with probs 'out', read with 'in'; see lse). */
  keep?: boolean;
  /** With layout 'units' and probs 'out': fill unitOut (see unitOut). */
  gather?: boolean;
}

const cache = new Map<string, CompiledLogitPass>();

/** The compiled pass for a shape (cached). */
export function compileLogitPass(shape: LogitPassShape): CompiledLogitPass {
  const key = JSON.stringify({ ...shape, free: Array.from(shape.free), fixed: Array.from(shape.fixed) });
  let f = cache.get(key);
  if (f === undefined) {
    f = new Function('nPatterns', 'patterns', 'coef', 'counts', 'start', 'outcome', 'gc', 'hm', 'probIn', 'probOut', 'nb', 'lse', 'unitOut', logitPassSource(shape)) as CompiledLogitPass;
    cache.set(key, f);
  }
  return f;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The body of the compiled pass (exported for inspection in tests). */
export function logitPassSource(s: LogitPassShape): string {
  const { nGroups: G, nOut: V, nCols: J, nFree: F, free, fixed } = s;
  const keep = s.keep === true && s.probs !== 'exp';
  const gather = s.gather === true && s.layout === 'units' && s.probs === 'out';
  const nTri = (J * (J + 1)) / 2;
  const nPairs = (F * (F + 1)) / 2;
  const tri: [number, number][] = [];
  for (let j = 0; j < J; j++) for (let k = j; k < J; k++) tri.push([j, k]);
  const L: string[] = [];
  // the argument under another name: each group's block declares its own `lse`
  if (keep) L.push('const lse_ = lse;');
  const coefName = (g: number, c: number, j: number) => `b${g}_${c}_${j}`;
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < V; c++) {
      if (fixed[g * V + c]) continue;
      for (let j = 0; j < J; j++) L.push(`const ${coefName(g, c, j)} = coef[${(g * V + c) * J + j}];`);
    }
  }
  if (s.grad) L.push(`gc.fill(0);`);
  // (gradient and Hessian accumulate in gc and hm themselves: as locals, their sums outnumber the
  // registers and the pass ran about 2x slower)
  if (s.hess) L.push(`hm.fill(0);`);
  L.push('let q = 0;');
  L.push('for (let p = 0; p < nPatterns; p++) {');
  if (s.layout === 'units') {
    L.push('const u0 = start[p]; const u1 = start[p + 1];');
    if (s.probs !== 'out') L.push('if (u0 === u1) continue;');
  }
  for (let j = 0; j < J; j++) L.push(`const x${j} = patterns[p * ${J} + ${j}];`);
  if (s.hess) for (let t = 0; t < nTri; t++) L.push(`const xx${t} = x${tri[t][0]} * x${tri[t][1]};`);
  for (let g = 0; g < G; g++) {
    L.push('{');
    L.push(`const o = (p * ${G} + ${g}) * ${V};`);
    if (s.layout === 'patterns') {
      for (let c = 0; c < V; c++) L.push(`const n${c} = counts[o + ${c}];`);
    } else {
      for (let c = 0; c < V; c++) L.push(`nb[${c}] = 0;`);
      L.push(`for (let u = u0; u < u1; u++) nb[outcome[u]] = counts[u * ${G} + ${g}];`);
      for (let c = 0; c < V; c++) L.push(`const n${c} = nb[${c}];`);
    }
    L.push('let total = 0;');
    for (let c = 0; c < V; c++) L.push(`total += n${c};`);
    const skip = s.probs === 'out' ? '' : 'if (total === 0) break block;';
    L.push(`block: {`);
    L.push(skip);
    for (let c = 0; c < V; c++) {
      if (fixed[g * V + c]) {
        L.push(`const eta${c} = 0;`);
        continue;
      }
      const terms = range(J).map((j) => `x${j} * ${coefName(g, c, j)}`);
      // two columns: logitPass's unrolled form; otherwise its loop's 0 + ... + ...
      L.push(`const eta${c} = ${J === 2 ? terms.join(' + ') : ['0', ...terms].join(' + ')};`);
    }
    if (s.probs === 'in') {
      for (let c = 0; c < V; c++) L.push(`const pi${c} = probIn[o + ${c}];`);
    } else {
      L.push('let max = -Infinity;');
      for (let c = 0; c < V; c++) L.push(`if (eta${c} > max) max = eta${c};`);
      L.push('const shift = max > 700 ? max : 0;');
      L.push('let sum = 0;');
      for (let c = 0; c < V; c++) {
        L.push(`const d${c} = eta${c} - shift; const e${c} = d${c} === 0 ? 1 : Math.exp(d${c}); sum += e${c};`);
      }
      L.push('const inv = 1 / sum;');
      for (let c = 0; c < V; c++) L.push(`const pi${c} = e${c} * inv;`);
      if (s.probs === 'out') {
        for (let c = 0; c < V; c++) L.push(`probOut[o + ${c}] = pi${c};`);
        if (gather) L.push(`for (let u = u0; u < u1; u++) unitOut[u * ${G} + ${g}] = probOut[o + outcome[u]];`);
        if (!keep) L.push('if (total === 0) break block;');
      }
    }
    if (keep && s.probs === 'in') {
      L.push(`const lse = lse_[p * ${G} + ${g}];`);
    } else {
      // log-sum-exp from the likeliest outcome (strict >: the first of equals, as logitPass)
      L.push('let bp = pi0; let be = eta0;');
      for (let c = 1; c < V; c++) L.push(`if (pi${c} > bp) { bp = pi${c}; be = eta${c}; }`);
      L.push('const lse = be - Math.log(bp);');
      if (keep) L.push(`lse_[p * ${G} + ${g}] = lse;`, 'if (total === 0) break block;');
    }
    L.push('let qq = 0;');
    for (let c = 0; c < V; c++) L.push(`if (n${c} !== 0) qq += n${c} * (eta${c} - lse);`);
    L.push('q += qq;');
    if (s.grad) {
      for (let a = 0; a < F; a++) {
        const c = free[g * F + a];
        L.push(`{ const r = n${c} - total * pi${c};`);
        for (let j = 0; j < J; j++) L.push(`gc[${(g * F + a) * J + j}] += r * x${j};`);
        L.push('}');
      }
    }
    if (s.hess) {
      let ab = 0;
      for (let a = 0; a < F; a++) {
        const ca = free[g * F + a];
        L.push(`{ const pa = pi${ca}; const npa = total * pa;`);
        for (let b = a; b < F; b++, ab++) {
          const w = b === a ? 'npa - npa * pa' : `-npa * pi${free[g * F + b]}`;
          L.push(`{ const w = ${w};`);
          for (let t = 0; t < nTri; t++) L.push(`hm[${(g * nPairs + ab) * nTri + t}] += w * xx${t};`);
          L.push('}');
        }
        L.push('}');
      }
    }
    L.push('}'); // block
    L.push('}');
  }
  L.push('}');
  L.push('return q;');
  return L.join('\n');
}
