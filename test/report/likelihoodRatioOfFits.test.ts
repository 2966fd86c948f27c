import { describe, expect, it } from 'vitest';
import { likelihoodRatioOfFits } from '../../src/report/likelihoodRatioOfFits.js';
import { chiSquareSf } from '../../src/estimation/inference/distributions.js';
import { UsageError } from '../../src/errors.js';
import type { SavedFit } from '../../src/report/fitFile.js';
import { fixedFit } from './fixedFit.js';
import { thrown } from '../helpers/assert.js';

/** fixedFit without the emission slopes (emission ~ 1): nested in fixedFit. */
function restricted(): SavedFit {
  const fit = fixedFit();
  const keep = fit.parameters.names.map((n, i) => (n.includes('stock') ? -1 : i)).filter((i) => i >= 0);
  fit.parameters = {
    names: keep.map((i) => fit.parameters.names[i]),
    values: Float64Array.from(keep, (i) => fit.parameters.values[i]),
    blocks: [
      { block: 'initial', start: 0, length: 1 },
      { block: 'transition', start: 1, length: 4 },
      { block: 'emission', start: 5, length: 4 },
    ],
  };
  fit.nParams = keep.length;
  fit.spec = { ...fit.spec, formulas: { ...fit.spec.formulas, emission: '~ 1' } };
  fit.logLik = fit.logLik - 3.5;
  return fit;
}

const reason = (f: () => unknown): string => thrown(f, UsageError).message;

describe('likelihood-ratio test of two saved fits', () => {
  it('2 (LL full - LL restricted) on df = difference in free parameters', () => {
    const r = likelihoodRatioOfFits(fixedFit(), restricted(), { full: 'a.json', restricted: 'b.json' });
    expect(r.df).toBe(2);
    expect(r.statistic).toBeCloseTo(7, 10);
    expect(r.p).toBeCloseTo(chiSquareSf(7, 2), 14);
    expect(r.notes).toEqual([]);
  });

  it('refuses fits of different panels, saying how they differ', () => {
    const other = restricted();
    other.data = { ...other.data, customers: 31, source: 'other.csv' };
    const msg = reason(() => likelihoodRatioOfFits(fixedFit(), other, { full: 'a.json', restricted: 'b.json' }));
    expect(msg).toMatch(/different panels/);
    expect(msg).toContain('31 customers');
    expect(msg).toContain('other.csv');
  });

  it('refuses non-nested models: a term the full model lacks, other states, other transition type, the order reversed', () => {
    expect(reason(() => likelihoodRatioOfFits(restricted(), fixedFit()))).toMatch(/restricted emission formula has terms? stock\(intervention, ?0.8\)/);
    const k3 = restricted();
    k3.spec = { ...k3.spec, nStates: 3 };
    expect(reason(() => likelihoodRatioOfFits(fixedFit(), k3))).toMatch(/numbers of states differ/);
    const ord = restricted();
    ord.spec = { ...ord.spec, transitionType: 'ordered' };
    expect(reason(() => likelihoodRatioOfFits(fixedFit(), ord))).toMatch(/transition types differ/);
    expect(reason(() => likelihoodRatioOfFits(fixedFit(), fixedFit()))).toMatch(/not fewer/);
  });

  it('warns when the restricted fit is above the full one (a local maximum) and sets the statistic to 0', () => {
    const r0 = restricted();
    r0.logLik = fixedFit().logLik + 1;
    const r = likelihoodRatioOfFits(fixedFit(), r0);
    expect(r.statistic).toBe(0);
    expect(r.p).toBe(1);
    expect(r.notes.join(' ')).toMatch(/local maximum/);
  });
});
