/**
 * Probability (or log-probability) table of a grouped multinomial logit at given design rows:
 * a pure kernel, run once per EM iteration over every distinct design row, hence hand-written.
 *
 * Layouts:
 *   rows   row-major [p*nCols + j]
 *   coef   row-major [(g*nOut + c)*nCols + j]
 *   out    row-major [(p*nGroups + g)*nOut + c]
 *   eta    scratch, length >= nOut
 * Every group must have a reference outcome whose coefficients are all 0, so that
 * sum_c exp(eta_c) >= 1 and no max-shift is needed unless some eta could overflow (> 700).
 */
export function logitTable(
  nPatterns: number,
  nGroups: number,
  nOut: number,
  nCols: number,
  rows: Float64Array,
  coef: Float64Array,
  log: boolean,
  out: Float64Array,
  eta: Float64Array,
): void {
  if (rows.length < nPatterns * nCols) throw new RangeError(`rows: length ${rows.length}, need ${nPatterns * nCols}`);
  if (coef.length !== nGroups * nOut * nCols) throw new RangeError(`coef: length ${coef.length} != ${nGroups * nOut * nCols}`);
  if (out.length < nPatterns * nGroups * nOut) throw new RangeError(`out: length ${out.length}, need ${nPatterns * nGroups * nOut}`);
  if (eta.length < nOut) throw new RangeError(`eta: length ${eta.length} < ${nOut}`);
  if (nOut * nCols <= COMPILED_MAX) {
    compiledTable(nOut, nCols)(nPatterns, nGroups, rows, coef, log, out);
    return;
  }
  for (let p = 0; p < nPatterns; p++) {
    const xb = p * nCols;
    for (let g = 0; g < nGroups; g++) {
      const o = (p * nGroups + g) * nOut;
      let max = -Infinity;
      for (let c = 0; c < nOut; c++) {
        const cb = (g * nOut + c) * nCols;
        let v = 0;
        for (let j = 0; j < nCols; j++) v += rows[xb + j] * coef[cb + j];
        eta[c] = v;
        if (v > max) max = v;
      }
      const shift = max > 700 ? max : 0;
      let sum = 0;
      for (let c = 0; c < nOut; c++) {
        const d = eta[c] - shift;
        const e = d === 0 ? 1 : Math.exp(d);
        out[o + c] = e;
        sum += e;
      }
      if (log) {
        const lse = shift + Math.log(sum);
        for (let c = 0; c < nOut; c++) out[o + c] = eta[c] - lse;
      } else {
        const inv = 1 / sum;
        for (let c = 0; c < nOut; c++) out[o + c] *= inv;
      }
    }
  }
}

/**
 * Shapes (outcomes x columns) up to this size run a table compiled for the shape: the loops over
 * outcomes and columns unrolled into straight-line code (the E-step recomputes the emission table
 * of every pattern each iteration; with a pattern per few rows it costs as much as the
 * forward-backward). The compiled code does the same operations in the same order as the loops
 * above, so the tables are the same to the last bit.
 */
const COMPILED_MAX = 64;

type CompiledTable = (nPatterns: number, nGroups: number, rows: Float64Array, coef: Float64Array, log: boolean, out: Float64Array) => void;
const compiled = new Map<string, CompiledTable>();

function compiledTable(nOut: number, nCols: number): CompiledTable {
  const key = `${nOut}:${nCols}`;
  let f = compiled.get(key);
  if (f === undefined) {
    f = new Function('nPatterns', 'nGroups', 'rows', 'coef', 'log', 'out', compiledTableSource(nOut, nCols)) as CompiledTable;
    compiled.set(key, f);
  }
  return f;
}

/** The body of the compiled table for nOut outcomes and nCols columns (exported for tests). */
export function compiledTableSource(nOut: number, nCols: number): string {
  const O = nOut;
  const J = nCols;
  const out: string[] = ["'use strict';", 'for (let p = 0; p < nPatterns; p++) {', `  const xb = p * ${J};`];
  for (let j = 0; j < J; j++) out.push(`  const x${j} = rows[xb + ${j}];`);
  out.push('  for (let g = 0; g < nGroups; g++) {', `    const cb = g * ${O * J};`, `    const o = (p * nGroups + g) * ${O};`, '    let max = -Infinity;');
  for (let c = 0; c < O; c++) {
    out.push(`    let v${c} = 0;`);
    for (let j = 0; j < J; j++) out.push(`    v${c} += x${j} * coef[cb + ${c * J + j}];`);
    out.push(`    if (v${c} > max) max = v${c};`);
  }
  out.push('    const shift = max > 700 ? max : 0;', '    let sum = 0;');
  for (let c = 0; c < O; c++) out.push(`    const d${c} = v${c} - shift;`, `    const e${c} = d${c} === 0 ? 1 : Math.exp(d${c});`, `    sum += e${c};`);
  out.push('    if (log) {', '      const lse = shift + Math.log(sum);');
  for (let c = 0; c < O; c++) out.push(`      out[o + ${c}] = v${c} - lse;`);
  out.push('    } else {', '      const inv = 1 / sum;');
  for (let c = 0; c < O; c++) out.push(`      out[o + ${c}] = e${c} * inv;`);
  out.push('    }', '  }', '}');
  return out.join('\n');
}
