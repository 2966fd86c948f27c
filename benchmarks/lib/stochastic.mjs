// Random row-stochastic tables for the kernel benchmarks: nRows rows of n probabilities, row-major
// [r*n + c], each row leaning towards outcome r % n (a persistent-looking chain).
export function stochastic(rng, nRows, n) {
  const out = new Float64Array(nRows * n);
  for (let r = 0; r < nRows; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += out[r * n + c] = 0.05 + rng.uniform() + (c === r % n ? 2 : 0);
    for (let c = 0; c < n; c++) out[r * n + c] /= s;
  }
  return out;
}
