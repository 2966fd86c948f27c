// A simulated panel for the benchmarks: nSeq customers x T periods, voice from a persistent random
// state (3 states, 4 voice labels), interventions mostly after complaints, continuous covariates
// x1 and x2 (standard normal). Deterministic for a given seed.
import { Rng } from '../../dist/src/estimation/rng.js';

export function simulatedPanel(nSeq, T, seed = 1) {
  const rng = new Rng(seed);
  const n = nSeq * T;
  const offsets = new Int32Array(nSeq + 1);
  for (let s = 0; s < nSeq; s++) offsets[s + 1] = offsets[s] + T;
  const period = new Int32Array(n);
  const voice = new Int32Array(n);
  const intervention = new Float64Array(n);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const emit = [
    [0.3, 0.05, 0.25, 0.4],
    [0.08, 0.08, 0.3, 0.54],
    [0.02, 0.2, 0.3, 0.48],
  ];
  for (let s = 0; s < nSeq; s++) {
    let state = rng.int(3);
    for (let t = 0; t < T; t++) {
      const r = s * T + t;
      period[r] = t + 1;
      if (rng.uniform() < 0.1) state = rng.int(3);
      voice[r] = rng.categorical(emit[state]);
      intervention[r] = rng.uniform() < (voice[r] === 0 ? 0.4 : 0.02) ? 1 : 0;
      x1[r] = rng.normal();
      x2[r] = rng.normal();
    }
  }
  return {
    customers: Array.from({ length: nSeq }, (_, i) => `c${i}`),
    offsets,
    period,
    voice,
    voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'],
    columns: { intervention, x1, x2 },
  };
}
