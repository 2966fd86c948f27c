import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../src/estimation/simulate.js';
import { buildModelDesigns } from '../../../src/estimation/fit.js';
import { createModel } from '../../../src/model/hmmModel.js';
import { UsageError } from '../../../src/errors.js';
import { runFitOnPanel } from '../../../src/report/runFit.js';
import { parseStatesList, selectOnPanel } from '../../../src/report/selection/runSelect.js';
import { bootstrapPValue } from '../../../src/report/selection/bootstrapLr.js';
import { selectionFiles } from '../../../src/report/selection/writeSelection.js';
import { TRUTH_SPEC, truthParameters } from '../../cli/fixtures.js';
import { assertClose } from '../../helpers/assert.js';
import { buildDist } from '../../helpers/runCli.js';
import { bruteForceModel } from '../../estimation/bruteForceModel.js';

const tiny = simulate(TRUTH_SPEC, truthParameters(), { customers: 40, periods: 4, policy: { afterComplaint: 0.6, otherwise: 0.05 }, seed: 3 }).panel;
const small = simulate(TRUTH_SPEC, truthParameters(), { customers: 60, periods: 12, policy: { afterComplaint: 0.6, otherwise: 0.05 }, seed: 8 }).panel;
const options = { formulas: TRUTH_SPEC.formulas, sharedSlopes: true, starts: 2, seed: 5, se: 'none' as const };

describe('parseStatesList', () => {
  it('reads ranges and lists', () => {
    expect(parseStatesList('1..4')).toEqual([1, 2, 3, 4]);
    expect(parseStatesList(' 2,3, 5 ')).toEqual([2, 3, 5]);
    expect(parseStatesList('3..3')).toEqual([3]);
  });
  it('refuses 0, descending ranges, duplicates and non-numbers, naming --states', () => {
    for (const bad of ['0', '0..3', '5..2', '2,2', 'two', '1..', '', '2.5']) {
      expect(() => parseStatesList(bad), bad).toThrow(UsageError);
      expect(() => parseStatesList(bad), bad).toThrow(/--states/);
    }
  });
});

