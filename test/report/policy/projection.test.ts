import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../src/estimation/simulate.js';
import { posterior } from '../../../src/estimation/fit.js';
import type { Panel } from '../../../src/data/panel.js';
import { projectionBase, projectionContext } from '../../../src/report/policy/projection.js';
import { projectPolicies } from '../../../src/report/policy/projectPolicies.js';
import { formatPolicyText } from '../../../src/report/policy/formatPolicy.js';
import { propagateVoice } from '../../../src/report/propagateVoice.js';
import { createModel } from '../../../src/model/hmmModel.js';
import { ModelError, FormulaError } from '../../../src/errors.js';
import { TRUTH_SPEC, truthParameters } from '../../cli/fixtures.js';
import { assertClose } from '../../helpers/assert.js';
import { buildDist } from '../../helpers/runCli.js';
import { freshTotals } from './helpers.js';

const params = truthParameters();
const truthFit = { spec: TRUTH_SPEC, parameters: params };

/** A simulated panel whose customers end at different periods (the first c customers cut short). */
function unbalanced(customers: number, periods: number, seed: number): Panel {
  const { panel } = simulate(TRUTH_SPEC, params, { customers, periods, policy: { afterComplaint: 0.6, otherwise: 0.03 }, seed });
  const keep: number[] = [];
  const offsets = [0];
  for (let i = 0; i < customers; i++) {
    const len = i % 3 === 0 ? Math.max(2, periods - 1 - (i % 7)) : periods;
    for (let t = 0; t < len; t++) keep.push(i * periods + t);
    offsets.push(keep.length);
  }
  const pick = <A extends Int32Array | Float64Array>(a: A): A => (a.constructor as { from(x: number[]): A }).from(keep.map((r) => a[r]));
  return { ...panel, offsets: Int32Array.from(offsets), period: pick(panel.period), voice: pick(panel.voice), columns: { intervention: pick(panel.columns.intervention) } };
}

describe('projection starting points', () => {
  it("from the end: each customer's filtered distribution equals the smoothed posterior of their last period", () => {
    const panel = unbalanced(40, 12, 3);
    const base = projectionBase(projectionContext(TRUTH_SPEC, panel, 5, 'end'), params.names, params.values);
    const post = posterior(panel, TRUTH_SPEC, params);
    const K = 2;
    for (let i = 0; i < 40; i++) {
      const last = panel.offsets[i + 1] - 1;
      assertClose(base.filter.subarray(i * K, i * K + K), post.subarray(last * K, last * K + K), { atol: 1e-12 }, `customer ${i}`);
    }
    // The firm's history: last intervention and stock of the last period.
    const i = 1;
    const last = panel.offsets[i + 1] - 1;
    expect(base.firm.lastIntervention[i]).toBe(panel.columns.intervention[last]);
  });

  it('refuses formulas that read the current intervention or scale()', () => {
    const panel = unbalanced(5, 6, 1);
    expect(() => projectionContext({ ...TRUTH_SPEC, formulas: { ...TRUTH_SPEC.formulas, emission: '~ intervention' } }, panel, 3, 'end')).toThrow(ModelError);
    expect(() => projectionContext({ ...TRUTH_SPEC, formulas: { ...TRUTH_SPEC.formulas, transition: '~ scale(lag(intervention))' } }, panel, 3, 'end')).toThrow(FormulaError);
  });
});

