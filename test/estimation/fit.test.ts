import { describe, expect, it } from 'vitest';
import { fit, fitDesigns, buildModelDesigns, logLikelihood, posterior, finishedAgreement, viterbi, FIT_DEFAULTS } from '../../src/estimation/fit.js';
import type { FitProgress } from '../../src/estimation/fitTypes.js';
import { ModelError } from '../../src/errors.js';
import { createModel } from '../../src/model/hmmModel.js';
import { assertClose, assertLogLikIncreasing } from '../helpers/assert.js';
import { makeSpec, simulatedProblem } from './fixtures.js';

const spec2 = makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ intervention' } });
const lengths = Array.from({ length: 80 }, (_, i) => 10 + (i % 11));
const sim = simulatedProblem(123, spec2, lengths, { scale: 1.5, missing: 0.05 });
const base = fit(sim.panel, spec2, { seed: 7, starts: 3 });

describe('fit', () => {
  it('reports every start, keeps the best, and its history never falls', () => {
    expect(base.starts.map((s) => s.kind)).toEqual(['data', 'random', 'random', 'random']);
    expect(base.starts.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    const best = Math.max(...base.starts.map((s) => s.logLik));
    expect(base.logLik).toBe(best);
    expect(base.starts[base.bestStart].logLik).toBe(best);
    expect(base.iterations).toBe(base.starts[base.bestStart].iterations);
    expect(base.history).toHaveLength(base.iterations + 1);
    expect(base.history[base.history.length - 1]).toBe(base.logLik);
    assertLogLikIncreasing(base.history);
    expect(base.converged).toBe(true);
    expect(base.status).toMatch(/^converged/);
  });

  it('reaches at least the likelihood of the generating parameters', () => {
    const truthLL = logLikelihood(sim.panel, spec2, sim.params);
    expect(base.logLik).toBeGreaterThanOrEqual(truthLL - 1e-6);
  });

  it('returns parameters whose forward log-likelihood is the reported one (after relabelling)', () => {
    assertClose(logLikelihood(sim.panel, spec2, base.parameters), base.logLik, { rtol: 1e-12 });
    assertClose(logLikelihood(sim.panel, spec2, base.parameters.values), base.logLik, { rtol: 1e-12 });
  });

  it('labels states worst first: state 1 complains most', () => {
    const model = createModel(spec2, buildModelDesigns(sim.panel, spec2), sim.panel.offsets);
    model.setParameters(base.parameters.values);
    const probs = new Float64Array(2 * 3);
    model.parts[2].probabilitiesFor(Float64Array.from([1, 0]), 1, probs); // no intervention
    expect(probs[0 * 3 + 0]).toBeGreaterThan(probs[1 * 3 + 0]);
  });

  it('same seed, same fit; the fit does not depend on anything but the seed', () => {
    const again = fit(sim.panel, spec2, { seed: 7, starts: 3 });
    expect(Array.from(again.parameters.values)).toEqual(Array.from(base.parameters.values));
    expect(again.starts).toEqual(base.starts);
    expect(again.history).toEqual(base.history);
    const other = fit(sim.panel, spec2, { seed: 8, starts: 3 });
    expect(other.starts.slice(1).map((s) => s.logLik)).not.toEqual(base.starts.slice(1).map((s) => s.logLik));
    expect(other.starts[0].screenLogLik).toBe(base.starts[0].screenLogLik); // the data-driven start uses no random numbers
  });

  it('computes information criteria from the parameter count and observed rows', () => {
    const observed = Array.from(sim.panel.voice).filter((v) => v >= 0).length;
    expect(base.data.observations).toBe(observed);
    expect(base.data.rows).toBe(sim.panel.voice.length);
    expect(base.data.customers).toBe(80);
    expect(base.nParams).toBe(base.parameters.values.length);
    expect(base.nParams).toBe(1 + 4 + 2 * 2 * 2);
    assertClose(base.aic, -2 * base.logLik + 2 * base.nParams, { atol: 1e-9 });
    assertClose(base.bic, -2 * base.logLik + base.nParams * Math.log(observed), { atol: 1e-9 });
    expect(Object.values(base.data.voiceCounts).reduce((a, b) => a + b, 0)).toBe(observed);
  });

  it('starts from given parameters, and maxIter bounds the work with a warning', () => {
    const given = fit(sim.panel, spec2, { startParams: base.parameters, maxIter: 3 });
    expect(given.starts.map((s) => s.kind)).toEqual(['given']);
    // the fit maximises the penalised log-likelihood (ridge): that never falls from the start; the
    // log-likelihood alone may, by the fall of the penalty (base ends at the penalised maximum)
    const penalised = (f: typeof base) => f.logLik - 0.5 * FIT_DEFAULTS.ridge * f.parameters.values.reduce((a, t) => a + t * t, 0);
    expect(penalised(given)).toBeGreaterThanOrEqual(penalised(base) - 1e-9);
    expect(given.logLik).toBeGreaterThanOrEqual(base.logLik - 1e-6);
    const short = fit(sim.panel, spec2, { seed: 1, starts: 0, maxIter: 2 });
    expect(short.iterations).toBe(2);
    expect(short.converged).toBe(false);
    expect(short.warnings.some((w) => /did not converge/.test(w))).toBe(true);
    const none = fit(sim.panel, spec2, { startParams: base.parameters, maxIter: 0 });
    assertClose(none.logLik, base.logLik, { rtol: 1e-12 });
    expect(none.history).toHaveLength(1);
  });

  it('warns when a probability sits on the boundary', () => {
    const p = simulatedProblem(5, spec2, lengths.slice(0, 40), { scale: 1 });
    for (let r = 0; r < p.panel.voice.length; r++) if (p.panel.voice[r] === 1) p.panel.voice[r] = 2; // no compliments
    const f = fit(p.panel, spec2, { seed: 1, starts: 1 });
    expect(f.warnings.some((w) => /emission probabilit.* within 1e-6 of 0 or 1/.test(w))).toBe(true);
  });

  it('posterior rows are distributions and viterbi states are in range', () => {
    const g = posterior(sim.panel, spec2, base.parameters);
    const n = sim.panel.voice.length;
    expect(g.length).toBe(2 * n);
    for (let r = 0; r < n; r++) assertClose(g[2 * r] + g[2 * r + 1], 1, { atol: 1e-12 });
    const path = viterbi(sim.panel, spec2, base.parameters);
    expect(path.length).toBe(n);
    // decoded states agree with the true ones far more often than chance (up to label order)
    let agree = 0;
    for (let r = 0; r < n; r++) if (path[r] === sim.states[r]) agree++;
    expect(Math.max(agree, n - agree) / n).toBeGreaterThan(0.7);
  });

  it('rejects parameter vectors and options that do not fit the model with ModelError', () => {
    const bad = { ...base.parameters, names: base.parameters.names.map((x, i) => (i === 2 ? 'transition[9->1]:x' : x)) };
    expect(() => logLikelihood(sim.panel, spec2, bad)).toThrow(ModelError);
    expect(() => logLikelihood(sim.panel, spec2, bad)).toThrow(/missing transition\[1->2\]:lag\(intervention\).*not in the model transition\[9->1\]:x/);
    expect(() => logLikelihood(sim.panel, spec2, base.parameters.values.subarray(1))).toThrow(ModelError);
    expect(() => posterior(sim.panel, { ...spec2, voiceLabels: ['complaint', 'neutral', 'compliment'] }, base.parameters)).toThrow(ModelError);
    expect(() => fit(sim.panel, spec2, { starts: -1 })).toThrow(ModelError);
    expect(() => fit(sim.panel, spec2, { tol: 0 })).toThrow(ModelError);
    // names in another order are matched by name
    const order = base.parameters.names.map((_, i) => i).reverse();
    const shuffled = { names: order.map((i) => base.parameters.names[i]), values: Float64Array.from(order, (i) => base.parameters.values[i]), blocks: [] };
    assertClose(logLikelihood(sim.panel, spec2, shuffled), base.logLik, { rtol: 1e-12 });
  });

  it('fitDesigns works from designs alone', () => {
    const f = fitDesigns({ offsets: sim.panel.offsets, voice: sim.panel.voice, designs: buildModelDesigns(sim.panel, spec2) }, spec2, { seed: 7, starts: 3 });
    expect(Array.from(f.parameters.values)).toEqual(Array.from(base.parameters.values));
    expect(f.data.observations).toBe(base.data.observations);
  });

  it('reports progress after every EM iteration of every start', () => {
    const seen: FitProgress[] = [];
    const f = fit(sim.panel, spec2, { seed: 7, starts: 2, onProgress: (p) => seen.push(p) });
    for (let s = 0; s < 3; s++) {
      const mine = seen.filter((p) => p.start === s);
      expect(mine.map((p) => p.iteration)).toEqual(Array.from({ length: f.starts[s].iterations }, (_, i) => i + 1));
      expect(mine[mine.length - 1].logLik).toBe(f.starts[s].logLik);
      expect(mine.every((p) => p.nStarts === 3)).toBe(true);
    }
  });

  it('counts the finished starts that reached the best log-likelihood and warns, with numbers, when they disagree', () => {
    const st = (index: number, logLik: number, screened = false) => ({ index, kind: 'random' as const, logLik, iterations: 1, converged: true, screened, finished: !screened });
    expect(finishedAgreement([st(0, -100), st(1, -100 - 5e-7), st(2, -120, true)], 0)).toEqual({ finished: 2, reachedBest: 2 });
    // within 1e-3 but not within 1e-6: no warning, not counted as reaching the best
    expect(finishedAgreement([st(0, -100), st(1, -100.0005)], 0)).toEqual({ finished: 2, reachedBest: 1 });
    const r = finishedAgreement([st(0, -110), st(1, -100), st(2, -100.002), st(3, -150, true)], 1);
    expect(r.finished).toBe(3);
    expect(r.reachedBest).toBe(1);
    expect(r.warning).toMatch(/1 of 3 reached the best log-likelihood -100\.0000 \(start 2\); start 3 -100\.0020 \(0\.00200 lower\), start 1 -110\.0000 \(10\.0 lower\)/);
    // a screened start stopped early: no evidence of local optima
    expect(finishedAgreement([st(0, -100), st(1, -150, true)], 0).warning).toBeUndefined();
  });

  it('finishes the --finish best screened starts, keeps the best of them and reports the agreement', () => {
    for (const finish of [1, 2, 3]) {
      const f = fit(sim.panel, spec2, { seed: 3, starts: 4, screenIter: 3, finish });
      const done = f.starts.filter((st) => st.finished);
      expect(done).toHaveLength(finish);
      expect(f.finished).toBe(finish);
      // the finished starts are those best after screening
      const ranked = [...f.starts].sort((a, b) => b.screenLogLik! - a.screenLogLik! || a.index - b.index).slice(0, finish);
      expect(done.map((st) => st.index)).toEqual(ranked.map((st) => st.index).sort((a, b) => a - b));
      expect(f.logLik).toBe(Math.max(...done.map((st) => st.logLik)));
      expect(f.reachedBest).toBe(done.filter((st) => f.logLik - st.logLik <= 1e-6).length);
      for (const st of f.starts) if (!st.finished) expect(st.iterations).toBeLessThanOrEqual(3);
    }
    expect(() => fit(sim.panel, spec2, { finish: 0 })).toThrow(ModelError);
  });

  it('screens the starts (emEM) and with --finish 1 runs only the best to convergence', () => {
    const f = fit(sim.panel, spec2, { seed: 3, starts: 3, screenIter: 4, tol: 1e-10, finish: 1 });
    const best = f.starts[f.bestStart];
    expect(best.screened).toBe(false);
    expect(best.converged).toBe(true);
    expect(best.iterations).toBeGreaterThan(4);
    for (const st of f.starts) {
      if (st.index === f.bestStart) continue;
      expect(st.iterations).toBeLessThanOrEqual(4);
      expect(st.screened).toBe(!st.converged);
      expect(st.screenLogLik).toBe(st.logLik);
    }
    // the kept start was the best after screening
    expect(best.screenLogLik).toBe(Math.max(...f.starts.map((st) => st.screenLogLik!)));
    expect(f.history).toHaveLength(f.iterations + 1);
    assertLogLikIncreasing(f.history);
    const full = fit(sim.panel, spec2, { seed: 3, starts: 3, screenIter: 0, tol: 1e-10 });
    expect(full.starts.every((st) => st.converged && !st.screened)).toBe(true);
    assertClose(f.logLik, full.logLik, { atol: 1e-4 });
  });

  it('with one state and intercepts only, reaches the closed-form multinomial maximum', () => {
    const spec1 = makeSpec({ nStates: 1, formulas: { initial: '~ 1', transition: '~ 1', emission: '~ 1' } });
    const f = fit(sim.panel, spec1, { seed: 1, starts: 0, ridge: 0, tol: 1e-14 });
    const counts = [0, 0, 0];
    for (const v of sim.panel.voice) if (v >= 0) counts[v]++;
    const n = counts[0] + counts[1] + counts[2];
    const closed = counts.reduce((a, c) => a + (c > 0 ? c * Math.log(c / n) : 0), 0);
    assertClose(f.logLik, closed, { atol: 1e-8 });
    expect(f.nParams).toBe(2);
  });
});
