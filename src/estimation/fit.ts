/**
 * The library's estimation API: fit, logLikelihood, posterior, viterbi.
 *
 * fit runs EM from a data-driven start and N random starts (each from its own seeded stream). With
 * several starts it screens them (emEM, Biernacki, Celeux & Govaert 2003): every start runs
 * `screenIter` EM iterations, and the `finish` (default 2) with the highest log-likelihoods then run to
 * convergence; the best of those is kept, and the result says how many reached its log-likelihood.
 * The kept start's states are relabelled worst relationship first; every start is reported (a
 * screened start with the log-likelihood where its screening stopped). fitDesigns does the same
 * from ready-made designs.
 */
import type { Panel } from '../data/panel.js';
import { buildDesign } from '../data/formula.js';
import { ModelError } from '../errors.js';
import { createModel, complaintIndex, type HmmModel, type ModelDesigns } from '../model/hmmModel.js';
import type { MStepOptions } from '../model/subModel.js';
import { VERSION } from '../version.js';
import { EStep, type EStepOptions } from './eStep.js';
import { runEm, type EmResult } from './em.js';
import type { DataSummary, FitOptions, FitResult, StartResult } from './fitTypes.js';
import { Rng } from './rng.js';
import type { ModelSpec, NamedParameters } from './spec.js';
import { complaintRateBins, dataResponsibilities, randomResponsibilities, startFromResponsibilities } from './starts.js';

/** What fitDesigns needs: the panel's CSR offsets and voice, one design per sub-model (one row per panel row). */
export interface FitData {
  offsets: Int32Array;
  voice: Int32Array;
  designs: ModelDesigns;
  /** Summary for the result; computed from offsets and voice when absent. */
  summary?: DataSummary;
}

export const FIT_DEFAULTS = { starts: 4, seed: 1, maxIter: 500, tol: 1e-13, ridge: 1e-8, screenIter: 5, finish: 2 } as const;
/** Finished starts whose log-likelihoods differ by at most this reached the same maximum. */
export const SAME_OPTIMUM = 1e-6;
/** Finished starts that differ by more than this disagree: a warning gives their log-likelihoods. */
export const DISAGREE = 1e-3;
/**
 * Newton iterations per M-step and their step tolerance. EM needs each M-step to improve its
 * sub-model's objective, not to maximise it (generalised EM, same fixed points, log-likelihood still
 * never falling thanks to step-halving): one exact-Hessian Newton step per EM iteration is nearly
 * the full maximum near convergence and costs a fraction of a full solve. Measured on the example
 * panel: 74 iterations in 3.8 s versus 76 iterations in 5.0 s with up to 25 Newton steps.
 */
export const M_STEP_DEFAULTS = { maxNewtonIter: 1, newtonTol: 1e-10 } as const;
/**
 * Newton iterations of the M-step that turns a start's responsibilities into parameters (from
 * zero). A start needs to be in the right region, not exact: EM refines it at once. Measured on the
 * example panel (default fit, screening 5 iterations): 3 iterations 2.2 s, 25 (a full solve) 2.5 s,
 * same maximum.
 */
const START_NEWTON_ITER = 3;
/** Probabilities closer than this to 0 or 1 are reported as on the boundary. */
const BOUNDARY = 1e-6;

/** Designs of the three sub-models for a panel. */
export function buildModelDesigns(panel: Panel, spec: ModelSpec): ModelDesigns {
  return {
    initial: buildDesign(panel, spec.formulas.initial),
    transition: buildDesign(panel, spec.formulas.transition),
    emission: buildDesign(panel, spec.formulas.emission),
  };
}

/** The data summary of a fit result (customers, rows, observed rows, periods, voice counts, interventions). */
export function dataSummary(panel: Panel): DataSummary {
  const s = summarizeRows(panel.offsets, panel.voice, panel.voiceLabels);
  let min = Infinity;
  let max = -Infinity;
  for (const p of panel.period) {
    if (p < min) min = p;
    if (p > max) max = p;
  }
  s.periods = panel.period.length ? { min, max } : { min: 0, max: 0 };
  let interventions = 0;
  const iv = panel.columns.intervention;
  if (iv) for (const x of iv) interventions += x;
  s.interventions = interventions;
  if (panel.source !== undefined) s.source = panel.source;
  return s;
}