describe('policy projections', () => {
  beforeAll(() => buildDist());
  const H = 12;
  const N = 300;
  let panel: Panel;
  beforeAll(() => {
    panel = simulate(TRUTH_SPEC, params, { customers: N, periods: 20, policy: { afterComplaint: 0.6, otherwise: 0.03 }, seed: 21 }).panel;
  });

  it("'none' from the start: the exact propagation equals propagateVoice through the model's no-intervention matrices", async () => {
    const r = await projectPolicies(truthFit, panel, { policies: 'none', horizon: H, from: 'start', paths: 16, draws: 0, threads: 1 });
    const none = r.policies[1];
    expect(none.method).toBe('exact');
    // Independent: with no interventions every design row is (1, 0); the matrices are constant.
    const K = 2;
    const V = 4;
    const d = (names: string[]) => ({ names, values: new Float64Array(names.length) });
    const model = createModel(TRUTH_SPEC, { initial: d(['(Intercept)']), transition: d(['(Intercept)', 'lag(intervention)']), emission: d(['(Intercept)', 'stock(intervention, 0.8)']) }, Int32Array.of(0, 1));
    model.setParameters(params.values);
    const init = new Float64Array(K);
    model.parts[0].probabilitiesFor(Float64Array.of(1), 1, init);
    const trans1 = new Float64Array(K * K);
    model.parts[1].probabilitiesFor(Float64Array.of(1, 0), 1, trans1);
    const emis1 = new Float64Array(K * V);
    model.parts[2].probabilitiesFor(Float64Array.of(1, 0), 1, emis1);
    // Period 1 uses the initial distribution: propagate from init through identity first.
    const trans = new Float64Array(H * K * K);
    const emis = new Float64Array(H * K * V);
    for (let h = 0; h < H; h++) {
      trans.set(h === 0 ? Float64Array.of(1, 0, 0, 1) : trans1, h * K * K);
      emis.set(emis1, h * K * V);
    }
    const total = new Float64Array(V);
    const perStep = new Float64Array(H * V);
    propagateVoice(K, V, H, init, trans, emis, new Float64Array(2 * K), total, perStep);
    for (let h = 0; h < H; h++) assertClose(none.table.perPeriod.mean[h].slice(0, V), Array.from(perStep.subarray(h * V, h * V + V), (x) => x * N), { rtol: 1e-12, atol: 1e-9 }, `period ${h + 1}`);
    assertClose(none.table.totals.mean.slice(0, V), Array.from(total, (x) => x * N), { rtol: 1e-12 });
    // And its Monte Carlo check agrees.
    expect(none.monteCarloCheck!.maxAbsZ).toBeLessThan(4);
  });

  it('the truth projected from the start matches fresh simulations of the truth under all, none and rate:0.3 within 3 MC SE', async () => {
    const r = await projectPolicies(truthFit, panel, { policies: 'all,none,rate:0.3', horizon: H, from: 'start', seed: 5, draws: 0, threads: 2 });
    const firm = { all: { afterComplaint: 1, otherwise: 0 }, none: { afterComplaint: 0, otherwise: 0 }, 'rate:0.3': { afterComplaint: 0.3, otherwise: 0 } } as const;
    for (const [name, policy] of Object.entries(firm)) {
      const p = r.policies.find((q) => q.name === name)!;
      expect(p.targetMet).toBe(true);
      const fresh = freshTotals(TRUTH_SPEC, params, 20000, H, policy, 99);
      r.measures.forEach((m, j) => {
        const isShare = j > TRUTH_SPEC.voiceLabels.length;
        const proj = isShare ? p.table.totals.mean[j] : p.table.totals.mean[j] / N;
        const projSe = isShare ? p.table.totals.se[j] : p.table.totals.se[j] / N;
        const tol = 3 * Math.hypot(projSe, fresh.se[j]);
        expect(Math.abs(proj - fresh.mean[j]), `${name} ${m}: projected ${proj} vs simulated ${fresh.mean[j]} (tol ${tol})`).toBeLessThanOrEqual(tol + 1e-12);
      });
    }
    // The projection tells the policies apart where the fresh simulations do.
    const all = r.policies.find((q) => q.name === 'all')!.table.totals.mean[4];
    const rate = r.policies.find((q) => q.name === 'rate:0.3')!.table.totals.mean[4];
    expect(rate / all).toBeGreaterThan(0.25);
    expect(rate / all).toBeLessThan(0.36);
  });

  it('gives the same numbers with 1 and 2 threads', async () => {
    const opts = { policies: 'all,none,rate:0.5,budget:10,state:1', horizon: 6, paths: 24, seed: 3, draws: 0 } as const;
    const one = await projectPolicies(truthFit, panel, { ...opts, threads: 1 });
    const two = await projectPolicies(truthFit, panel, { ...opts, threads: 2 });
    expect(JSON.stringify(two)).toEqual(JSON.stringify(one));
    const other = await projectPolicies(truthFit, panel, { ...opts, threads: 2, seed: 4 });
    expect(JSON.stringify(other.policies[1].table)).not.toEqual(JSON.stringify(one.policies[1].table));
  });

  it('budget:n never spends more than n per period and state:k answers only complaints', async () => {
    const r = await projectPolicies({ ...truthFit, periodLength: { spec: 'week', hours: 168 } }, panel, { policies: 'all,budget:5,state:1,state:2', horizon: 8, paths: 16, draws: 0, threads: 1 });
    // The horizon in the panel's own time unit.
    expect(formatPolicyText(r)).toMatch(/^Policy projection: 300 customers, 8 periods \(8 weeks\) from the end/);
    const get = (n: string) => r.policies.find((p) => p.name === n)!;
    for (const row of get('budget:5').table.perPeriod.mean) expect(row[4]).toBeLessThanOrEqual(5 + 1e-12);
    // state:2 (probability of state <= 2 is 1) answers every complaint: the same paths as all.
    expect(get('state:2').table).toEqual(get('all').table);
    for (let h = 0; h < 8; h++) expect(get('state:1').table.perPeriod.mean[h][4]).toBeLessThanOrEqual(get('all').table.perPeriod.mean[h][4] + 1e-9);
  });

  it("from the end: the projection is the conditional mean of the panel's own continuation (rate:0.5 throughout)", async () => {
    // One long simulation under the firm policy rate:0.5; its first T periods are the panel, its
    // last H periods a draw of the future the projection is the expectation of (given the panel).
    const T = 15;
    const Hf = 8;
    const Nc = 2000;
    const long = simulate(TRUTH_SPEC, params, { customers: Nc, periods: T + Hf, policy: { afterComplaint: 0.5, otherwise: 0 }, seed: 31 }).panel;
    const keep = (t: number) => t < T;
    const rows: number[] = [];
    for (let i = 0; i < Nc; i++) for (let t = 0; t < T + Hf; t++) if (keep(t)) rows.push(i * (T + Hf) + t);
    const past: Panel = {
      ...long,
      offsets: Int32Array.from({ length: Nc + 1 }, (_, i) => i * T),
      period: Int32Array.from(rows, (r) => long.period[r]),
      voice: Int32Array.from(rows, (r) => long.voice[r]),
      columns: { intervention: Float64Array.from(rows, (r) => long.columns.intervention[r]) },
    };
    const r = await projectPolicies(truthFit, past, { policies: 'rate:0.5', horizon: Hf, from: 'end', seed: 2, draws: 0, threads: 2 });
    const proj = r.policies.find((p) => p.name === 'rate:0.5')!;
    const V = TRUTH_SPEC.voiceLabels.length;
    // Realised future totals per customer: counts per voice and interventions.
    const sums = new Float64Array(V + 1);
    const sq = new Float64Array(V + 1);
    const one = new Float64Array(V + 1);
    for (let i = 0; i < Nc; i++) {
      one.fill(0);
      for (let t = T; t < T + Hf; t++) {
        const row = i * (T + Hf) + t;
        one[long.voice[row]] += 1;
        one[V] += long.columns.intervention[row];
      }
      for (let m = 0; m <= V; m++) {
        sums[m] += one[m];
        sq[m] += one[m] * one[m];
      }
    }
    for (let m = 0; m <= V; m++) {
      const mean = sums[m] / Nc;
      const seSum = Math.sqrt(Nc * (sq[m] / Nc - mean * mean));
      const tol = 3 * Math.hypot(seSum, proj.table.totals.se[m]);
      expect(Math.abs(proj.table.totals.mean[m] - sums[m]), `${r.measures[m]}: projected ${proj.table.totals.mean[m]} vs realised ${sums[m]} (tol ${tol})`).toBeLessThanOrEqual(tol);
    }
  });
});

