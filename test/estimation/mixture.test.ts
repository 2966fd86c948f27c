/**
 * The mixture of classes against independent computations: enumeration over every class x state
 * path with probabilities computed afresh from the raw design rows (log-likelihood, class
 * posteriors, state posteriors, counts), the Fisher-identity gradient against central differences
 * of the exact log-likelihood, EM monotone, one class identical to the plain model, and 1 and 2
 * threads giving the same bits.
 */
import { describe, expect, it } from 'vitest';
import type { Panel } from '../../src/data/panel.js';
import { buildModelDesigns, fit } from '../../src/estimation/fit.js';
import { buildMixtureDesigns, fitMixture, mixtureAt, mixturePosterior } from '../../src/estimation/fitMixture.js';
import { MixtureEStep } from '../../src/estimation/mixtureEStep.js';
import { penalisedGradient } from '../../src/estimation/quasiNewton.js';
import { Rng } from '../../src/estimation/rng.js';
import { runEm } from '../../src/estimation/em.js';
import { startMixture } from '../../src/estimation/mixtureStarts.js';
import { complaintRateBins } from '../../src/estimation/starts.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { EStep } from '../../src/estimation/eStep.js';
import { createModel } from '../../src/model/hmmModel.js';
import { classPartKey, createMixtureModel, type MixtureModel } from '../../src/model/mixtureModel.js';
import { BLOCKS } from '../../src/model/subModel.js';
import { InputError } from '../../src/errors.js';
import { likelihoodCovariances } from '../../src/estimation/inference/observedCovariance.js';
import { assertClose, assertLogLikIncreasing, thrown } from '../helpers/assert.js';
import { covariatePanel, makeSpec, simulateVoice } from './fixtures.js';

/** covariatePanel plus a customer-level column z. */
function classPanel(rng: Rng, lengths: number[], labels?: string[]): Panel {
  const p = covariatePanel(rng, lengths, labels);
  const z = new Float64Array(p.voice.length);
  for (let i = 0; i < lengths.length; i++) z.fill(Math.round(rng.normal() * 2) / 2, p.offsets[i], p.offsets[i + 1]);
  p.columns.z = z;
  return p;
}

function mixtureSpec(over: Partial<ModelSpec>, C: number, specific: ModelSpec['classes'] extends infer T ? (T extends { specific: infer S } ? S : never) : never, formula = '~ z'): ModelSpec {
  return { ...makeSpec(over), classes: { count: C, formula, specific } };
}

function randomMixture(panel: Panel, spec: ModelSpec, rng: Rng, scale = 1): MixtureModel {
  const model = createMixtureModel(spec, buildMixtureDesigns(panel, spec), panel.offsets);
  const v = new Float64Array(model.nParams);
  for (let i = 0; i < v.length; i++) v[i] = scale * rng.normal();
  model.setParameters(v);
  return model;
}

