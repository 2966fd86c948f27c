import { describe, expect, it } from 'vitest';
import { fit } from '../../../src/estimation/fit.js';
import { likelihoodCovariances, likelihoodCovariancesAsync } from '../../../src/estimation/inference/observedCovariance.js';
import { makeSpec, simulatedProblem } from '../fixtures.js';

describe('profile screening and sides on a worker pool', () => {
  it('give the same covariance and the same bounds to the bit with 1, 2 and 3 threads as in this thread', async () => {
    // A transition slope rarely seen (short panel, strong intervention effect): some parameters
    // get profile intervals, at least one side of them searched.
    const spec = makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ 1' } });
    const p = simulatedProblem(13, spec, Array.from({ length: 40 }, () => 10), { scale: 1.2 });
    const r = fit(p.panel, spec, { startParams: { ...p.truth.getParameters(), values: p.params }, starts: 0 });
    const here = likelihoodCovariances(p.panel, spec, r.parameters, ['observed', 'robust']);
    const bounds: string[] = [];
    const one = await likelihoodCovariancesAsync(p.panel, spec, r.parameters, ['observed', 'robust'], { threads: 1, onProgress: (phase, d, t) => phase === 'bounds' && bounds.push(`${d}/${t}`) });
    const two = await likelihoodCovariancesAsync(p.panel, spec, r.parameters, ['observed', 'robust'], { threads: 2 });
    const three = await likelihoodCovariancesAsync(p.panel, spec, r.parameters, ['observed', 'robust'], { threads: 3 });
    const intervals = here[0].profile?.intervals ?? {};
    const finite = Object.values(intervals).flat().filter((b) => b !== null);
    expect(finite.length).toBeGreaterThan(0);
    expect(bounds.length).toBeGreaterThan(0);
    expect(bounds.at(-1)).toBe(`${bounds.length}/${bounds.length}`);
    for (const other of [one, two, three]) {
      for (let m = 0; m < 2; m++) {
        expect(other[m].profile).toEqual(here[m].profile);
        expect(Array.from(other[m].matrix)).toEqual(Array.from(here[m].matrix));
        expect(other[m].notes).toEqual(here[m].notes);
        expect(other[m].unavailable).toEqual(here[m].unavailable);
      }
    }
  });
});