function summarizeRows(offsets: Int32Array, voice: Int32Array, labels: readonly string[]): DataSummary {
  const counts = new Array<number>(labels.length).fill(0);
  let observations = 0;
  for (const v of voice) {
    if (v >= 0) {
      observations++;
      counts[v]++;
    }
  }
  const voiceCounts: Record<string, number> = {};
  labels.forEach((l, i) => (voiceCounts[l] = counts[i]));
  return {
    customers: offsets.length - 1,
    rows: voice.length,
    observations,
    periods: { min: 0, max: 0 },
    voiceCounts,
    interventions: 0,
  };
}

function checkPanelSpec(panel: Panel, spec: ModelSpec): void {
  const a = panel.voiceLabels.map((l) => l.toLowerCase());
  const b = spec.voiceLabels.map((l) => l.toLowerCase());
  if (a.length !== b.length || a.some((l, i) => l !== b[i])) {
    throw new ModelError(`the model's voice labels (${spec.voiceLabels.join(', ')}) differ from the panel's (${panel.voiceLabels.join(', ')})`);
  }
}

/**
 * The model of `spec` on a panel's designs. The full designs are temporaries: once compressed into
 * the sub-models' patterns they are released (they are the largest buffers of a big panel).
 */
function buildModel(panel: Panel, spec: ModelSpec, onPhase?: (description: string) => void): HmmModel {
  checkPanelSpec(panel, spec);
  if (onPhase === undefined) return createModel(spec, buildModelDesigns(panel, spec), panel.offsets);
  // the same designs, one sub-model at a time, each announced (a large panel takes a while)
  const designs = {} as ModelDesigns;
  for (const b of ['initial', 'transition', 'emission'] as const) {
    onPhase(`designs: ${b} ${spec.formulas[b]}`);
    designs[b] = buildDesign(panel, spec.formulas[b]);
  }
  onPhase('designs: distinct rows (patterns)');
  return createModel(spec, designs, panel.offsets);
}

/** Fit the model of `spec` to a panel. */
export function fit(panel: Panel, spec: ModelSpec, options: FitOptions = {}): FitResult {
  checkFitOptions(options);
  options.onPhase?.(`building the designs (${panel.voice.length} rows)`);
  return fitModel(buildModel(panel, spec, options.onPhase), panel.offsets, panel.voice, dataSummary(panel), spec, options);
}

/** Fit from ready-made designs (one row per panel row each). */
export function fitDesigns(data: FitData, spec: ModelSpec, options: FitOptions = {}): FitResult {
  checkFitOptions(options);
  const summary = data.summary ?? summarizeRows(data.offsets, data.voice, spec.voiceLabels);
  return fitModel(createModel(spec, data.designs, data.offsets), data.offsets, data.voice, summary, spec, options);
}

function checkFitOptions(options: FitOptions): void {
  const { starts, seed, maxIter, tol, ridge, screenIter, finish, threads } = options;
  if (finish !== undefined && !(Number.isInteger(finish) && finish >= 1)) throw new ModelError(`the number of starts to finish must be an integer >= 1, got ${finish}`);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new ModelError(`the number of threads must be an integer >= 1, got ${threads}`);
  if (screenIter !== undefined && !(Number.isInteger(screenIter) && screenIter >= 0)) throw new ModelError(`the screening iterations must be an integer >= 0, got ${screenIter}`);
  if (starts !== undefined && !(Number.isInteger(starts) && starts >= 0)) throw new ModelError(`the number of random starts must be an integer >= 0, got ${starts}`);
  if (maxIter !== undefined && !(Number.isInteger(maxIter) && maxIter >= 0)) throw new ModelError(`the iteration cap must be an integer >= 0, got ${maxIter}`);
  if (tol !== undefined && !(tol > 0)) throw new ModelError(`the tolerance must be > 0, got ${tol}`);
  if (ridge !== undefined && !(ridge >= 0)) throw new ModelError(`the ridge penalty must be >= 0, got ${ridge}`);
  if (seed !== undefined && !Number.isFinite(seed)) throw new ModelError(`the seed must be a number, got ${seed}`);
}