/** Enumeration over classes and state paths with per-row probabilities from the raw design rows. */
function bruteForce(panel: Panel, spec: ModelSpec, model: MixtureModel) {
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  const C = model.nClasses;
  const d = buildMixtureDesigns(panel, spec);
  const n = panel.voice.length;
  const nSeq = panel.offsets.length - 1;
  const row = (des: { names: string[]; values: Float64Array }, r: number) => des.values.slice(r * des.names.length, (r + 1) * des.names.length);
  const probs = model.classes.map((m) => {
    const init = new Float64Array(n * K);
    const trans = new Float64Array(n * K * K);
    const emis = new Float64Array(n * K * V);
    for (let r = 0; r < n; r++) {
      m.parts[0].probabilitiesFor(row(d.initial, r), 1, init.subarray(r * K, (r + 1) * K));
      m.parts[1].probabilitiesFor(row(d.transition, r), 1, trans.subarray(r * K * K, (r + 1) * K * K));
      m.parts[2].probabilitiesFor(row(d.emission, r), 1, emis.subarray(r * K * V, (r + 1) * K * V));
    }
    return { init, trans, emis };
  });
  let logLik = 0;
  const classPost = new Float64Array(nSeq * C);
  const gamma = new Float64Array(n * K);
  // per class: expected transitions per row [(r*K + i)*K + j] and emissions per row [r*K + k]
  const xi = model.classes.map(() => new Float64Array(n * K * K));
  const g = model.classes.map(() => new Float64Array(n * K));
  for (let s = 0; s < nSeq; s++) {
    const r0 = panel.offsets[s];
    const T = panel.offsets[s + 1] - r0;
    const pi = new Float64Array(C);
    model.membership.probabilitiesFor(row(d.membership, r0), 1, pi);
    const paths: { c: number; path: number[]; pr: number }[] = [];
    let total = 0;
    for (let c = 0; c < C; c++) {
      const P = probs[c];
      for (let q = 0; q < K ** T; q++) {
        const path: number[] = [];
        for (let t = 0, x = q; t < T; t++, x = Math.floor(x / K)) path.push(x % K);
        let pr = pi[c] * P.init[r0 * K + path[0]];
        for (let t = 0; t < T; t++) {
          const r = r0 + t;
          if (t > 0) pr *= P.trans[(r * K + path[t - 1]) * K + path[t]];
          if (panel.voice[r] >= 0) pr *= P.emis[(r * K + path[t]) * V + panel.voice[r]];
        }
        paths.push({ c, path, pr });
        total += pr;
      }
    }
    logLik += Math.log(total);
    for (const { c, path, pr } of paths) {
      const w = pr / total;
      classPost[s * C + c] += w;
      for (let t = 0; t < T; t++) {
        const r = r0 + t;
        gamma[r * K + path[t]] += w;
        g[c][r * K + path[t]] += w;
        if (t > 0) xi[c][(r * K + path[t - 1]) * K + path[t]] += w;
      }
    }
  }
  return { logLik, classPost, gamma, xi, g };
}

