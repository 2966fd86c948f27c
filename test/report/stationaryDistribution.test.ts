import { describe, it } from 'vitest';
import { stationaryDistribution } from '../../src/report/stationaryDistribution.js';
import { assertClose } from '../helpers/assert.js';

describe('stationaryDistribution', () => {
  it('two-state chain: (b, a) / (a + b)', () => {
    const a = 0.13;
    const b = 0.42;
    assertClose(stationaryDistribution(2, [1 - a, a, b, 1 - b]), [b / (a + b), a / (a + b)], { atol: 1e-14 });
  });

  it('three-state chain: pi P = pi', () => {
    const P = [0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.05, 0.15, 0.8];
    const pi = stationaryDistribution(3, P);
    const piP = [0, 1, 2].map((j) => pi.reduce((s, p, i) => s + p * P[i * 3 + j], 0));
    assertClose(piP, pi, { atol: 1e-14 });
    assertClose(pi.reduce((s, p) => s + p, 0), 1, { atol: 1e-14 });
  });

  it('reducible chain: the long-run share reached from the start', () => {
    // States 1 and 3 absorbing; from state 2 half go each way.
    const P = [1, 0, 0, 0.25, 0.5, 0.25, 0, 0, 1];
    assertClose(stationaryDistribution(3, P, [0, 1, 0]), [0.5, 0, 0.5], { atol: 1e-3 });
  });
});
