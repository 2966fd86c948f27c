import { describe, it, expect, beforeAll } from 'vitest';
import { CholeskyDecomposition, Matrix, inverse } from 'ml-matrix';
import { simulate } from '../../src/estimation/simulate.js';
import { fit, logLikelihood } from '../../src/estimation/fit.js';
import { Rng } from '../../src/estimation/rng.js';
import { effectsBasis } from '../../src/report/runFit.js';
import { computeEffects, type EffectsFit } from '../../src/report/computeEffects.js';
import { formatEffectsText } from '../../src/report/effects.js';
import type { Covariance } from '../../src/estimation/inference/covariance.js';
import { quantileSorted } from '../../src/estimation/inference/distributions.js';
import type { EffectsReport } from '../../src/report/effectsTypes.js';
import { TRUTH_SPEC, truthParameters } from '../cli/fixtures.js';

/**
 * A small simulated fit and its covariance from the inverse of a finite-difference Hessian of the
 * forward log-likelihood (independent of the score code and of the report).
 */
function fittedWithCovariance(): { fitted: EffectsFit; cov: Covariance } {
  const sim = simulate(TRUTH_SPEC, truthParameters(), { customers: 150, periods: 25, policy: { afterComplaint: 0.6, otherwise: 0.05 }, seed: 2 });
  const res = fit(sim.panel, TRUTH_SPEC, { starts: 0, seed: 1 });
  // An interior maximum (no parameter running off to the boundary), where the delta method applies.
  expect(Math.max(...Array.from(res.parameters.values, Math.abs))).toBeLessThan(6);
  const theta = res.parameters.values;
  const n = theta.length;
  const ll = (x: Float64Array) => logLikelihood(sim.panel, res.spec, x);
  const h = 1e-4;
  const hess = new Matrix(n, n);
  const x = Float64Array.from(theta);
  const at = (i: number, di: number, j: number, dj: number) => {
    x.set(theta);
    x[i] += di;
    x[j] += dj;
    return ll(x);
  };
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = (at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) / (4 * h * h);
      hess.set(i, j, -v);
      hess.set(j, i, -v);
    }
  }
  const c = inverse(hess);
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) matrix[i * n + j] = (c.get(i, j) + c.get(j, i)) / 2;
  const fitted: EffectsFit = { spec: res.spec, parameters: res.parameters, effectsBasis: effectsBasis(sim.panel, res.spec, res.parameters) };
  return { fitted, cov: { method: 'observed', names: res.parameters.names, matrix, unavailable: [], notes: [] } };
}

type Bounds = { low: number; high: number; se: number };

/** Walk figures and intervals side by side (independently of the report's own walk): [figure, bounds, path] triples. */
function pairs(fig: unknown, iv: unknown, path = '', out: [number, Bounds, string][] = []): [number, Bounds, string][] {
  if (typeof fig === 'number') {
    out.push([fig, iv as Bounds, path]);
  } else if (Array.isArray(fig) && fig.every((x) => typeof x === 'number') && iv && !Array.isArray(iv)) {
    const b = iv as { low: number[]; high: number[]; se: number[] };
    expect(b.low.length).toBe(fig.length);
    fig.forEach((x, i) => out.push([x as number, { low: b.low[i], high: b.high[i], se: b.se[i] }, `${path}[${i}]`]));
  } else if (Array.isArray(fig)) {
    expect((iv as unknown[]).length).toBe(fig.length);
    fig.forEach((x, i) => pairs(x, (iv as unknown[])[i], `${path}[${i}]`, out));
  } else if (fig && typeof fig === 'object') {
    for (const [k, v] of Object.entries(fig)) if (k !== 'state') pairs(v, (iv as Record<string, unknown>)[k], `${path}.${k}`, out);
  }
  return out;
}

/** Figures that are probabilities: their delta-method intervals are symmetric on the logit scale. */
const PROBABILITY = /^\.(relationship|propensity|overTime\.expected|overTime\.stateShares)\./;

function figuresOf(r: EffectsReport) {
  return {
    relationship: { moves: r.relationship.moves, longRunWithout: r.relationship.longRunWithout, longRunWith: r.relationship.longRunWith },
    propensity: r.propensity,
    net: r.net,
    overTime: { expected: r.overTime.expected, cumulative: r.overTime.cumulative, effects: r.overTime.effects, cumulativeEffects: r.overTime.cumulativeEffects, stateShares: r.overTime.stateShares },
    longRun: r.longRun.effects,
  };
}