function fitModel(base: HmmModel, offsets: Int32Array, voice: Int32Array, summary: DataSummary, spec: ModelSpec, options: FitOptions): FitResult {
  const K = base.nStates;
  const V = base.nVoice;
  const given = options.startParams ? namedValues(base, options.startParams) : undefined;
  // The data-driven start's bins are computed before the E-step tables exist, so that the
  // temporary buffers they need do not add to the peak memory of a large panel.
  const bins = given ? undefined : complaintRateBins(offsets, voice, K, complaintIndex(spec.voiceLabels));
  const e = base.parts[2].design;
  options.onPhase?.(`E-step tables (${e.nPatterns} emission patterns)`);
  const eStep = new EStep(base.parts, K, V, offsets, voice, { threads: options.threads ?? 1 });
  options.onPhase?.(`EM from ${1 + (options.starts ?? (options.startParams ? 0 : FIT_DEFAULTS.starts))} start(s), E-step on ${eStep.seq.length - 1} shard(s), ${eStep.threads} thread(s)`);
  try {
    return fitWith(base, eStep, summary, spec, options, bins, given);
  } finally {
    eStep.close();
  }
}

function fitWith(
  base: HmmModel,
  eStep: EStep,
  summary: DataSummary,
  spec: ModelSpec,
  options: FitOptions,
  bins: Uint8Array | undefined,
  given: Float64Array | undefined,
): FitResult {
  const nRandom = options.starts ?? (options.startParams ? 0 : FIT_DEFAULTS.starts);
  const seed = options.seed ?? FIT_DEFAULTS.seed;
  const maxIter = options.maxIter ?? FIT_DEFAULTS.maxIter;
  const tol = options.tol ?? FIT_DEFAULTS.tol;
  const ridge = options.ridge ?? FIT_DEFAULTS.ridge;
  const K = base.nStates;
  const V = base.nVoice;
  const mStep: MStepOptions = { ridge, ...M_STEP_DEFAULTS };
  const startMStep: MStepOptions = { ...mStep, maxNewtonIter: START_NEWTON_ITER };

  type Run = { model: HmmModel; em: EmResult; kind: StartResult['kind'] };
  const nStarts = 1 + nRandom;
  // emEM: with several starts, each runs `screen` iterations; only the best then runs on.
  const screenIter = options.screenIter ?? FIT_DEFAULTS.screenIter;
  const screen = nStarts > 1 && screenIter > 0 && screenIter < maxIter ? screenIter : maxIter;
  const emOptions = (s: number, cap: number) => ({
    maxIter: cap,
    tol,
    mStep,
    accelerate: options.accelerate ?? true,
    quasiNewton: options.quasiNewton ?? true,
    onIteration: options.onProgress
      ? (iteration: number, logLik: number, change: number) => options.onProgress!({ start: s, nStarts, iteration, logLik, change })
      : undefined,
  });
  const finish = Math.min(nStarts, options.finish ?? FIT_DEFAULTS.finish);
  // The `finish` starts best after screening (ties: the earlier start), kept in descending order.
  const leaders: (Run & { index: number })[] = [];
  const starts: StartResult[] = [];
  const warnings: string[] = [];
  const better = (a: number, b: number) => a > b || (Number.isNaN(b) && !Number.isNaN(a));
  for (let s = 0; s < nStarts; s++) {
    const model = base.clone();
    const parts = model.parts;
    let kind: StartResult['kind'];
    if (s === 0 && given) {
      kind = 'given';
      model.setParameters(given);
    } else if (s === 0) {
      kind = 'data';
      startFromResponsibilities(parts, eStep, dataResponsibilities(bins!, K), startMStep);
    } else {
      kind = 'random';
      startFromResponsibilities(parts, eStep, randomResponsibilities(Rng.stream(seed, s), K, V), startMStep);
    }
    const em = runEm(parts, eStep, emOptions(s, screen));
    const stopped = screen < maxIter && !em.converged && em.state !== 'failed';
    starts.push({ index: s, kind, logLik: em.logLik, iterations: em.iterations, converged: em.converged, screened: stopped, screenLogLik: em.logLik, finished: !stopped, history: em.history });
    for (const w of em.warnings) warnings.push(`start ${s + 1}: ${w}`);
    let at = leaders.length;
    while (at > 0 && better(em.logLik, leaders[at - 1].em.logLik)) at--;
    if (at < finish) {
      leaders.splice(at, 0, { model, em, kind, index: s });
      if (leaders.length > finish) leaders.pop();
    }
  }
  // Run the leaders on to convergence, continuing their histories, in start order (progress reads in order).
  let best: Run | undefined;
  let bestIndex = -1;
  for (const lead of [...leaders].sort((a, b) => a.index - b.index)) {
    let run: Run = lead;
    if (starts[lead.index].screened) {
      const em = runEm(lead.model.parts, eStep, { ...emOptions(lead.index, maxIter), previous: lead.em.resume });
      run = { ...lead, em };
      starts[lead.index] = { ...starts[lead.index], logLik: em.logLik, iterations: em.iterations, converged: em.converged, screened: false, history: em.history };
      for (const w of em.warnings) if (!lead.em.warnings.includes(w)) warnings.push(`start ${lead.index + 1}: ${w}`);
    }
    starts[lead.index] = { ...starts[lead.index], finished: true };
    if (best === undefined || better(run.em.logLik, best.em.logLik)) {
      best = run;
      bestIndex = lead.index;
    }
  }
  const { model, em } = best!;
  if (!Number.isFinite(em.logLik)) {
    throw new ModelError(`every start ended with a log-likelihood that is not finite (${em.logLik}): the data are impossible under the model`);
  }
  model.relabelWorstFirst();

  if (!em.converged && maxIter > 0) warnings.push(`the best start did not converge: ${em.status}`);
  const reach = finishedAgreement(starts, bestIndex);
  if (reach.warning) warnings.push(reach.warning);
  eStep.computeProbabilities(model.parts);
  for (const block of ['initial', 'transition', 'emission'] as const) {
    const n = eStep.countBoundary(block, BOUNDARY);
    if (n > 0) warnings.push(`${n} ${block} probabilit${n === 1 ? 'y is' : 'ies are'} within ${BOUNDARY.toExponential()} of 0 or 1: estimates near the boundary are unreliable`);
  }

  const parameters = model.getParameters();
  const nParams = model.nParams;
  return {
    spec,
    parameters,
    logLik: em.logLik,
    nParams,
    aic: -2 * em.logLik + 2 * nParams,
    bic: -2 * em.logLik + nParams * Math.log(summary.observations),
    iterations: em.iterations,
    converged: em.converged,
    status: em.status,
    history: em.history,
    starts,
    bestStart: bestIndex,
    finished: reach.finished,
    reachedBest: reach.reachedBest,
    warnings,
    data: summary,
    version: VERSION,
  };
}