const cases: [string, Partial<ModelSpec>, number, ('initial' | 'transition' | 'emission')[], string][] = [
  ['C=2 K=2, every block class-specific, membership on z', { nStates: 2, formulas: { initial: '~ x', transition: '~ lag(intervention) + x', emission: '~ stock(intervention, 0.8) + x' } }, 2, ['initial', 'transition', 'emission'], '~ z'],
  ['C=3 K=2, transition shared', { nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ x' } }, 3, ['initial', 'emission'], '~ z'],
  ['C=2 K=2 ordered, shared slopes, emission shared, membership ~ 1', { nStates: 2, transitionType: 'ordered', sharedSlopes: true, formulas: { initial: '~ 1', transition: '~ lag(intervention) + x', emission: '~ x' } }, 2, ['initial', 'transition'], '~ 1'],
  ['C=2 K=3, emission class-specific only', { nStates: 3, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ intervention' } }, 2, ['emission'], '~ z'],
];

describe('mixture E-step equals enumeration over all class x state paths', () => {
  for (const [label, over, C, specific, formula] of cases) {
    it(label, () => {
      const spec = mixtureSpec(over, C, specific, formula);
      const K = spec.nStates;
      const lengths = K === 3 ? [4, 1, 3, 2] : C === 3 ? [4, 1, 3, 5] : [5, 1, 3, 6, 2];
      for (let rep = 0; rep < 2; rep++) {
        const rng = new Rng(500 + rep, C * 10 + K);
        const panel = classPanel(rng, lengths, spec.voiceLabels);
        const plain = createModel(makeSpec(over), buildModelDesigns(panel, spec), panel.offsets);
        plain.setParameters(Float64Array.from({ length: plain.nParams }, () => rng.normal()));
        simulateVoice(panel, spec, plain, rng, 0.2);
        const model = randomMixture(panel, spec, rng, 1.2);
        const bf = bruteForce(panel, spec, model);
        const eStep = new MixtureEStep(model, panel.offsets, panel.voice);
        const gamma = new Float64Array(panel.voice.length * K);
        const post = new Float64Array(lengths.length * C);
        assertClose(eStep.run(model.parts, gamma, post), bf.logLik, { atol: 1e-10 }, 'logLik');
        assertClose(eStep.logLik(model.parts), bf.logLik, { atol: 1e-10 }, 'forward logLik');
        assertClose(post, bf.classPost, { atol: 1e-10 }, 'class posteriors');
        assertClose(gamma, bf.gamma, { atol: 1e-10 }, 'state posteriors');
        // counts per class (shared blocks: summed over classes), aggregated by pattern
        const V = spec.voiceLabels.length;
        for (const b of ['transition', 'emission'] as const) {
          const bi = BLOCKS.indexOf(b);
          const idx = model.classes[0].parts[bi].design.index;
          for (let c = 0; c < (model.specific[b] ? C : 1); c++) {
            const want = new Float64Array(eStep.stats.counts[classPartKey(c, b, model.specific[b])].length);
            const classes = model.specific[b] ? [c] : Array.from({ length: C }, (_, x) => x);
            for (const cc of classes) {
              for (let s = 0; s < lengths.length; s++) {
                for (let r = panel.offsets[s]; r < panel.offsets[s + 1]; r++) {
                  if (b === 'transition' && r > panel.offsets[s]) for (let ij = 0; ij < K * K; ij++) want[idx[r] * K * K + ij] += bf.xi[cc][r * K * K + ij];
                  if (b === 'emission' && panel.voice[r] >= 0) for (let k = 0; k < K; k++) want[(idx[r] * K + k) * V + panel.voice[r]] += bf.g[cc][r * K + k];
                }
              }
            }
            assertClose(eStep.stats.counts[classPartKey(c, b, model.specific[b])], want, { atol: 1e-10 }, `${b} counts of class ${c + 1}`);
          }
        }
        // membership counts: the class posteriors summed by membership pattern
        const mIdx = model.membership.design.index;
        const wantM = new Float64Array(eStep.stats.counts.membership.length);
        for (let s = 0; s < lengths.length; s++) for (let c = 0; c < C; c++) wantM[mIdx[s] * C + c] += bf.classPost[s * C + c];
        assertClose(eStep.stats.counts.membership, wantM, { atol: 1e-10 }, 'membership counts');
      }
    });
  }
});

describe('mixture likelihood: gradient, EM, one class, threads', () => {
  it('the Fisher-identity gradient equals central differences of the exact log-likelihood', () => {
    for (const [label, over, C, specific, formula] of cases) {
      const spec = mixtureSpec(over, C, specific, formula);
      const rng = new Rng(77, C);
      const panel = classPanel(rng, [6, 3, 8, 4, 5, 7], spec.voiceLabels);
      const plain = createModel(makeSpec(over), buildModelDesigns(panel, spec), panel.offsets);
      plain.setParameters(Float64Array.from({ length: plain.nParams }, () => rng.normal()));
      simulateVoice(panel, spec, plain, rng, 0.1);
      const model = randomMixture(panel, spec, rng, 0.8);
      const eStep = new MixtureEStep(model, panel.offsets, panel.voice);
      eStep.run(model.parts);
      const grad = new Float64Array(model.nParams);
      penalisedGradient(model.parts, eStep, 0, grad);
      const theta = model.getParameters().values;
      const h = 1e-5;
      for (let j = 0; j < theta.length; j++) {
        const x = theta.slice();
        x[j] += h;
        model.setParameters(x);
        const up = eStep.logLik(model.parts);
        x[j] -= 2 * h;
        model.setParameters(x);
        const down = eStep.logLik(model.parts);
        assertClose(grad[j], (up - down) / (2 * h), { atol: 1e-5, rtol: 1e-5 }, `${label}: d LL / d ${model.getParameters().names[j]}`);
      }
      model.setParameters(theta);
    }
  });

  it('EM never lets the log-likelihood fall (random starts, every sharing pattern)', () => {
    for (const [, over, C, specific, formula] of cases) {
      const spec = mixtureSpec(over, C, specific, formula);
      const rng = new Rng(91, C);
      const panel = classPanel(rng, Array.from({ length: 30 }, (_, i) => 5 + (i % 7)), spec.voiceLabels);
      const plain = createModel(makeSpec(over), buildModelDesigns(panel, spec), panel.offsets);
      plain.setParameters(Float64Array.from({ length: plain.nParams }, () => rng.normal()));
      simulateVoice(panel, spec, plain, rng, 0.1);
      for (const accelerate of [false, true]) {
        const model = createMixtureModel(spec, buildMixtureDesigns(panel, spec), panel.offsets);
        const eStep = new MixtureEStep(model, panel.offsets, panel.voice);
        // ridge 0: with a ridge EM climbs the penalised log-likelihood, and the log-likelihood alone
        // may fall by the penalty's fall where a coefficient drifts off (separation on tiny panels)
        const mStep = { ridge: 0, maxNewtonIter: 1, newtonTol: 1e-10 };
        startMixture(model, eStep, 3, 1, complaintRateBins(panel.offsets, panel.voice, spec.nStates, 0), 0, { ...mStep, maxNewtonIter: 3 });
        const em = runEm(model.parts, eStep, { maxIter: 60, tol: 1e-12, mStep, accelerate, quasiNewton: accelerate });
        expect(em.history.length).toBeGreaterThan(5);
        assertLogLikIncreasing(em.history);
        expect(em.history[em.history.length - 1]).toBeGreaterThan(em.history[0]);
      }
    }
  });

  it('one class through the mixture E-step equals the plain E-step', () => {
    const over = { nStates: 3, formulas: { initial: '~ x', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8) + x' } };
    const spec = { ...makeSpec(over), classes: { count: 2, formula: '~ 1', specific: ['initial', 'transition', 'emission'] as ('initial' | 'transition' | 'emission')[] } };
    const rng = new Rng(12);
    const panel = classPanel(rng, [7, 3, 9, 1, 6], spec.voiceLabels);
    const plain = createModel(makeSpec(over), buildModelDesigns(panel, spec), panel.offsets);
    plain.setParameters(Float64Array.from({ length: plain.nParams }, () => rng.normal()));
    simulateVoice(panel, spec, plain, rng, 0.2);
    // a two-class mixture whose classes are both the plain model: the class posteriors equal the
    // prior and every class's counts are its share of the plain model's counts
    const model = createMixtureModel(spec, buildMixtureDesigns(panel, spec), panel.offsets);
    const values = new Float64Array(model.nParams);
    const pv = plain.getParameters().values;
    values.set(pv, 0);
    values.set(pv, pv.length);
    values[2 * pv.length] = Math.log(0.25 / 0.75); // class 2 prior 0.25
    model.setParameters(values);
    const mix = new MixtureEStep(model, panel.offsets, panel.voice);
    const one = new EStep(plain.parts, 3, 3, panel.offsets, panel.voice);
    const post = new Float64Array(5 * 2);
    const ll = mix.run(model.parts, undefined, post);
    assertClose(ll, one.run(plain.parts), { atol: 1e-11 }, 'logLik');
    for (let s = 0; s < 5; s++) assertClose([post[2 * s], post[2 * s + 1]], [0.75, 0.25], { atol: 1e-12 }, 'class posterior');
    for (const b of BLOCKS) {
      const want = one.stats.counts[b];
      assertClose(mix.stats.counts[`class[2].${b}`], want.map((x) => 0.25 * x), { atol: 1e-12 }, `${b} counts class 2`);
    }
  });

  it('1 and 2 threads give the same bits (several shards)', () => {
    const spec = mixtureSpec({ nStates: 3, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' } }, 2, ['initial', 'transition', 'emission']);
    const rng = new Rng(33);
    const panel = classPanel(rng, Array.from({ length: 120 }, (_, i) => 4 + (i % 13)), spec.voiceLabels);
    const plain = createModel(classPlain(spec), buildModelDesigns(panel, spec), panel.offsets);
    plain.setParameters(Float64Array.from({ length: plain.nParams }, () => rng.normal()));
    simulateVoice(panel, spec, plain, rng, 0.1);
    const runs = [1, 2].map((threads) => {
      const model = randomMixture(panel, spec, new Rng(4), 0.7);
      const eStep = new MixtureEStep(model, panel.offsets, panel.voice, { threads, shardRows: 100 });
      try {
        expect(eStep.threads).toBe(threads);
        const ll = eStep.run(model.parts);
        const counts = Object.fromEntries(Object.entries(eStep.stats.counts).map(([k, v]) => [k, Array.from(v)]));
        const perSeq = new Float64Array(eStep.nSeq);
        const ll2 = eStep.logLik(model.parts, perSeq);
        return { ll, ll2, counts, nShards: eStep.seq.length - 1 };
      } finally {
        eStep.close();
      }
    });
    expect(runs[0].nShards).toBeGreaterThan(3);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0].ll2).toBe(runs[0].ll);
  });
});

function classPlain(spec: ModelSpec): ModelSpec {
  const { classes: _c, ...rest } = spec;
  return rest;
}

describe('fitting a mixture', () => {
  it('fit() with classes: monotone history, classes ordered by size, names, same result for 1 and 2 threads', () => {
    const spec = mixtureSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ 1' } }, 2, ['initial', 'transition', 'emission'], '~ 1');
    const rng = new Rng(8);
    const panel = classPanel(rng, Array.from({ length: 60 }, () => 12), spec.voiceLabels);
    const plain = createModel(classPlain(spec), buildModelDesigns(panel, spec), panel.offsets);
    plain.setParameters(Float64Array.from({ length: plain.nParams }, () => rng.normal()));
    simulateVoice(panel, spec, plain, rng, 0.05);
    const r1 = fit(panel, spec, { starts: 2, seed: 3, threads: 1, ridge: 0 });
    const r2 = fitMixture(panel, spec, { starts: 2, seed: 3, threads: 2, ridge: 0 });
    expect(Array.from(r2.parameters.values)).toEqual(Array.from(r1.parameters.values));
    expect(r2.logLik).toBe(r1.logLik);
    assertLogLikIncreasing(r1.history);
    expect(r1.parameters.names).toContain('class[2].transition[1->2]:lag(intervention)');
    expect(r1.parameters.names).toContain('class[2]:(Intercept)');
    expect(r1.parameters.names[0]).toBe('class[1].initial[2]:(Intercept)');
    expect(r1.nParams).toBe(2 * (1 + 2 * 2 + 2 * 2) + 1);
    // class 1 is the larger: the membership intercept of class 2 is <= 0
    const mp = mixturePosterior(panel, spec, r1.parameters);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < 60; i++) {
      s1 += mp.classPosterior[2 * i];
      s2 += mp.classPosterior[2 * i + 1];
    }
    expect(s1).toBeGreaterThanOrEqual(s2);
    // the fit's log-likelihood is the exact one at its parameters
    const { model, eStep } = mixtureAt(panel, spec, r1.parameters);
    assertClose(eStep.logLik(model.parts), r1.logLik, { atol: 1e-8 });
  });

  it('observed and robust standard errors of a mixture: finite, symmetric, named as the parameters; the information is minus the Hessian of the exact log-likelihood', () => {
    const spec = mixtureSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ 1' } }, 2, ['initial', 'transition', 'emission'], '~ z');
    const rng = new Rng(21);
    const panel = classPanel(rng, Array.from({ length: 80 }, () => 10), spec.voiceLabels);
    const plain = createModel(classPlain(spec), buildModelDesigns(panel, spec), panel.offsets);
    plain.setParameters(Float64Array.from({ length: plain.nParams }, () => rng.normal()));
    simulateVoice(panel, spec, plain, rng, 0.05);
    const f = fit(panel, spec, { starts: 1, seed: 2 });
    const [obs, rob] = likelihoodCovariances(panel, spec, f.parameters, ['observed', 'robust']);
    const n = f.parameters.names.length;
    expect(obs.names).toEqual(f.parameters.names);
    for (const cov of [obs, rob]) {
      expect(cov.matrix.length).toBe(n * n);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) assertClose(cov.matrix[a * n + b], cov.matrix[b * n + a], { atol: 1e-9, rtol: 1e-6 });
    }
    // column j of the Hessian by second differences of the exact (forward) log-likelihood, j the
    // membership slope (a parameter of the fourth sub-model): the covariance times minus that
    // column is the unit vector e_j
    const { model, eStep } = mixtureAt(panel, spec, f.parameters);
    const theta = model.getParameters().values;
    const j = f.parameters.names.indexOf('class[2]:z');
    const h = 1e-4;
    const ll = (x: Float64Array) => {
      model.setParameters(x);
      return eStep.logLik(model.parts);
    };
    const col = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      const pp = theta.slice(), pm = theta.slice(), mp = theta.slice(), mm = theta.slice();
      pp[a] += h; pp[j] += h;
      pm[a] += h; pm[j] -= h;
      mp[a] -= h; mp[j] += h;
      mm[a] -= h; mm[j] -= h;
      col[a] = (ll(pp) - ll(pm) - ll(mp) + ll(mm)) / (4 * h * h);
    }
    // parameters without a standard error (at the boundary on this small panel) are left out: the
    // covariance is the inverse of the information of the others
    const avail = f.parameters.names.map((nm, i) => (obs.unavailable.includes(nm) ? -1 : i)).filter((i) => i >= 0);
    expect(avail).toContain(j);
    expect(avail.length).toBeGreaterThan(n / 2);
    for (const a of avail) {
      let s = 0;
      for (const b of avail) s -= obs.matrix[a * n + b] * col[b];
      assertClose(s, a === j ? 1 : 0, { atol: 2e-3 }, `(Cov x information)[${f.parameters.names[a]}, ${f.parameters.names[j]}]`);
    }
    const se = Math.sqrt(obs.matrix[j * n + j]);
    expect(se).toBeGreaterThan(0);
    expect(Number.isFinite(Math.sqrt(rob.matrix[j * n + j]))).toBe(true);
  });

  it('ordered transitions, shared slopes, a shared emission block and missing voice: monotone fit, the ladder kept in every class', () => {
    const spec = mixtureSpec({ nStates: 3, transitionType: 'ordered', sharedSlopes: true, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ x' } }, 2, ['initial', 'transition'], '~ z');
    const rng = new Rng(41);
    const panel = classPanel(rng, Array.from({ length: 70 }, () => 9), spec.voiceLabels);
    const plain = createModel(classPlain(spec), buildModelDesigns(panel, spec), panel.offsets);
    plain.setParameters(Float64Array.from({ length: plain.nParams }, () => rng.normal()));
    simulateVoice(panel, spec, plain, rng, 0.25);
    const f = fit(panel, spec, { starts: 2, seed: 4, ridge: 0 });
    assertLogLikIncreasing(f.history);
    expect(f.parameters.names.filter((n) => n.startsWith('emission')).length).toBeGreaterThan(0); // shared: no class prefix
    expect(f.parameters.names.some((n) => n.startsWith('class[2].emission'))).toBe(false);
    expect(f.parameters.names).toContain('class[2].transition[1]:lag(intervention)');
    const { model, eStep } = mixtureAt(panel, spec, f.parameters);
    assertClose(eStep.logLik(model.parts), f.logLik, { atol: 1e-8 });
    // states worst-first: the shared emission's baseline complaint probability falls with the state
    const p = new Float64Array(3 * 3);
    model.classes[0].parts[2].probabilitiesFor(new Float64Array([1, 0]), 1, p);
    expect(p[0]).toBeGreaterThanOrEqual(p[2 * 3]);
  });

  it('a class formula column that varies within a customer is refused, located', () => {
    const spec = mixtureSpec({ nStates: 2 }, 2, ['initial', 'transition', 'emission'], '~ x');
    const panel = classPanel(new Rng(1), [3, 4], spec.voiceLabels);
    panel.source = 'panel.csv';
    const e = thrown(() => buildMixtureDesigns(panel, spec), InputError);
    expect(e.message).toMatch(/panel\.csv/);
    expect(e.message).toMatch(/customer 'c1'/);
    expect(e.message).toMatch(/column 'x'/);
    expect(e.message).toMatch(/in period 1 but .* in period \d/);
  });
});