/** Selected figures of a report, for the independent Jacobian. */
function selected(r: EffectsReport): number[] {
  return [
    r.longRun.effects!.complaint.net,
    r.longRun.effects!.complaint.relationship,
    r.net.effects.complaint.propensity,
    r.overTime.cumulativeEffects.compliment.interaction[9],
    r.overTime.expected.both.complaint[4],
    r.relationship.moves[0].with.up,
    r.relationship.longRunWith[1],
    r.propensity.emissionWith[0][0],
    r.overTime.stateShares.with[1][2],
  ];
}
function selectedBounds(r: EffectsReport): Bounds[] {
  const iv = r.intervals!;
  const at = (s: { low: number[]; high: number[]; se: number[] }, i: number) => ({ low: s.low[i], high: s.high[i], se: s.se[i] });
  return [
    iv.longRun!.complaint.net,
    iv.longRun!.complaint.relationship,
    iv.net.effects.complaint.propensity,
    at(iv.overTime.cumulativeEffects.compliment.interaction, 9),
    at(iv.overTime.expected.both.complaint, 4),
    iv.relationship.moves[0].with.up,
    iv.relationship.longRunWith[1],
    iv.propensity.emissionWith[0][0],
    at(iv.overTime.stateShares.with[1], 2),
  ];
}

