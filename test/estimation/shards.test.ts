/**
 * E-step shards: cut by the panel, shared count units copied per shard and reduced in shard
 * order, so 1 and 2 threads give the same bits, and the sums equal the unsharded ones to rounding.
 */
import { describe, expect, it } from 'vitest';
import { EStep, type EmissionTables } from '../../src/estimation/eStep.js';
import { Rng } from '../../src/estimation/rng.js';
import { randomResponsibilities, startFromResponsibilities } from '../../src/estimation/starts.js';
import { runEm } from '../../src/estimation/em.js';
import { panelShards, reduceShared, shardIndex, spreadShared } from '../../src/estimation/shards.js';
import { PASS_CHUNK } from '../../src/model/logitPassChunks.js';
import type { HmmModel } from '../../src/model/hmmModel.js';
import type { Panel } from '../../src/data/panel.js';
import { assertClose, assertLogLikIncreasing } from '../helpers/assert.js';
import { eStepWithLayout, layoutProblem, makeSpec } from './fixtures.js';

const spec = makeSpec({ nStates: 3, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' } });

const problem = (seed: number): { panel: Panel; model: HmmModel } => layoutProblem(spec, Array.from({ length: 150 }, (_, i) => 4 + (i % 21)), seed, 0.1);

const eStepOf = (m: HmmModel, p: Panel, emission: EmissionTables, threads: number, shardRows?: number): EStep => eStepWithLayout(m, p, emission, { threads, shardRows });

describe('panel shards', () => {
  it('cut at customer boundaries into about rows/shardRows shards, whatever else', () => {
    const offsets = Int32Array.from([0, 10, 15, 40, 41, 60, 100]);
    const seq = panelShards(offsets, 30);
    expect(seq[0]).toBe(0);
    expect(seq[seq.length - 1]).toBe(6);
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThan(seq[i - 1]);
    // ceil(100 / 30) = 4 targets (25, 50, 75 rows): the first customers starting at or after them;
    // the last target falls inside the last customer
    expect(Array.from(seq)).toEqual([0, 3, 5, 6]);
    expect(Array.from(panelShards(offsets, 1000))).toEqual([0, 6]);
    expect(Array.from(panelShards(offsets, 1)).length - 1).toBeLessThanOrEqual(6); // never more shards than customers
  });

  it('units used by several shards get a copy per shard; reduce adds the copies in shard order', () => {
    // items 0..5 in shards [0, 3) and [3, 6); unit 1 is used by both, units 0 and 2 by one each
    const sh = shardIndex(Int32Array.from([0, 1, 1, 1, 2, 2]), 3, Int32Array.from([0, 3, 6]), undefined, 2);
    expect(Array.from(sh.shared)).toEqual([1]);
    expect(Array.from(sh.index)).toEqual([0, 3, 3, 4, 2, 2]); // copy of unit 1 for shard s: 3 + s
    const table = Float64Array.from([1, 2, 3, 4, 5, 6, 0, 0, 0, 0]); // unit size 2: 3 units + 2 copies
    spreadShared(table, sh);
    expect(Array.from(table)).toEqual([1, 2, 3, 4, 5, 6, 3, 4, 3, 4]);
    const counts = Float64Array.from([0, 0, 0, 0, 0, 0, 0.1, 0.2, 0.7, 1e-17]);
    reduceShared(counts, sh);
    expect(counts[2]).toBe(0 + 0.1 + 0.7);
    expect(counts[3]).toBe(0 + 0.2 + 1e-17);
  });

  it('a shard holds copies only of the shared units it uses, reduced in shard order', () => {
    // shards [0, 2), [2, 4), [4, 6); unit 0 is used by shards 0 and 2, unit 1 by shards 0 and 1, unit 2 by shard 1 only
    const sh = shardIndex(Int32Array.from([0, 1, 1, 2, 0, 0]), 3, Int32Array.from([0, 2, 4, 6]));
    expect(Array.from(sh.shared)).toEqual([0, 1]);
    expect(Array.from(sh.copyStart)).toEqual([0, 2, 3, 4]); // shard 0: copies 0, 1; shard 1: copy 2; shard 2: copy 3
    expect(Array.from(sh.copyOf)).toEqual([0, 1, 1, 0]);
    expect(Array.from(sh.index)).toEqual([3, 4, 5, 2, 6, 6]);
    const counts = Float64Array.from([9, 9, 0, 0.25, 0.5, 0.125, 1]);
    reduceShared(counts, sh);
    expect(Array.from(counts.subarray(0, 3))).toEqual([0.25 + 1, 0.5 + 0.125, 0]);
  });

  it('grouped probabilities on the pool (kept table current or recomputed) have the bits of the in-thread ones', () => {
    const big = makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8) + x' } });
    // two separate models (clones would share the kept table)
    const [one, two] = [1, 2].map((threads) => {
      const { panel, model: m } = layoutProblem(big, Array.from({ length: 300 }, () => 230), 4, 0.1);
      expect(m.parts[2].chunkedPass).toBe(true);
      return { m, e: eStepWithLayout(m, panel, 'units', { threads }) };
    });
    const model = one.m;
    try {
      const params = model.getParameters().values.slice();
      for (let it = 0; it < 3; it++) {
        const lls = [one, two].map(({ m, e }) => {
          m.setParameters(params.map((x, i) => x + 0.01 * it * Math.sin(i))); // a new point: the kept table is recomputed
          return [e.run(m.parts), Array.from(e.probs.emission)] as const;
        });
        expect(lls[1][0]).toBe(lls[0][0]);
        expect(lls[1][1]).toEqual(lls[0][1]);
      }
    } finally {
      two.e.close();
      one.e.close();
    }
  });

  for (const layout of ['patterns', 'units'] as const) {
    it(`${layout} tables: 1 and 2 threads give the same bits; sharded sums equal unsharded ones to rounding`, () => {
      const { panel, model } = problem(5);
      const whole = eStepOf(model, panel, layout, 1);
      const one = eStepOf(model, panel, layout, 1, 60);
      const two = eStepOf(model, panel, layout, 2, 60);
      try {
        expect(whole.seq.length - 1).toBe(1);
        expect(one.seq.length - 1).toBeGreaterThan(20);
        expect(two.threads).toBe(2);
        const gW = new Float64Array(panel.voice.length * 3);
        const g1 = new Float64Array(panel.voice.length * 3);
        const llW = whole.run(model.parts, gW);
        const ll1 = one.run(model.parts, g1);
        const ll2 = two.run(model.parts);
        expect(ll2).toBe(ll1);
        assertClose(ll1, llW, { rtol: 1e-13 }, 'sharded log-likelihood');
        expect(Array.from(g1)).toEqual(Array.from(gW)); // posteriors are per row: no sum across shards
        for (const b of ['initial', 'transition', 'emission'] as const) {
          expect(Array.from(two.stats.counts[b]), b).toEqual(Array.from(one.stats.counts[b]));
          assertClose(one.stats.counts[b], whole.stats.counts[b], { rtol: 1e-12, atol: 1e-12 }, `${b} counts`);
        }
        // the gamma-run (in this thread) and the pool run give the same counts
        two.run(model.parts, new Float64Array(panel.voice.length * 3));
        for (const b of ['initial', 'transition', 'emission'] as const) expect(Array.from(two.stats.counts[b]), b).toEqual(Array.from(one.stats.counts[b]));
        expect(two.logLik(model.parts)).toBe(ll1);
        expect(one.logLik(model.parts, new Float64Array(panel.offsets.length - 1))).toBe(ll1);
      } finally {
        two.close();
      }
    });
  }

  it('EM (SQUAREM, then quasi-Newton) on 1 and 2 threads: the same path, bit for bit', () => {
    const { panel, model } = problem(8);
    const runs = [1, 2].map((threads) => {
      const m = model.clone();
      const eStep = eStepOf(m, panel, 'units', threads, 60);
      try {
        const mStep = { ridge: 1e-8, maxNewtonIter: 1, newtonTol: 1e-10 };
        startFromResponsibilities(m.parts, eStep, randomResponsibilities(new Rng(5, 1), 3, spec.voiceLabels.length), { ...mStep, maxNewtonIter: 25 });
        const em = runEm(m.parts, eStep, { maxIter: 300, tol: 1e-10, mStep, accelerate: true, quasiNewton: true });
        return { em, params: Array.from(m.getParameters().values) };
      } finally {
        eStep.close();
      }
    });
    assertLogLikIncreasing(runs[0].em.history);
    expect(runs[0].em.converged).toBe(true);
    expect(runs[1].em.history).toEqual(runs[0].em.history);
    expect(runs[1].params).toEqual(runs[0].params);
  });

  it('M-step passes in chunks of patterns: 1 and 2 threads give the same EM path bit for bit, equal to the unchunked pass to rounding', () => {
    const big = makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8) + x' } });
    const { panel, model } = layoutProblem(big, Array.from({ length: 300 }, () => 230), 21, 0.1);
    expect(model.parts[2].design.nPatterns).toBeGreaterThan(PASS_CHUNK);
    expect(model.parts[2].chunkedPass).toBe(true);
    const runs = (['units', 'units', 'rows'] as const).map((layout, i) => {
      const m = model.clone();
      const eStep = eStepWithLayout(m, panel, layout, { threads: i === 1 ? 2 : 1 });
      try {
        const mStep = { ridge: 1e-8, maxNewtonIter: 1, newtonTol: 1e-10 };
        startFromResponsibilities(m.parts, eStep, randomResponsibilities(new Rng(2, 1), 2, big.voiceLabels.length), { ...mStep, maxNewtonIter: 3 });
        const history = [eStep.run(m.parts)];
        for (let it = 0; it < 6; it++) {
          for (const part of m.parts) part.mStep(eStep.stats, mStep);
          history.push(eStep.run(m.parts));
        }
        return { history, params: Array.from(m.getParameters().values), threads: eStep.threads };
      } finally {
        eStep.close();
      }
    });
    expect(runs[1].threads).toBe(2);
    assertLogLikIncreasing(runs[0].history);
    expect(runs[1].history).toEqual(runs[0].history);
    expect(runs[1].params).toEqual(runs[0].params);
    assertClose(runs[0].history, runs[2].history, { rtol: 1e-11 }, 'chunked vs per-row log-likelihoods');
    assertClose(Float64Array.from(runs[0].params), Float64Array.from(runs[2].params), { atol: 1e-8, rtol: 1e-8 }, 'chunked vs per-row parameters');
  });
});
