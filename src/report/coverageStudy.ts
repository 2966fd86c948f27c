/**
 * Coverage of squeaky's 95% intervals by simulation from a known truth: simulate a panel from the
 * truth, fit it, compute the observed and the robust covariance, and record for every parameter
 * and for the report's net complaint effect whether the interval contains the true value.
 * `coverageReplicate` is one replicate (a runParallel job: all randomness from its payload's
 * seed); `summarizeCoverage` turns the replicates into shares per parameter and averaged.
 * benchmarks/coverage.mjs runs the full study; the test suite runs a small one.
 */
import { fit } from '../estimation/fit.js';
import { simulate, type SimulationPolicy } from '../estimation/simulate.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';
import { likelihoodCovariances } from '../estimation/inference/observedCovariance.js';
import { standardErrors, type Covariance } from '../estimation/inference/covariance.js';
import { derivedIntervals } from '../estimation/inference/derivedIntervals.js';
import { normalQuantile } from '../estimation/inference/distributions.js';
import { computeEffects } from './computeEffects.js';
import { effectsBasis } from './runFit.js';
import type { EffectsBasis } from './fitFile.js';

export const COVERAGE_METHODS = ['observed', 'robust'] as const;
export type CoverageMethod = (typeof COVERAGE_METHODS)[number];

/** What every replicate shares: the truth and the study design. */
export interface CoverageDesign {
  spec: ModelSpec;
  truth: { names: string[]; values: number[] };
  policy: SimulationPolicy;
  customers: number;
  periods: number;
  /** Horizon of the effects report whose net complaint effect is checked. */
  horizon: number;
  /** The true net complaint effect (see trueNetComplaint). */
  trueNet: number;
  /** Fit from the truth (true: no label switching, no local optima; the SEs are what is checked) or from the default starts. */
  startAtTruth: boolean;
}

export interface CoveragePayload {
  replicate: number;
  seed: number;
}

export interface CoverageReplicate {
  replicate: number;
  converged: boolean;
  logLik: number;
  estimates: number[];
  /** Per method: standard errors (null = not available) and the net complaint effect's interval. */
  methods: Record<CoverageMethod, { se: (number | null)[]; net: { estimate: number; low: number; high: number } }>;
  /**
   * Per parameter the profile-likelihood interval the fit reports instead of the Wald one (null
   * bound = unbounded side), or null where the fit reports the Wald interval (both methods share it).
   */
  profile?: ([number | null, number | null] | null)[];
}

/**
 * The 95% interval the fit reports for parameter j: the profile interval where the fit has one
 * (unbounded sides as -/+Infinity), else estimate -/+ z SE; null when it reports none.
 */
export function reportedInterval(r: CoverageReplicate, m: CoverageMethod, j: number, z = normalQuantile(0.975)): [number, number] | null {
  const p = r.profile?.[j];
  if (p) return [p[0] ?? -Infinity, p[1] ?? Infinity];
  const s = r.methods[m].se[j];
  return s === null ? null : [r.estimates[j] - z * s, r.estimates[j] + z * s];
}

function namedTruth(d: CoverageDesign): NamedParameters {
  return { names: d.truth.names, values: Float64Array.from(d.truth.values), blocks: [] };
}

/** The net complaint effect over `horizon` of the report at parameters `values` with a given basis. */
export function netComplaint(spec: ModelSpec, names: string[], basis: EffectsBasis, horizon: number, values: Float64Array): number {
  const r = computeEffects({ spec, parameters: { names, values, blocks: [] }, effectsBasis: basis }, { horizon });
  const label = spec.voiceLabels.find((l) => l.toLowerCase() === 'complaint') ?? spec.voiceLabels[0];
  return r.net.effects[label].net;
}

/**
 * The true net complaint effect: the report at the true parameters, starting from the true state
 * mix of complaining customers (the share of complaint rows in each true state of a large panel
 * simulated from the truth), covariates at their means there.
 */
export function trueNetComplaint(d: Omit<CoverageDesign, 'trueNet'>, customers: number, seed: number): number {
  const sim = simulate(d.spec, namedTruth(d as CoverageDesign), { customers, periods: d.periods, policy: d.policy, seed });
  return netComplaint(d.spec, d.truth.names, trueComplaintBasis(sim, d.spec.nStates), d.horizon, Float64Array.from(d.truth.values));
}

/** The effects basis of a simulated panel from its true states: the share of complaint rows in each true state. */
export function trueComplaintBasis(sim: { panel: { voice: Int32Array; voiceLabels: string[] }; states: Int32Array }, K: number): EffectsBasis {
  const complaint = sim.panel.voiceLabels.findIndex((l) => l.toLowerCase() === 'complaint');
  const mix = new Array<number>(K).fill(0);
  let rows = 0;
  for (let r = 0; r < sim.panel.voice.length; r++) {
    if (sim.panel.voice[r] === complaint) {
      mix[sim.states[r]]++;
      rows++;
    }
  }
  return { complaintStateMix: mix.map((x) => x / rows), complaintRows: rows, covariateMeans: {} };
}

