/**
 * Fitting a mixture of classes (model/mixtureModel.ts): the same emEM start loop as one class
 * (fitStarts.ts) over the mixture's parts and its E-step (mixtureEStep.ts), starts from
 * mixtureStarts.ts, labelling classes by size and states worst-first. Also the mixture's
 * log-likelihood, posteriors (states and classes) and per-class models for the reports.
 */
import type { Panel } from '../data/panel.js';
import { buildDesign } from '../data/formula.js';
import type { Design } from '../data/design.js';
import { InputError, ModelError } from '../errors.js';
import { complaintIndex } from '../model/hmmModel.js';
import { createMixtureModel, type MixtureDesigns, type MixtureModel } from '../model/mixtureModel.js';
import { EStep } from './eStep.js';
import { buildModelDesigns, checkFitOptions, checkPanelSpec, dataSummary, namedValues } from './fit.js';
import { FIT_DEFAULTS, boundaryWarnings, runStarts, type FitHooks } from './fitStarts.js';
import { runStartsOnThreads } from './startsOnThreads.js';
import type { FitOptions, FitResult } from './fitTypes.js';
import { MixtureEStep } from './mixtureEStep.js';
import { startMixture } from './mixtureStarts.js';
import type { ModelSpec, NamedParameters } from './spec.js';
import { complaintRateBins } from './starts.js';

/**
 * The membership design of a panel, checked customer-level: every column must be constant within
 * each customer (else an InputError naming the file, the customer, the two periods and values).
 */
export function membershipDesign(panel: Panel, formula: string): Design {
  const d = buildDesign(panel, formula);
  const nCols = d.names.length;
  const issues: { customer: string; column: string; p0: number; v0: number; p1: number; v1: number }[] = [];
  let more = 0;
  for (let i = 0; i + 1 < panel.offsets.length; i++) {
    const r0 = panel.offsets[i];
    for (let j = 0; j < nCols; j++) {
      const v0 = d.values[r0 * nCols + j];
      for (let r = r0 + 1; r < panel.offsets[i + 1]; r++) {
        const v1 = d.values[r * nCols + j];
        if (Object.is(v1, v0) || v1 === v0) continue;
        if (issues.length < 20) issues.push({ customer: panel.customers[i], column: d.names[j], p0: panel.period[r0], v0, p1: panel.period[r], v1 });
        else more++;
        break;
      }
    }
  }
  if (issues.length) {
    const file = panel.source ?? 'the panel';
    throw new InputError(
      `the class formula '${formula}' needs customer-level columns, constant within each customer; ${issues.length + more} customer column${issues.length + more === 1 ? '' : 's'} vary in ${file}`,
      issues.map((x) => ({
        file,
        column: x.column,
        expected: `customer '${x.customer}': ${x.v0} in period ${x.p0} but ${x.v1} in period ${x.p1} (a class membership column must not vary within a customer)`,
      })),
      more,
    );
  }
  return d;
}

/** Designs of the mixture's sub-models (the membership design checked customer-level). */
export function buildMixtureDesigns(panel: Panel, spec: ModelSpec): MixtureDesigns {
  if (spec.classes === undefined) throw new ModelError('buildMixtureDesigns needs a spec with classes');
  return { ...buildModelDesigns(panel, spec), membership: membershipDesign(panel, spec.classes.formula) };
}

function buildMixture(panel: Panel, spec: ModelSpec): MixtureModel {
  checkPanelSpec(panel, spec);
  return createMixtureModel(spec, buildMixtureDesigns(panel, spec), panel.offsets);
}

/** Fit the mixture of `spec` (spec.classes set) to a panel. */
export function fitMixture(panel: Panel, spec: ModelSpec, options: FitOptions = {}): FitResult {
  const { base, eStep, given, hooks } = mixtureFit(panel, spec, options);
  try {
    return runStarts(base, eStep, dataSummary(panel), spec, options, given, hooks);
  } finally {
    eStep.close();
  }
}

/** fitMixture with the finishing starts on worker threads when they keep more threads busy than the shards (startsOnThreads.ts). */
export async function fitMixtureAsync(panel: Panel, spec: ModelSpec, options: FitOptions = {}): Promise<FitResult> {
  const { base, eStep, given, hooks } = mixtureFit(panel, spec, options);
  return runStartsOnThreads(panel, spec, options, base, eStep, dataSummary(panel), given, hooks);
}

