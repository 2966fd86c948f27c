/**
 * Compress a design to its distinct rows, so that probabilities are computed once per distinct
 * covariate pattern and E-step counts are accumulated per pattern rather than per row.
 *
 * Rows are compared bit for bit (their IEEE-754 bytes): two rows are one pattern exactly when every
 * value has the same bits (so 0 and -0 would be two patterns, which only costs a duplicate).
 * Patterns are numbered in order of first appearance, so the result is deterministic.
 *
 * Hand-written open-addressing hash table over the rows' 32-bit words: a Map keyed by strings
 * would allocate one string per row, which does not scale to the 10-million-row panels the
 * estimator is sized for.
 */
import type { Design } from '../data/design.js';
import type { PatternDesign } from './patternDesign.js';

/**
 * @param d    design with one row per panel row, row-major [row*nCols + col]
 * @param rows optional subset of rows (e.g. offsets[i] for the initial model); the index then has
 *             one entry per element of `rows`, in that order. Default: every row.
 */
export function compressDesign(d: Design, rows?: Int32Array): PatternDesign {
  const nCols = d.names.length;
  const values = d.values;
  if (nCols === 0) {
    // With no columns the row count cannot be read from the values: only a row subset is accepted,
    // and every unit then shares the single empty pattern.
    if (!rows) throw new RangeError('compressDesign: a design with no columns needs an explicit row list');
    return { names: [], nCols: 0, nPatterns: 1, patterns: new Float64Array(0), index: new Int32Array(rows.length) };
  }
  if (values.length % nCols !== 0) {
    throw new RangeError(`compressDesign: values length ${values.length} is not a multiple of ${nCols} columns`);
  }
  const nRowsTotal = values.length / nCols;
  const nUnits = rows ? rows.length : nRowsTotal;
  if (rows) {
    for (let u = 0; u < nUnits; u++) {
      const r = rows[u];
      if (!(r >= 0 && r < nRowsTotal)) throw new RangeError(`compressDesign: rows[${u}] = ${r} outside [0, ${nRowsTotal})`);
    }
  }
  // 32-bit word view of the values: row r occupies words [r*2*nCols, (r+1)*2*nCols).
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const w = 2 * nCols;

  // Each pattern is represented during hashing by the first row it was seen in (compared in
  // place in `words`), so no pattern values are copied until the exact count is known.
  let capacity = 16; // in patterns
  let firstRow = new Int32Array(capacity);
  let hashes = new Int32Array(capacity); // hash per pattern, for rehashing
  let nPatterns = 0;
  let tableSize = 64; // power of two, kept at load <= 1/2
  let table = new Int32Array(tableSize).fill(-1); // slot -> pattern index, -1 = empty
  const index = new Int32Array(nUnits);

  for (let u = 0; u < nUnits; u++) {
    const r = rows ? rows[u] : u;
    const base = r * w;
    let h = 0x811c9dc5 | 0;
    for (let k = 0; k < w; k++) h = Math.imul(h ^ words[base + k], 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    let slot = h & (tableSize - 1);
    let found = -1;
    for (;;) {
      const p = table[slot];
      if (p < 0) break;
      if (hashes[p] === h) {
        const pb = firstRow[p] * w;
        let same = true;
        for (let k = 0; k < w; k++) {
          if (words[pb + k] !== words[base + k]) {
            same = false;
            break;
          }
        }
        if (same) {
          found = p;
          break;
        }
      }
      slot = (slot + 1) & (tableSize - 1);
    }
    if (found >= 0) {
      index[u] = found;
      continue;
    }
    // New pattern.
    if (nPatterns === capacity) {
      capacity *= 2;
      const nf = new Int32Array(capacity);
      nf.set(firstRow);
      firstRow = nf;
      const nh = new Int32Array(capacity);
      nh.set(hashes);
      hashes = nh;
    }
    const p = nPatterns++;
    firstRow[p] = r;
    hashes[p] = h;
    table[slot] = p;
    index[u] = p;
    if (nPatterns * 2 > tableSize) {
      tableSize *= 2;
      table = new Int32Array(tableSize).fill(-1);
      for (let q = 0; q < nPatterns; q++) {
        let t = hashes[q] & (tableSize - 1);
        while (table[t] >= 0) t = (t + 1) & (tableSize - 1);
        table[t] = q;
      }
    }
  }
  const patterns = new Float64Array(nPatterns * nCols); // row-major [p*nCols + c]
  for (let p = 0; p < nPatterns; p++) {
    const src = firstRow[p] * nCols;
    for (let c = 0; c < nCols; c++) patterns[p * nCols + c] = values[src + c];
  }
  return { names: d.names.slice(), nCols, nPatterns, patterns, index };
}