/** One replicate of the study (a runParallel job). */
export function coverageReplicate(payload: CoveragePayload, d: CoverageDesign): CoverageReplicate {
  const truth = namedTruth(d);
  const { panel } = simulate(d.spec, truth, { customers: d.customers, periods: d.periods, policy: d.policy, seed: payload.seed });
  const result = fit(panel, d.spec, d.startAtTruth ? { startParams: truth, starts: 0 } : { seed: payload.seed });
  const covs: Covariance[] = likelihoodCovariances(panel, d.spec, result.parameters, COVERAGE_METHODS);
  const basis = effectsBasis(panel, d.spec, result.parameters);
  const names = result.parameters.names;
  const f = (theta: Float64Array) => [netComplaint(d.spec, names, basis, d.horizon, theta)];
  const methods = {} as CoverageReplicate['methods'];
  COVERAGE_METHODS.forEach((m, i) => {
    const se = Array.from(standardErrors(covs[i]), (s) => (Number.isFinite(s) ? s : null));
    const net = derivedIntervals(f, result.parameters.values, covs[i])[0];
    methods[m] = { se, net: { estimate: net.estimate, low: net.low, high: net.high } };
  });
  const profile = names.map((name) => covs[0].profile?.intervals[name] ?? null);
  return { replicate: payload.replicate, converged: result.converged, logLik: result.logLik, estimates: Array.from(result.parameters.values), methods, profile };
}

export interface CoverageRow {
  name: string;
  truth: number;
  /**
   * Per method: share of the reported 95% intervals (Wald, or profile where the fit reports one)
   * containing the truth; replicates with an interval, without one, and with a profile interval.
   */
  coverage: Record<CoverageMethod, { share: number; available: number; unavailable: number; profiled: number }>;
  /** Mean estimate minus truth and the standard deviation of the estimates (context for the shares). */
  bias: number;
  sd: number;
}

export interface CoverageSummary {
  replicates: number;
  notConverged: number;
  parameters: CoverageRow[];
  /** Mean of the per-parameter shares. */
  average: Record<CoverageMethod, number>;
  /** Lowest per-parameter share, with its parameter. */
  lowest: Record<CoverageMethod, { name: string; share: number }>;
  net: { truth: number; coverage: Record<CoverageMethod, number>; meanEstimate: number; sd: number; signWrong: number };
}

/** Coverage shares of the reported 95% intervals (see reportedInterval) over the replicates. */
export function summarizeCoverage(reps: readonly CoverageReplicate[], d: CoverageDesign): CoverageSummary {
  const z = normalQuantile(0.975);
  const n = d.truth.names.length;
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  const sd = (v: number[]) => {
    const m = mean(v);
    return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, v.length - 1));
  };
  const parameters: CoverageRow[] = [];
  for (let j = 0; j < n; j++) {
    const truth = d.truth.values[j];
    const est = reps.map((r) => r.estimates[j]);
    const coverage = {} as CoverageRow['coverage'];
    for (const m of COVERAGE_METHODS) {
      let hit = 0;
      let available = 0;
      let profiled = 0;
      for (const r of reps) {
        const iv = reportedInterval(r, m, j, z);
        if (iv === null) continue;
        available++;
        if (r.profile?.[j]) profiled++;
        if (iv[0] <= truth && truth <= iv[1]) hit++;
      }
      coverage[m] = { share: available ? hit / available : NaN, available, unavailable: reps.length - available, profiled };
    }
    parameters.push({ name: d.truth.names[j], truth, coverage, bias: mean(est) - truth, sd: sd(est) });
  }
  const average = {} as CoverageSummary['average'];
  const lowest = {} as CoverageSummary['lowest'];
  const netCoverage = {} as CoverageSummary['net']['coverage'];
  for (const m of COVERAGE_METHODS) {
    const shares = parameters.filter((p) => p.coverage[m].available > 0);
    average[m] = mean(shares.map((p) => p.coverage[m].share));
    const low = shares.reduce((a, b) => (b.coverage[m].share < a.coverage[m].share ? b : a), shares[0]);
    lowest[m] = { name: low?.name ?? '', share: low?.coverage[m].share ?? NaN };
    const ok = reps.filter((r) => Number.isFinite(r.methods[m].net.low));
    netCoverage[m] = ok.filter((r) => r.methods[m].net.low <= d.trueNet && d.trueNet <= r.methods[m].net.high).length / Math.max(1, ok.length);
  }
  const nets = reps.map((r) => r.methods.observed.net.estimate);
  return {
    replicates: reps.length,
    notConverged: reps.filter((r) => !r.converged).length,
    parameters,
    average,
    lowest,
    net: { truth: d.trueNet, coverage: netCoverage, meanEstimate: mean(nets), sd: sd(nets), signWrong: nets.filter((x) => Math.sign(x) !== Math.sign(d.trueNet)).length },
  };
}
