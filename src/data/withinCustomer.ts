/**
 * Within-customer running operations on panel columns (CSR layout of DESIGN.md: rows of customer i
 * are offsets[i] .. offsets[i+1]-1, one row per consecutive period). Hand-written loops because
 * they run over every row of panels with millions of rows and have no library equivalent that
 * respects customer boundaries. Pure: sizes and typed arrays in, preallocated `out`.
 * `x` and `out` are per-row vectors: [row]. `out` must not alias `x`.
 */

function check(name: string, offsets: Int32Array, x: Float64Array, out: Float64Array): void {
  if (offsets.length < 1) throw new RangeError(`${name}: offsets must have at least one entry`);
  const n = offsets[offsets.length - 1];
  if (x.length !== n) throw new RangeError(`${name}: x has length ${x.length}, expected ${n} rows`);
  if (out.length !== n) throw new RangeError(`${name}: out has length ${out.length}, expected ${n} rows`);
  if (out === x) throw new RangeError(`${name}: out must not alias x`);
}

/** out[t] = x[t-k] within the customer, 0 for the customer's first k periods. k integer >= 1. */
export function lagWithin(offsets: Int32Array, x: Float64Array, k: number, out: Float64Array): Float64Array {
  check('lagWithin', offsets, x, out);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`lagWithin: k must be an integer >= 1, got ${k}`);
  const nSeq = offsets.length - 1;
  for (let i = 0; i < nSeq; i++) {
    const a = offsets[i];
    const b = offsets[i + 1];
    for (let t = a; t < b; t++) out[t] = t - k >= a ? x[t - k] : 0;
  }
  return out;
}

/**
 * out[t] = sum over earlier periods s < t of decay^(t-s-1) * x[s], within the customer (0 in the
 * first period): out[first] = 0, out[t] = decay * out[t-1] + x[t-1].
 */
export function stockWithin(offsets: Int32Array, x: Float64Array, decay: number, out: Float64Array): Float64Array {
  check('stockWithin', offsets, x, out);
  if (!Number.isFinite(decay)) throw new RangeError(`stockWithin: decay must be finite, got ${decay}`);
  const nSeq = offsets.length - 1;
  for (let i = 0; i < nSeq; i++) {
    const a = offsets[i];
    const b = offsets[i + 1];
    let s = 0;
    for (let t = a; t < b; t++) {
      out[t] = s;
      s = decay * s + x[t];
    }
  }
  return out;
}

/** out[t] = sum of x over the customer's periods up to and including t. */
export function cumsumWithin(offsets: Int32Array, x: Float64Array, out: Float64Array): Float64Array {
  check('cumsumWithin', offsets, x, out);
  const nSeq = offsets.length - 1;
  for (let i = 0; i < nSeq; i++) {
    const a = offsets[i];
    const b = offsets[i + 1];
    let s = 0;
    for (let t = a; t < b; t++) {
      s += x[t];
      out[t] = s;
    }
  }
  return out;
}