describe('selectOnPanel', () => {
  beforeAll(() => buildDist());

  it('on a tiny fit: log-likelihood, BIC with n = voices and n = customers and ICL equal hand computations by enumeration', async () => {
    const r = await selectOnPanel(tiny, { ...options, states: [1, 2], threads: 1 });
    let voices = 0;
    for (const v of tiny.voice) if (v >= 0) voices++;
    expect(r.observations).toBe(voices);
    expect(r.customers).toBe(40);
    r.rows.forEach((row, i) => {
      const fit = r.runs[i].fit;
      const model = createModel(fit.spec, buildModelDesigns(tiny, fit.spec), tiny.offsets);
      model.setParameters(fit.parameters.values);
      const bf = bruteForceModel(tiny, fit.spec, model);
      const p = fit.parameters.values.length;
      assertClose(row.logLik, bf.logLik, { atol: 1e-9 }, 'logLik');
      expect(row.nParams).toBe(p);
      assertClose(row.aic, -2 * bf.logLik + 2 * p, { atol: 1e-8 }, 'AIC');
      assertClose(row.bicVoices, -2 * bf.logLik + p * Math.log(voices), { atol: 1e-8 }, 'BIC voices');
      assertClose(row.bicCustomers, -2 * bf.logLik + p * Math.log(40), { atol: 1e-8 }, 'BIC customers');
      assertClose(row.icl, -2 * bf.logLik + p * Math.log(voices) + 2 * bf.pathEntropy, { atol: 1e-8 }, 'ICL');
    });
    expect(r.rows[0].entropy).toBe(0);
    const best = (k: 'aic' | 'bicVoices' | 'bicCustomers' | 'icl') => r.rows.reduce((b, x, i) => (x[k] < r.rows[b][k] ? i : b), 0);
    expect(r.picks).toEqual({ aic: best('aic'), bicVoices: best('bicVoices'), bicCustomers: best('bicCustomers'), icl: best('icl') });
  });

  it('gives the fits `fit` gives per K with the same options and seed, identical with 1 and 2 threads', async () => {
    const one = await selectOnPanel(small, { ...options, states: [3, 1, 2], threads: 1 });
    const two = await selectOnPanel(small, { ...options, states: [1, 2, 3], threads: 2 });
    expect(one.rows.map((x) => x.states)).toEqual([1, 2, 3]);
    expect(two.rows.map(({ seconds: _s, ...x }) => x)).toEqual(one.rows.map(({ seconds: _s, ...x }) => x));
    for (let i = 0; i < 3; i++) {
      const alone = runFitOnPanel(small, { ...options, states: i + 1 });
      for (const r of [one, two]) {
        expect(Array.from(r.runs[i].fit.parameters.values)).toEqual(Array.from(alone.fit.parameters.values));
        expect(r.runs[i].fit.logLik).toBe(alone.fit.logLik);
        expect(r.runs[i].fit.starts).toEqual(alone.fit.starts);
        expect(r.runs[i].effects).toEqual(alone.effects);
      }
    }
    const files = selectionFiles(one, 'out');
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['out/K1/fit.json', 'out/K3/parameters.csv', 'out/selection.txt', 'out/selection.csv', 'out/selection.json', 'out/selection.md', 'out/selection.tex']));
    const text = files.find((f) => f.path === 'out/selection.txt')!.content;
    expect(text).toMatch(/BIC \(n = voices\)/);
    expect(text).toMatch(/BIC \(n = customers\)/);
    expect(text).toMatch(/chi-square reference is wrong for the number of states/);
    const csv = files.find((f) => f.path === 'out/selection.csv')!.content.split('\n');
    expect(csv[0]).toBe('states,log_likelihood,parameters,aic,bic_voices,bic_customers,icl,converged,starts_at_best,picked_by');
    expect(Number(csv[2].split(',')[1])).toBe(one.rows[1].logLik);
  });

  it('compares both transition types in one table', async () => {
    const r = await selectOnPanel(small, { ...options, states: [2, 3], transitionTypes: ['multinomial', 'ordered'], threads: 2 });
    expect(r.rows.map((x) => `${x.states}${x.transitionType[0]}`)).toEqual(['2m', '3m', '2o', '3o']);
    expect(r.table.columns.map((c) => c.key)).toContain('transition');
    expect(selectionFiles(r, 'o').map((f) => f.path)).toContain('o/K3-ordered/fit.json');
  });

  it('refuses a K the data cannot determine, naming --states, before fitting', async () => {
    await expect(selectOnPanel(tiny, { ...options, states: [2, 12], threads: 1 })).rejects.toThrow(/--states 12: the 12-state model has \d+ free parameters, but the panel has only \d+ observed voices/);
  });

  it('bootstrap LR test: same replicates with 1 and 2 threads, p-value from them', async () => {
    const o = { ...options, starts: 0, states: [1, 2], bootstrapLr: 3 };
    const a = await selectOnPanel(tiny, { ...o, threads: 1 });
    const b = await selectOnPanel(tiny, { ...o, threads: 2 });
    expect(a.bootstrap).toHaveLength(1);
    expect(b.bootstrap).toEqual(a.bootstrap);
    const t = a.bootstrap![0];
    expect(t.statistics).toHaveLength(3);
    expect(new Set(t.statistics).size).toBe(3);
    assertClose(t.statistic, 2 * (a.rows[1].logLik - a.rows[0].logLik), { atol: 1e-9 });
    expect(t.p).toBe(bootstrapPValue(t.statistic, t.statistics));
    expect(a.table.notes.some((n) => /Parametric bootstrap LR test of K = 1 against K = 2/.test(n))).toBe(true);
    expect(a.table.notes.some((n) => /chi-square reference is wrong/.test(n))).toBe(false);
  });
});

describe('bootstrapPValue', () => {
  it('(1 + replicates at or above the observed statistic) / (1 + replicates), failed replicates left out', () => {
    expect(bootstrapPValue(5, [1, 2, 6, 5])).toBe(3 / 5);
    expect(bootstrapPValue(10, [1, 2, 3])).toBe(1 / 4);
    expect(bootstrapPValue(1, [2, NaN])).toBe(2 / 2);
  });
});
