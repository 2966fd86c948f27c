/**
 * `squeaky policy`: project the panel's customers under the firm's response policies (see
 * projection.ts for one path, policyReport.ts for the result).
 *
 * Monte Carlo: paths come in batches of BATCH_PATHS, path k drawing from Rng.stream(seed, k) under
 * every policy. Unless the number of paths is fixed, every policy starts with MIN_PATHS paths and
 * doubles them until every reported mean (per period and totals) has a Monte Carlo standard error
 * below `target` (default 1%) of its absolute value, or MAX_PATHS is reached (then a warning says
 * which figure missed the target). The decision reads only finished batches in batch order, so the
 * numbers are the same with any number of threads. `none` is also propagated exactly and reported
 * from the exact propagation, with the Monte Carlo check beside it.
 *
 * Parameter uncertainty: `draws` parameter vectors from the fit's covariance (or its bootstrap
 * replicates), each with its own draw of the firm's policy coefficients from their covariance;
 * under each, every policy is projected with PATHS_PER_DRAW paths (streams 0..PATHS_PER_DRAW-1, the
 * same for every draw and policy). A draw's figure is the estimate plus the difference between its
 * paths and the fit's paths on the same streams (a control variate that cancels most of the Monte
 * Carlo noise). The 95% intervals are the 2.5% and 97.5% percentiles over the draws, of the
 * totals and of their differences from `observed`.
 */
import type { Panel } from '../../data/panel.js';
import type { Covariance } from '../../estimation/inference/covariance.js';
import type { PeriodLength } from '../effectsTypes.js';
import { observedCovariance } from '../../estimation/inference/observedCovariance.js';
import type { ModelSpec, NamedParameters } from '../../estimation/spec.js';
import { Rng } from '../../estimation/rng.js';
import { ModelError, UsageError } from '../../errors.js';
import { defaultThreads, runParallel } from '../../parallel/runParallel.js';
import { sharePanel } from '../../parallel/sharePanel.js';
import { VERSION } from '../../version.js';
import { DEFAULT_HORIZON } from '../computeEffects.js';
import { checkFitMatchesPanel } from '../panelMatch.js';
import { voiceModelFit } from '../voiceModelFit.js';
import { estimateFirmPolicy } from './firmPolicy.js';
import { covarianceFactor, normalDraw, parameterDraws } from './parameterDraws.js';
import { POLICY_FORMAT, POLICY_FORMAT_VERSION, type MeasureTable, type PolicyProjection, type PolicyReport, type UncertainFigure } from './policyReport.js';
import { DEFAULT_POLICIES, dependsOnVoice, describePolicy, parsePolicies, parseValueWeights, policyName, type PolicySpec, type ValueWeights } from './policySpec.js';
import type { BatchPayload, ProjectionShared } from './projectBatch.js';
import { percentile, summarise, valueOf, worstRelativeSe, type PathSet } from './pathStatistics.js';
import { compileProjectionFormulas, measureCount, type ProjectFrom } from './projection.js';

export const BATCH_PATHS = 8;
export const MIN_PATHS = 64;
export const MAX_PATHS = 4096;
export const DEFAULT_TARGET = 0.01;
export const DEFAULT_DRAWS = 100;
export const PATHS_PER_DRAW = 2;
/** Stream offset of the parameter draws (paths use streams 0, 1, ...). */
const DRAW_STREAM = 1 << 28;
const FIRM_DRAW_STREAM = DRAW_STREAM + (1 << 20);

export interface PolicyOptions {
  /** Policies (default observed,all,none,rate:0.5); `observed` is always included, first. */
  policies?: PolicySpec[] | string;
  /** Projected periods (default 30). */
  horizon?: number;
  from?: ProjectFrom;
  /** Fixed number of paths per policy (default: adaptive to the target). */
  paths?: number;
  /** Relative Monte Carlo SE target of the adaptive path count (default 0.01). */
  target?: number;
  /** Cap of the adaptive path count (default 4096). */
  maxPaths?: number;
  seed?: number;
  threads?: number;
  value?: ValueWeights | string;
  /** Parameter draws for the intervals (default 40; 0 = no intervals). */
  draws?: number;
  /** The covariance of the fit's parameters (default: the fit's own `covariance`, if any; null: none). */
  covariance?: Covariance | null;
  /**
   * When there is no covariance, compute the observed-information covariance at the parameters
   * on this panel (for a fit saved without one; default false, e.g. for a truth file's parameters).
   */
  computeCovariance?: boolean;
  onProgress?: (message: string) => void;
}