describe('effects report intervals', () => {
  let fitted: EffectsFit;
  let cov: Covariance;
  let r: EffectsReport;
  const H = 20;
  beforeAll(() => {
    ({ fitted, cov } = fittedWithCovariance());
    r = computeEffects(fitted, { horizon: H, covariance: cov });
  }, 120_000);

  it('every figure has a delta-method interval centred on it (probabilities: on the logit scale), in the figure\'s place', () => {
    const iv = r.intervals!;
    expect(iv.method).toBe('delta');
    expect(iv.covariance).toBe('observed');
    const ps = pairs(figuresOf(r), iv);
    // 3 moves x 2 arms x 2 states, 2 x 2 long-run shares, 2 x 2 x 4 voice probabilities, 16 + 16 totals,
    // 4 x 4 x 4 series of length H, 2 x 2 state-share series, 16 long-run totals.
    expect(ps.length).toBe(12 + 4 + 16 + 32 + 64 * H + 4 * H + 16);
    const z = 1.959963984540054;
    const logit = (p: number) => Math.log(p / (1 - p));
    let probabilities = 0;
    for (const [x, b, path] of ps) {
      expect(Number.isFinite(b.low) && Number.isFinite(b.high) && b.se >= 0, path).toBe(true);
      if (PROBABILITY.test(path)) {
        probabilities++;
        expect(b.low >= 0 && b.high <= 1 && b.low <= x && x <= b.high, path).toBe(true);
        if (x > 1e-6 && x < 1 - 1e-6) {
          expect(Math.abs((logit(b.low) + logit(b.high)) / 2 - logit(x)), path).toBeLessThan(1e-6);
          expect(Math.abs(logit(b.high) - logit(b.low) - (2 * z * b.se) / (x * (1 - x))), path).toBeLessThan(1e-6 * (1 + b.se / (x * (1 - x))));
        }
      } else {
        expect(Math.abs((b.low + b.high) / 2 - x), path).toBeLessThan(1e-12 + 1e-9 * Math.abs(x));
        expect(Math.abs(b.high - b.low - 2 * z * b.se), path).toBeLessThan(1e-9 * (1 + b.se));
      }
    }
    expect(probabilities).toBe(12 + 4 + 16 + 16 * H + 4 * H);
    // The net at the horizon is the last element of the cumulative net series, intervals included.
    expect(iv.net.effects.complaint.net.se).toBeCloseTo(iv.overTime.cumulativeEffects.complaint.net.se[H - 1], 12);
  });

  it('standard errors equal sqrt(g\' C g) with g from a Jacobian of the recomputed report at a different step', () => {
    const theta = fitted.parameters.values;
    const n = theta.length;
    const base = selected(r);
    const grads = base.map(() => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const step = 2e-4 * Math.max(1, Math.abs(theta[i]));
      const up = Float64Array.from(theta);
      up[i] += step;
      const down = Float64Array.from(theta);
      down[i] -= step;
      const fu = selected(computeEffects({ ...fitted, parameters: { ...fitted.parameters, values: up } }, { horizon: H }));
      const fd = selected(computeEffects({ ...fitted, parameters: { ...fitted.parameters, values: down } }, { horizon: H }));
      base.forEach((_, j) => (grads[j][i] = (fu[j] - fd[j]) / (2 * step)));
    }
    const bounds = selectedBounds(r);
    grads.forEach((g, j) => {
      let v = 0;
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) v += g[a] * cov.matrix[a * n + b] * g[b];
      const se = Math.sqrt(v);
      expect(se).toBeGreaterThan(0);
      expect(Math.abs(bounds[j].se - se) / se, `figure ${j}`).toBeLessThan(2e-3);
    });
  }, 120_000);

  it('the delta-method SE of the long-run net effect matches its spread over parameter draws from the covariance', () => {
    const n = cov.names.length;
    const L = new CholeskyDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(cov.matrix.subarray(i * n, (i + 1) * n))))).lowerTriangularMatrix;
    const rng = new Rng(99);
    const vals: number[] = [];
    for (let d = 0; d < 300; d++) {
      const z = Array.from({ length: n }, () => rng.normal());
      const th = Float64Array.from(fitted.parameters.values);
      for (let i = 0; i < n; i++) for (let k = 0; k <= i; k++) th[i] += L.get(i, k) * z[k];
      vals.push(computeEffects({ ...fitted, parameters: { ...fitted.parameters, values: th } }, { horizon: 2 }).longRun.effects!.complaint.net);
    }
    const mean = vals.reduce((s, x) => s + x, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, x) => s + (x - mean) ** 2, 0) / (vals.length - 1));
    const se = r.intervals!.longRun!.complaint.net.se;
    // 300 draws: the SD is within about 8% of the truth (2 sigma); the linearisation adds a little.
    expect(Math.abs(sd / se - 1)).toBeLessThan(0.2);
  }, 120_000);

  it('bootstrap replicates give percentile intervals of the report recomputed at each replicate', () => {
    const n = cov.names.length;
    const rng = new Rng(5);
    const sd = Array.from({ length: n }, (_, i) => Math.sqrt(cov.matrix[i * n + i]));
    const replicates = Array.from({ length: 41 }, () => Array.from(fitted.parameters.values, (v, i) => v + 0.5 * sd[i] * rng.normal()));
    const boot: Covariance = { ...cov, method: 'bootstrap', unavailable: [cov.names[0]], bootstrap: { type: 'nonparametric', requested: 43, seed: 5, replicates, failed: 2, notConverged: 0 } };
    const rb = computeEffects(fitted, { horizon: 5, covariance: boot });
    expect(rb.intervals!.method).toBe('bootstrap');
    // Replicates vary every parameter: nothing is held fixed; failed replicates are counted.
    expect(rb.intervals!.notes).toEqual(['bootstrap: 41 replicates used of 43 (2 failed, 0 not converged among those used)']);
    expect(computeEffects(fitted, { horizon: 5, covariance: { ...cov, unavailable: [cov.names[0]] } }).intervals!.notes[0]).toMatch(/held fixed \(initial\[2\]:\(Intercept\)\)/);
    expect(rb.intervals!.replicates).toBe(41);
    const each = replicates.map((rep) => computeEffects({ ...fitted, parameters: { ...fitted.parameters, values: Float64Array.from(rep) } }, { horizon: 5 }));
    const check = (got: Bounds, values: number[]) => {
      const s = values.slice().sort((a, b) => a - b);
      expect(got.low).toBeCloseTo(quantileSorted(s, 0.025), 12);
      expect(got.high).toBeCloseTo(quantileSorted(s, 0.975), 12);
    };
    check(rb.intervals!.longRun!.complaint.net, each.map((e) => e.longRun.effects!.complaint.net));
    check(rb.intervals!.net.effects.compliment.relationship, each.map((e) => e.net.effects.compliment.relationship));
    check(rb.intervals!.relationship.moves[1].without.down, each.map((e) => e.relationship.moves[1].without.down));
  }, 120_000);

  it('the sentence says when an interval includes zero, and the text prints the intervals', () => {
    const scaled = (f: number): Covariance => ({ ...cov, matrix: cov.matrix.map((x) => x * f) });
    const wide = computeEffects(fitted, { horizon: H, covariance: scaled(1e4) });
    expect(wide.intervals!.longRun!.complaint.net.low).toBeLessThan(0);
    expect(wide.intervals!.longRun!.complaint.net.high).toBeGreaterThan(0);
    expect(wide.summary[0]).toMatch(/net [+-]\d\.\d{3} \(95% interval [+-]\d+\.\d{3} to [+-]\d+\.\d{3}: the data do not settle the sign\)/);
    const narrow = computeEffects(fitted, { horizon: H, covariance: scaled(1e-10) });
    expect(narrow.summary[0]).toContain('95% interval');
    expect(narrow.summary[0]).not.toMatch(/settle the sign/);
    const text = formatEffectsText(r);
    expect(text).toContain('Intervals: 95% (delta method from the observed covariance)');
    expect(text).toContain('95% interval of net');
    const b = r.intervals!.longRun!.complaint.net;
    expect(text).toContain(`[${b.low >= 0 ? '+' : ''}${b.low.toFixed(3)}, ${b.high >= 0 ? '+' : ''}${b.high.toFixed(3)}]`);
    expect(text).not.toMatch(/NaN|Infinity/);
  });

  it('rejects a covariance of other parameters', () => {
    const bad: Covariance = { ...cov, names: cov.names.map((x, i) => (i === 3 ? 'other' : x)) };
    expect(() => computeEffects(fitted, { covariance: bad })).toThrow(/does not belong to the fit's parameters: .*name 4 is 'other'/);
  });
});