/**
 * How many finished starts (run to the end, not stopped after screening) there are and how many
 * reached the best log-likelihood within SAME_OPTIMUM; a warning with every finished start's
 * log-likelihood when some ended more than DISAGREE below the best.
 */
export function finishedAgreement(starts: readonly StartResult[], bestIndex: number): { finished: number; reachedBest: number; warning?: string } {
  const done = starts.filter((r) => r.finished ?? !r.screened); // fits saved before --finish have no `finished`
  const best = starts[bestIndex].logLik;
  const reachedBest = done.filter((r) => best - r.logLik <= SAME_OPTIMUM).length;
  const behind = done.filter((r) => !(best - r.logLik <= DISAGREE)).sort((a, b) => b.logLik - a.logLik);
  if (behind.length === 0) return { finished: done.length, reachedBest };
  const lls = behind.map((r) => `start ${r.index + 1} ${Number.isFinite(r.logLik) ? `${r.logLik.toFixed(4)} (${(best - r.logLik).toPrecision(3)} lower)` : 'failed'}`);
  return {
    finished: done.length,
    reachedBest,
    warning:
      `finished starts disagree: ${reachedBest} of ${done.length} reached the best log-likelihood ${best.toFixed(4)} (start ${bestIndex + 1}); ${lls.join(', ')}: ` +
      `the likelihood has several optima here; consider more starts (--starts) or finishing more of them (--finish)`,
  };
}