/** The mixture, its E-step, the given start and the start hooks of a fit (fitMixture, fitMixtureAsync). */
function mixtureFit(panel: Panel, spec: ModelSpec, options: FitOptions): { base: MixtureModel; eStep: MixtureEStep; given: Float64Array | undefined; hooks: FitHooks<MixtureModel> } {
  checkFitOptions(options);
  options.onPhase?.(`building the designs (${panel.voice.length} rows)`);
  const base = buildMixture(panel, spec);
  const given = options.startParams ? namedValues(base, options.startParams) : undefined;
  const K = base.nStates;
  const ci = complaintIndex(spec.voiceLabels);
  const bins = given ? undefined : complaintRateBins(panel.offsets, panel.voice, K, ci);
  options.onPhase?.(`E-step tables (${base.nClasses} classes)`);
  const eStep = new MixtureEStep(base, panel.offsets, panel.voice, { threads: options.threads ?? 1 });
  const seed = options.seed ?? FIT_DEFAULTS.seed;
  options.onPhase?.(
    `EM from ${1 + (options.starts ?? (options.startParams ? 0 : FIT_DEFAULTS.starts))} start(s), ${base.nClasses} classes, E-step on ${eStep.seq.length - 1} shard(s), ${eStep.threads} thread(s)`,
  );
  const hooks: FitHooks<MixtureModel> = {
    start: (model, s, mStep) => startMixture(model, eStep, s, seed, bins!, ci, mStep),
    relabel: (model) => {
      eStep.run(model.parts);
      model.relabel(eStep.classSizes());
    },
    boundaryWarnings: (model) => {
      eStep.computeProbabilities(model.parts);
      return boundaryWarnings((block, eps) => eStep.countBoundary(block, eps));
    },
  };
  return { base, eStep, given, hooks };
}

/** The mixture of `spec` for a panel at the given parameters, and its E-step (one thread). */
export function mixtureAt(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): { model: MixtureModel; eStep: MixtureEStep } {
  const model = buildMixture(panel, spec);
  model.setParameters(namedValues(model, params));
  return { model, eStep: new MixtureEStep(model, panel.offsets, panel.voice) };
}

/** What a mixture says about each customer and row at given parameters. */
export interface MixturePosterior {
  nClasses: number;
  /** Posterior class probabilities [customer*C + c]. */
  classPosterior: Float64Array;
  /** Posterior state probabilities [row*K + k], summed over classes. */
  posterior: Float64Array;
  /** Prior (membership) class probabilities [customer*C + c]. */
  classPrior: Float64Array;
  logLik: number;
}

export function mixturePosterior(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): MixturePosterior {
  const { model, eStep } = mixtureAt(panel, spec, params);
  const C = model.nClasses;
  const nSeq = eStep.nSeq;
  const classPosterior = new Float64Array(nSeq * C);
  const posterior = new Float64Array(eStep.nRows * model.nStates);
  const logLik = eStep.run(model.parts, posterior, classPosterior);
  const table = eStep.probs.membership;
  const idx = model.membership.design.index;
  const classPrior = new Float64Array(nSeq * C);
  for (let i = 0; i < nSeq; i++) for (let c = 0; c < C; c++) classPrior[i * C + c] = table[idx[i] * C + c];
  return { nClasses: C, classPosterior, posterior, classPrior, logLik };
}

/**
 * The Viterbi path of every customer within the customer's most probable class (0-based states
 * per row), and that class per customer.
 */
export function mixtureViterbi(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array, classPosterior: Float64Array): { path: Int32Array; mapClass: Int32Array } {
  const { model } = mixtureAt(panel, spec, params);
  const C = model.nClasses;
  const nSeq = panel.offsets.length - 1;
  const mapClass = new Int32Array(nSeq);
  for (let i = 0; i < nSeq; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (classPosterior[i * C + c] > classPosterior[i * C + best]) best = c;
    mapClass[i] = best;
  }
  const path = new Int32Array(panel.voice.length);
  for (let c = 0; c < C; c++) {
    if (!mapClass.includes(c)) continue;
    const m = model.classes[c];
    const vit = new EStep(m.parts, m.nStates, m.nVoice, panel.offsets, panel.voice).viterbi(m.parts);
    for (let i = 0; i < nSeq; i++) if (mapClass[i] === c) path.set(vit.subarray(panel.offsets[i], panel.offsets[i + 1]), panel.offsets[i]);
  }
  return { path, mapClass };
}