interface FitLike {
  spec: ModelSpec;
  parameters: NamedParameters;
  covariance?: Covariance;
  /** The panel's period length (fits of panels made by `prepare`): the horizon is stated in it. */
  periodLength?: PeriodLength;
}

function checkOptions(o: PolicyOptions): void {
  const whole = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new UsageError(`policy: ${name} must be a whole number >= ${min}, got ${v}`);
  };
  whole('horizon', o.horizon, 1);
  whole('paths', o.paths, 2);
  whole('maxPaths', o.maxPaths, 2);
  whole('draws', o.draws, 0);
  whole('threads', o.threads, 1);
  if (o.seed !== undefined && !Number.isFinite(o.seed)) throw new UsageError(`policy: seed must be a number, got ${o.seed}`);
  if (o.target !== undefined && !(o.target > 0)) throw new UsageError(`policy: the Monte Carlo target must be > 0, got ${o.target}`);
  if (o.from !== undefined && o.from !== 'end' && o.from !== 'start') throw new UsageError(`policy: from must be 'end' or 'start', got '${String(o.from)}'`);
}

/** Project the panel's customers under each policy (library API of `squeaky policy`). */
export async function projectPolicies(fitIn: FitLike, panel: Panel, options: PolicyOptions = {}, fitFile = 'the fit'): Promise<PolicyReport> {
  checkOptions(options);
  // the policies decide the interventions: a selection model plays no part
  const fit = voiceModelFit(fitIn);
  const { spec } = fit;
  checkFitMatchesPanel(spec, panel, fitFile);
  const policies = typeof options.policies === 'string' || options.policies === undefined ? parsePolicies(options.policies ?? DEFAULT_POLICIES, spec.nStates) : parsePolicies(options.policies.map(policyName).join(','), spec.nStates);
  const weights = typeof options.value === 'string' ? parseValueWeights(options.value, spec.voiceLabels) : options.value;
  const H = options.horizon ?? DEFAULT_HORIZON;
  const from = options.from ?? 'end';
  const seed = options.seed ?? 1;
  const threads = options.threads ?? defaultThreads();
  const target = options.target ?? DEFAULT_TARGET;
  const maxPaths = options.maxPaths ?? MAX_PATHS;
  const progress = options.onProgress ?? (() => undefined);
  compileProjectionFormulas(spec, panel); // formula problems before any work
  const K = spec.nStates;
  const V = spec.voiceLabels.length;
  const N = panel.customers.length;
  const M = measureCount(K, V);
  const measures = [...spec.voiceLabels.map((l) => l.toLowerCase()), 'intervention', ...Array.from({ length: K }, (_, k) => `state${k + 1}`)];
  const countMeasures = V + 1;
  const warnings: string[] = [];

  const firm = estimateFirmPolicy(panel);
  warnings.push(...firm.warnings);
  const shared: ProjectionShared = { panel: sharePanel(panel), spec, names: fit.parameters.names, horizon: H, from, seed };
  const job = { module: new URL(import.meta.url.endsWith('.ts') ? './projectBatch.ts' : './projectBatch.js', import.meta.url).href, name: 'projectBatch' };
  const run = async (payloads: BatchPayload[], what: string): Promise<Float64Array[]> => {
    let last = -1;
    return runParallel<BatchPayload, Float64Array, ProjectionShared>(job, payloads, {
      threads,
      shared,
      onDone: (_i, done, total) => {
        const pct = Math.floor((100 * done) / total);
        if (pct >= last + 10 || done === total) {
          last = pct;
          progress(`${what}: ${done}/${total} batches`);
        }
      },
    });
  };
  const theta = Array.from(fit.parameters.values);
  const beta = firm.estimate;
  const batches = (policy: PolicySpec, first: number, count: number, thetaKey: string, th: number[], b: number[], paths = BATCH_PATHS): BatchPayload[] =>
    Array.from({ length: count }, (_, j) => ({ thetaKey, theta: th, beta: b, policies: [{ policy, paths, exact: false }], firstPath: (first + j) * paths }));

  // Exact propagation of the policies that ignore voice, and the parameter draws: sent with the
  // first Monte Carlo round, so that one set of worker threads does the common case.
  const exactIdx = policies.map((p, i) => (dependsOnVoice(p) ? -1 : i)).filter((i) => i >= 0);
  const extra: BatchPayload[] = exactIdx.map((i) => ({ thetaKey: 'fit', theta, beta, policies: [{ policy: policies[i], paths: 1, exact: true }], firstPath: 0 }));
  let cov = options.covariance === undefined ? fit.covariance : options.covariance ?? undefined;
  let computed = false;
  if (!cov && options.covariance !== null && options.computeCovariance && (options.draws ?? DEFAULT_DRAWS) > 0) {
    progress('observed-information covariance of the parameters (the fit has none)');
    cov = observedCovariance(panel, spec, fit.parameters);
    computed = true;
  }
  const nDraws = options.draws ?? DEFAULT_DRAWS;
  // The draws pair their paths with the fit's first paths, so they cannot have more.
  const drawPaths = Math.min(PATHS_PER_DRAW, options.paths ?? PATHS_PER_DRAW);
  let intervals: PolicyReport['intervals'] = { available: false, method: null, draws: 0, pathsPerDraw: 0, level: 0.95, note: '' };
  let nDrawn = 0;
  if (nDraws === 0) intervals.note = 'intervals not computed (--draws 0)';
  else if (!cov) intervals.note = 'intervals not available: the fit has no covariance of its parameters (fit it with standard errors to get them)';
  else if (cov.names.length !== theta.length || cov.names.some((n, i) => n !== fit.parameters.names[i])) {
    intervals.note = "intervals not available: the covariance's parameter names do not match the fit's";
    warnings.push(intervals.note);
  } else {
    const { method, draws } = parameterDraws(fit.parameters.values, cov, nDraws, seed, DRAW_STREAM);
    const firmFactor = covarianceFactor(firm.covariance, beta.length);
    const betas = draws.map((_d, d) => normalDraw(beta, firmFactor, Rng.stream(seed, FIRM_DRAW_STREAM + d)));
    // One job per draw, so that each draw's starting point is computed once.
    draws.forEach((th, d) =>
      extra.push({ thetaKey: `draw ${d}`, theta: th, beta: betas[d], firstPath: 0, policies: policies.map((p) => ({ policy: p, paths: dependsOnVoice(p) ? drawPaths : 1, exact: !dependsOnVoice(p) })) }),
    );
    nDrawn = draws.length;
    intervals = {
      available: true,
      method,
      draws: draws.length,
      pathsPerDraw: drawPaths,
      level: 0.95,
      note: `95% intervals: percentiles over ${draws.length} draws of the parameters (${method === 'bootstrap' ? 'bootstrap replicates' : `normal, from the ${cov.method} covariance${computed ? ', computed here on the panel because the fit has none' : ''}`}) and of the firm's policy coefficients; ${drawPaths} Monte Carlo paths per draw, on the streams of the first ${drawPaths} paths at the fit's parameters, whose difference is added to the estimate (most Monte Carlo noise cancels)`,
    };
    if (method === 'bootstrap' && draws.length < nDraws && options.draws !== undefined) warnings.push(`only ${draws.length} bootstrap replicates: the intervals use them all`);
  }

  // Monte Carlo of every policy at the fit's parameters, adaptively.
  const sets: PathSet[] = policies.map(() => ({ size: H * M, batch: BATCH_PATHS, data: [], paths: 0 }));
  const fixed = options.paths;
  const want = policies.map(() => (fixed !== undefined ? fixed : Math.min(MIN_PATHS, maxPaths)));
  let extraOut: Float64Array[] = [];
  for (let round = 0; ; round++) {
    const payloads: BatchPayload[] = [];
    const owners: number[] = [];
    policies.forEach((p, i) => {
      const have = sets[i].data.length;
      const need = Math.ceil(want[i] / BATCH_PATHS) - have;
      for (const b of batches(p, have, need, 'fit', theta, beta)) {
        payloads.push(b);
        owners.push(i);
      }
    });
    if (payloads.length === 0) break;
    const out = await run(round === 0 ? [...payloads, ...extra] : payloads, round === 0 ? 'projection' : `more Monte Carlo paths (round ${round + 1})`);
    if (round === 0) extraOut = out.slice(payloads.length);
    out.slice(0, payloads.length).forEach((r, j) => sets[owners[j]].data.push(r));
    let more = false;
    policies.forEach((_p, i) => {
      sets[i].paths = Math.min(want[i], sets[i].data.length * BATCH_PATHS);
      if (fixed !== undefined) return;
      const worst = worstRelativeSe(summarise(sets[i], H, M, countMeasures, N), measures, countMeasures, N);
      if (worst.value > target && want[i] < maxPaths) {
        want[i] = Math.min(maxPaths, want[i] * 2);
        more = true;
      }
    });
    if (!more) break;
  }

  const tables = policies.map((_p, i) => summarise(sets[i], H, M, countMeasures, N));
  const exactTables = new Map<number, MeasureTable>();
  exactIdx.forEach((i, j) => {
    const t = summarise({ size: H * M, batch: 1, data: [extraOut[j]], paths: 1 }, H, M, countMeasures, N);
    exactTables.set(i, { perPeriod: t.perPeriod, totals: t.totals });
  });
  // [draw][policy][measure]. A draw's paths use the streams of the fit's first PATHS_PER_DRAW
  // paths: its totals minus theirs, plus the fit's estimate, keep the draw's parameter effect and
  // cancel most of its Monte Carlo noise (a control variate; exact policies need none).
  const reportedTotals = (i: number) => (exactTables.get(i) ?? tables[i]).totals.mean;
  const fitFirst = policies.map((p, i) => {
    if (!dependsOnVoice(p)) return reportedTotals(i);
    const first = tables[i].perPath.totals.slice(0, drawPaths);
    return Array.from({ length: M }, (_m, m) => first.reduce((acc, t) => acc + t[m], 0) / first.length);
  });
  const drawTotals: number[][][] = Array.from({ length: nDrawn }, (_d, d) =>
    policies.map((p, i) => {
      const paths = dependsOnVoice(p) ? drawPaths : 1;
      const before = policies.slice(0, i).reduce((n, q) => n + (dependsOnVoice(q) ? drawPaths : 1), 0);
      const r = extraOut[exactIdx.length + d].subarray(before * H * M, (before + paths) * H * M);
      const raw = summarise({ size: H * M, batch: paths, data: [r], paths }, H, M, countMeasures, N).totals.mean;
      return raw.map((x, m) => x - fitFirst[i][m] + reportedTotals(i)[m]);
    }),
  );

  const figure = (estimate: number, mcSe: number, dist: number[] | null): UncertainFigure => ({
    estimate,
    mcSe,
    low: dist ? percentile(dist, 0.025) : null,
    high: dist ? percentile(dist, 0.975) : null,
  });
  const reported = (i: number): MeasureTable => exactTables.get(i) ?? tables[i];
  const obs = reported(0);
  const projections: PolicyProjection[] = policies.map((p, i) => {
    const t = reported(i);
    const exact = exactTables.has(i);
    const worst = worstRelativeSe(tables[i], measures, countMeasures, N);
    if (!exact && worst.value > target) {
      warnings.push(`${policyName(p)}: after ${sets[i].paths} paths the Monte Carlo SE of ${worst.where} is ${(100 * worst.value).toFixed(2)}% of its mean (target ${100 * target}%)${fixed !== undefined ? '; use more --paths' : ''}`);
    }
    const dist = (m: number, minus: boolean) => (intervals.available ? drawTotals.map((d) => d[i][m] - (minus ? d[0][m] : 0)) : null);
    const proj: PolicyProjection = {
      name: policyName(p),
      description: describePolicy(p),
      method: exact ? 'exact' : 'monte-carlo',
      paths: sets[i].paths,
      maxRelativeSe: exact ? 0 : worst.value,
      targetMet: exact || worst.value <= target,
      table: { perPeriod: t.perPeriod, totals: t.totals },
      totals: t.totals.mean.map((e, m) => figure(e, t.totals.se[m], dist(m, false))),
    };
    if (exact) {
      let z = 0;
      const mc = tables[i];
      // Figures that no draw has moved yet (the first period) differ by rounding only.
      const check = (a: number, se: number, e: number) => {
        z = Math.max(z, Math.abs(a - e) / Math.max(se, 1e-9 * Math.max(1, Math.abs(e))));
      };
      mc.perPeriod.mean.forEach((row, h) => row.forEach((a, m) => check(a, mc.perPeriod.se[h][m], t.perPeriod.mean[h][m])));
      mc.totals.mean.forEach((a, m) => check(a, mc.totals.se[m], t.totals.mean[m]));
      proj.monteCarloCheck = { maxAbsZ: z, table: { perPeriod: mc.perPeriod, totals: mc.totals } };
    }
    if (i > 0) proj.difference = t.totals.mean.map((e, m) => figure(e - obs.totals.mean[m], Math.hypot(t.totals.se[m], obs.totals.se[m]), dist(m, true)));
    if (weights) {
      const valueSe = (j: number): number => {
        if (exactTables.has(j)) return 0;
        const v = tables[j].perPath.totals.map((tt) => valueOf(tt, weights, spec.voiceLabels));
        const mean = v.reduce((s, x) => s + x, 0) / v.length;
        return Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, v.length - 1) / v.length);
      };
      const val = valueOf(t.totals.mean, weights, spec.voiceLabels);
      const valDist = (minus: boolean) => (intervals.available ? drawTotals.map((d) => valueOf(d[i], weights, spec.voiceLabels) - (minus ? valueOf(d[0], weights, spec.voiceLabels) : 0)) : null);
      proj.value = figure(val, valueSe(i), valDist(false));
      if (i > 0) proj.valueDifference = figure(val - valueOf(obs.totals.mean, weights, spec.voiceLabels), Math.hypot(valueSe(i), valueSe(0)), valDist(true));
    }
    return proj;
  });
  if (exactIdx.some((i) => (projections[i].monteCarloCheck?.maxAbsZ ?? 0) > 4)) {
    warnings.push('the Monte Carlo projection of a voice-independent policy is more than 4 Monte Carlo SE from its exact propagation');
  }
  const report: PolicyReport = {
    format: POLICY_FORMAT,
    formatVersion: POLICY_FORMAT_VERSION,
    version: VERSION,
    from,
    horizon: H,
    ...(fit.periodLength ? { periodLength: fit.periodLength } : {}),
    customers: N,
    seed,
    nStates: K,
    voiceLabels: [...spec.voiceLabels],
    measures,
    firmPolicy: firm,
    monteCarlo: { targetRelativeSe: target, batchPaths: BATCH_PATHS, maxPaths, fixedPaths: fixed ?? null },
    intervals,
    policies: projections,
    warnings,
  };
  if (weights) {
    const ranked = projections.map((p) => ({ policy: p.name, value: p.value!.estimate })).sort((a, b) => b.value - a.value);
    report.value = { weights, ranking: ranked.map((r, j) => ({ ...r, rank: j + 1 })) };
  }
  if (!Number.isFinite(projections[0].totals[0].estimate)) throw new ModelError('the projection produced a value that is not finite (check the fit)');
  return report;
}
