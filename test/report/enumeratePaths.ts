/**
 * P(voice v in period h), h = 1..H, by enumerating every state path s_0..s_H (independent of the
 * propagation code). trans [h*K*K + i*K + j], emis [h*K*V + k*V + v] for h = 0..H-1; out[h-1][v].
 */
export function enumeratePaths(K: number, V: number, H: number, start: ArrayLike<number>, trans: Float64Array, emis: Float64Array): number[][] {
  const out = Array.from({ length: H }, () => new Array<number>(V).fill(0));
  const path = new Array<number>(H + 1).fill(0);
  const total = K ** (H + 1);
  for (let code = 0; code < total; code++) {
    let c = code;
    for (let t = 0; t <= H; t++) {
      path[t] = c % K;
      c = Math.floor(c / K);
    }
    let p = start[path[0]];
    for (let t = 1; t <= H; t++) p *= trans[(t - 1) * K * K + path[t - 1] * K + path[t]];
    for (let t = 1; t <= H; t++) for (let v = 0; v < V; v++) out[t - 1][v] += p * emis[(t - 1) * K * V + path[t] * V + v];
  }
  return out;
}