/** The values of a parameter vector for `model`, or a ModelError when names or length don't match. */
function namedValues(model: HmmModel, params: NamedParameters | Float64Array): Float64Array {
  const expected = model.getParameters().names;
  if (params instanceof Float64Array) {
    if (params.length !== expected.length) throw new ModelError(`the model has ${expected.length} parameters, got a vector of ${params.length}`);
    return params;
  }
  if (params.values.length !== params.names.length) {
    throw new ModelError(`the parameter vector has ${params.names.length} names but ${params.values.length} values`);
  }
  const missing = expected.filter((n) => !params.names.includes(n));
  const extra = params.names.filter((n) => !expected.includes(n));
  if (missing.length || extra.length) {
    const parts = [];
    if (missing.length) parts.push(`missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (+${missing.length - 5} more)` : ''}`);
    if (extra.length) parts.push(`not in the model ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ` (+${extra.length - 5} more)` : ''}`);
    throw new ModelError(`the parameters do not match the model: ${parts.join('; ')}`);
  }
  // Same names: take values by name, so an order difference is harmless.
  const pos = new Map(params.names.map((n, i) => [n, i]));
  return Float64Array.from(expected, (n) => params.values[pos.get(n)!]);
}

/**
 * A model of `spec` for a panel with the given parameters, and its E-step (`eStepOptions`, e.g.
 * threads: the caller then closes it).
 */
export function modelAt(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array, eStepOptions?: EStepOptions): { model: HmmModel; eStep: EStep } {
  const model = buildModel(panel, spec);
  model.setParameters(namedValues(model, params));
  const eStep = new EStep(model.parts, model.nStates, model.nVoice, panel.offsets, panel.voice, eStepOptions);
  return { model, eStep };
}

/** Exact log-likelihood by the forward pass alone (independent of EM). */
export function logLikelihood(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): number {
  const { model, eStep } = modelAt(panel, spec, params);
  return eStep.logLik(model.parts);
}

/** Posterior state probabilities per row, row-major [row*K + k] (state k+1). */
export function posterior(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): Float64Array {
  const { model, eStep } = modelAt(panel, spec, params);
  const gamma = new Float64Array(eStep.nRows * model.nStates);
  eStep.run(model.parts, gamma);
  return gamma;
}

/**
 * Entropy of the posterior distribution of the state paths given the voices, summed over customers
 * (the classification entropy of the ICL for a hidden Markov model): H = LL - E[log p(states, voices)],
 * the expectation being the E-step's expected complete-data log-likelihood, the sum over the three
 * sub-models of expected counts x log probabilities (their M-step objectives without the ridge).
 */
export function pathEntropy(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): number {
  const { model, eStep } = modelAt(panel, spec, params);
  const ll = eStep.run(model.parts);
  let complete = 0;
  for (const part of model.parts) complete += part.objective(eStep.stats.counts[part.block], 0, eStep.stats.observed?.[part.block]);
  return Math.max(0, ll - complete);
}

/** Posterior state probabilities (as `posterior`) and the Viterbi path (as `viterbi`) from one model built for the panel. */
export function decodeStates(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): { posterior: Float64Array; viterbi: Int32Array } {
  const { model, eStep } = modelAt(panel, spec, params);
  const gamma = new Float64Array(eStep.nRows * model.nStates);
  eStep.run(model.parts, gamma);
  return { posterior: gamma, viterbi: eStep.viterbi(model.parts) };
}

/** Most probable state path, 0-based state per row. */
export function viterbi(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): Int32Array {
  const { model, eStep } = modelAt(panel, spec, params);
  return eStep.viterbi(model.parts);
}
