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
import { buildSelectionDesign } from '../data/selectionDesign.js';
import { ModelError } from '../errors.js';
import { createModel, createModelFromPatterns, compressModelDesign, complaintIndex, type HmmModel, type ModelDesigns, type ModelPatterns } from '../model/hmmModel.js';
import { partCounts, partObserved, type SubModel } from '../model/subModel.js';
import { EStep, type EStepEngine, type EStepOptions } from './eStep.js';
import type { DataSummary, FitOptions, FitResult } from './fitTypes.js';
import { fitMixture, fitMixtureAsync, mixtureAt, mixturePosterior, mixtureViterbi, type MixturePosterior } from './fitMixture.js';
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

export { FIT_DEFAULTS, M_STEP_DEFAULTS, SAME_OPTIMUM, DISAGREE, finishedAgreement } from './fitStarts.js';
import { FIT_DEFAULTS, boundaryWarnings, runStarts, type FitHooks } from './fitStarts.js';
import { runStartsOnThreads } from './startsOnThreads.js';

/** Designs of the three sub-models for a panel. */
export function buildModelDesigns(panel: Panel, spec: ModelSpec): ModelDesigns {
  const designs: ModelDesigns = {
    initial: buildDesign(panel, spec.formulas.initial),
    transition: buildDesign(panel, spec.formulas.transition),
    emission: buildDesign(panel, spec.formulas.emission),
  };
  if (spec.formulas.selection !== undefined) designs.selection = buildSelectionDesign(panel, spec.formulas.selection);
  return designs;
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

export function checkPanelSpec(panel: Panel, spec: ModelSpec): void {
  const a = panel.voiceLabels.map((l) => l.toLowerCase());
  const b = spec.voiceLabels.map((l) => l.toLowerCase());
  if (a.length !== b.length || a.some((l, i) => l !== b[i])) {
    throw new ModelError(`the model's voice labels (${spec.voiceLabels.join(', ')}) differ from the panel's (${panel.voiceLabels.join(', ')})`);
  }
}

/**
 * The model of `spec` on a panel's designs. The full designs are temporaries: each is compressed
 * into its sub-model's patterns as soon as it is built and released before the next is built
 * (they are the largest buffers of a big panel).
 */
function buildModel(panel: Panel, spec: ModelSpec, onPhase?: (description: string) => void): HmmModel {
  checkPanelSpec(panel, spec);
  if (spec.formulas.selection !== undefined) {
    // with a selection model the dense designs are built, each announced, then compressed together
    const designs = {} as ModelDesigns;
    for (const b of ['initial', 'transition', 'emission'] as const) {
      onPhase?.(`designs: ${b} ${spec.formulas[b]}`);
      designs[b] = buildDesign(panel, spec.formulas[b]);
    }
    onPhase?.(`designs: selection ${spec.formulas.selection}`);
    designs.selection = buildSelectionDesign(panel, spec.formulas.selection);
    onPhase?.('designs: distinct rows (patterns)');
    return createModel(spec, designs, panel.offsets);
  }
  // one sub-model at a time, each announced (a large panel takes a while)
  const patterns = {} as ModelPatterns;
  for (const b of ['initial', 'transition', 'emission'] as const) {
    onPhase?.(`designs: ${b} ${spec.formulas[b]} and its distinct rows`);
    patterns[b] = compressModelDesign(b, buildDesign(panel, spec.formulas[b]), panel.offsets);
  }
  return createModelFromPatterns(spec, patterns, panel.offsets);
}

/** Fit the model of `spec` to a panel. */
export function fit(panel: Panel, spec: ModelSpec, options: FitOptions = {}): FitResult {
  if (spec.classes !== undefined) return fitMixture(panel, spec, options);
  checkFitOptions(options);
  options.onPhase?.(`building the designs (${panel.voice.length} rows)`);
  return fitModel(buildModel(panel, spec, options.onPhase), panel.offsets, panel.voice, dataSummary(panel), spec, options);
}

/** Fit from ready-made designs (one row per panel row each). */
export function fitDesigns(data: FitData, spec: ModelSpec, options: FitOptions = {}): FitResult {
  if (spec.classes !== undefined) throw new ModelError('fitDesigns fits one class; fit a mixture of classes with fit()');
  checkFitOptions(options);
  const summary = data.summary ?? summarizeRows(data.offsets, data.voice, spec.voiceLabels);
  return fitModel(createModel(spec, data.designs, data.offsets), data.offsets, data.voice, summary, spec, options);
}

export function checkFitOptions(options: FitOptions): void {
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
  const { eStep, given, hooks } = oneClassFit(base, offsets, voice, spec, options);
  try {
    return runStarts(base, eStep, summary, spec, options, given, hooks);
  } finally {
    eStep.close();
  }
}

/** The E-step, the given start and the start hooks of a one-class fit (fitModel, fitAsync). */
function oneClassFit(base: HmmModel, offsets: Int32Array, voice: Int32Array, spec: ModelSpec, options: FitOptions): { eStep: EStep; given: Float64Array | undefined; hooks: FitHooks<HmmModel> } {
  const K = base.nStates;
  const V = base.nVoice;
  const given = options.startParams ? namedValues(base, options.startParams) : undefined;
  // The data-driven start's bins are computed before the E-step tables exist, so that the
  // temporary buffers they need do not add to the peak memory of a large panel.
  const bins = given ? undefined : complaintRateBins(offsets, voice, K, complaintIndex(spec.voiceLabels));
  const e = base.parts[2].design;
  options.onPhase?.(`E-step tables (${e.nPatterns} emission patterns)`);
  const eStep = new EStep(base.parts, K, V, offsets, voice, { threads: options.threads ?? 1, selection: base.selectionRows });
  options.onPhase?.(`EM from ${1 + (options.starts ?? (options.startParams ? 0 : FIT_DEFAULTS.starts))} start(s), E-step on ${eStep.seq.length - 1} shard(s), ${eStep.threads} thread(s)`);
  const seed = options.seed ?? FIT_DEFAULTS.seed;
  const hooks: FitHooks<HmmModel> = {
    start: (model, s, mStep) =>
      startFromResponsibilities(model.parts, eStep, s === 0 ? dataResponsibilities(bins!, K) : randomResponsibilities(Rng.stream(seed, s), K, V), mStep),
    relabel: (model) => void model.relabelWorstFirst(),
    boundaryWarnings: (model) => {
      eStep.computeProbabilities(model.parts);
      return boundaryWarnings((block, eps) => eStep.countBoundary(block, eps), model.parts.map((p) => p.block));
    },
  };
  return { eStep, given, hooks };
}

/**
 * fit, with the starts that screening keeps run on to convergence on worker threads at once when
 * the panel has fewer shards than `threads` (see startsOnThreads.ts for the rule): the same result
 * to the last bit as fit with any number of threads.
 */
export async function fitAsync(panel: Panel, spec: ModelSpec, options: FitOptions = {}): Promise<FitResult> {
  if (spec.classes !== undefined) return fitMixtureAsync(panel, spec, options);
  checkFitOptions(options);
  options.onPhase?.(`building the designs (${panel.voice.length} rows)`);
  const base = buildModel(panel, spec, options.onPhase);
  const { eStep, given, hooks } = oneClassFit(base, panel.offsets, panel.voice, spec, options);
  return runStartsOnThreads(panel, spec, options, base, eStep, dataSummary(panel), given, hooks);
}

/** The values of a parameter vector for `model`, or a ModelError when names or length don't match. */
export function namedValues(model: { getParameters(): NamedParameters }, params: NamedParameters | Float64Array): Float64Array {
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
  const eStep = new EStep(model.parts, model.nStates, model.nVoice, panel.offsets, panel.voice, { ...eStepOptions, selection: model.selectionRows });
  return { model, eStep };
}

/**
 * The flat list of sub-models of `spec` (one class or a mixture) at the given parameters, their
 * parameter names and an E-step over them: what the likelihood-based inference needs. With
 * `eStepOptions` (threads; one class only) the caller closes the E-step (eStep.close).
 */
export function engineAt(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array, eStepOptions?: EStepOptions): { parts: readonly SubModel[]; names: string[]; eStep: EStepEngine } {
  const { model, eStep } = spec.classes !== undefined ? mixtureAt(panel, spec, params) : modelAt(panel, spec, params, eStepOptions);
  return { parts: model.parts, names: model.getParameters().names, eStep };
}

/** Exact log-likelihood by the forward pass alone (independent of EM). */
export function logLikelihood(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): number {
  const { parts, eStep } = engineAt(panel, spec, params);
  return eStep.logLik(parts);
}

/** Posterior state probabilities per row, row-major [row*K + k] (state k+1; with classes summed over classes). */
export function posterior(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): Float64Array {
  if (spec.classes !== undefined) return mixturePosterior(panel, spec, params).posterior;
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
 * With classes, the paths are class x state paths (the membership logit is one more part).
 */
export function pathEntropy(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): number {
  const { parts, eStep } = engineAt(panel, spec, params);
  const ll = eStep.run(parts);
  let complete = 0;
  for (const part of parts) complete += part.objective(partCounts(eStep.stats, part), 0, partObserved(eStep.stats, part));
  return Math.max(0, ll - complete);
}

/** Posterior state probabilities (as `posterior`) and the Viterbi path (as `viterbi`) from one model built for the panel. */
export function decodeStates(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): { posterior: Float64Array; viterbi: Int32Array; classes?: MixturePosterior } {
  if (spec.classes !== undefined) {
    const mp = mixturePosterior(panel, spec, params);
    return { posterior: mp.posterior, viterbi: mixtureViterbi(panel, spec, params, mp.classPosterior).path, classes: mp };
  }
  const { model, eStep } = modelAt(panel, spec, params);
  const gamma = new Float64Array(eStep.nRows * model.nStates);
  eStep.run(model.parts, gamma);
  return { posterior: gamma, viterbi: eStep.viterbi(model.parts) };
}

/** Most probable state path, 0-based state per row (with classes: within each customer's most probable class). */
export function viterbi(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): Int32Array {
  if (spec.classes !== undefined) return decodeStates(panel, spec, params).viterbi;
  const { model, eStep } = modelAt(panel, spec, params);
  return eStep.viterbi(model.parts);
}
