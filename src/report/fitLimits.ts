/**
 * What `fit` checks before any EM work: the model can be estimated from the panel at all (enough
 * observed voice categories, fewer parameters than observations, a reference voice that occurs)
 * and the work asked for is sane (states, starts, terms). Each refusal says the estimate and the
 * option that controls it. Also the design problems that deserve a warning: constant or
 * duplicated design columns, a panel without interventions.
 */
import type { Panel } from '../data/panel.js';
import { compileFormula } from '../data/formula.js';
import type { Design } from '../data/design.js';
import type { ModelSpec } from '../estimation/spec.js';
import { createModel } from '../model/hmmModel.js';
import { UsageError } from '../errors.js';
import { buildSelectionDesign, type SelectionDesign } from '../data/selectionDesign.js';

/** Largest --states accepted. */
export const MAX_STATES = 16;
/** Largest --starts accepted. */
export const MAX_STARTS = 1000;
/** Largest number of terms in one formula. */
export const MAX_TERMS = 50;

const BLOCKS = ['initial', 'transition', 'emission'] as const;

export interface FitPlan {
  /** The designs, one row per panel row (only with `keepDesigns`, the default). */
  designs: Record<(typeof BLOCKS)[number], Design>;
  nParams: number;
  observations: number;
  warnings: string[];
}

export interface PlanFitOptions {
  /**
   * Return the designs (default true). With false, each design is checked as soon as it is built
   * and released before the next (no dense design outlives the call; `designs` is then empty):
   * what `squeaky fit` does, since the fit builds its own compressed designs.
   */
  keepDesigns?: boolean;
}

/**
 * Refuse (UsageError) a fit that cannot be estimated or would be unreasonable work; return the
 * designs' warnings otherwise. `starts` is the number of random starts asked for.
 */
export function planFit(panel: Panel, spec: ModelSpec, starts: number | undefined, options: PlanFitOptions = {}): FitPlan {
  const K = spec.nStates;
  if (K > MAX_STATES) throw new UsageError(`--states ${K}: at most ${MAX_STATES} relationship states are supported`);
  if (starts !== undefined && starts > MAX_STARTS) throw new UsageError(`--starts ${starts}: at most ${MAX_STARTS} random starts (each runs EM on the whole panel)`);
  const src = panel.source ?? 'the panel';

  // Voice: at least two categories must be observed, and the reference among them.
  const counts = new Array<number>(panel.voiceLabels.length).fill(0);
  let observations = 0;
  for (let r = 0; r < panel.voice.length; r++) {
    const v = panel.voice[r];
    if (v >= 0) {
      counts[v]++;
      observations++;
    }
  }
  const seen = panel.voiceLabels.filter((_, i) => counts[i] > 0);
  if (seen.length < 2) {
    throw new UsageError(
      `${src}: only ${seen.length === 0 ? 'no voice' : `the voice '${seen[0]}'`} is observed; a voice model needs at least two observed categories (nothing was fitted)`,
    );
  }
  const refIndex = panel.voiceLabels.findIndex((l) => l.toLowerCase() === spec.referenceVoice.toLowerCase());
  if (refIndex >= 0 && counts[refIndex] === 0) {
    throw new UsageError(`--reference ${spec.referenceVoice}: the reference voice never occurs in ${src}; choose one of the observed voices (${seen.join(', ')})`);
  }

  const columns = Object.keys(panel.columns);
  const compiled = BLOCKS.map((b) => compileFormula(spec.formulas[b], columns));
  compiled.forEach((c, i) => {
    const terms = c.names.length - (c.intercept ? 1 : 0);
    if (terms > MAX_TERMS) throw new UsageError(`--${BLOCKS[i]}: the formula has ${terms} terms; at most ${MAX_TERMS} are supported`);
  });
  const keep = options.keepDesigns ?? true;
  const designs = {} as FitPlan['designs'];
  const warnings: string[] = [];
  // one design at a time: its warnings, then (unless kept) it goes before the next is built
  compiled.forEach((c, i) => {
    const d = c.evaluate(panel);
    warnings.push(...blockDesignWarnings(BLOCKS[i], d));
    designs[BLOCKS[i]] = keep ? d : { names: d.names, values: new Float64Array(0) };
  });
  warnings.push(...interventionWarnings(panel));
  let selection: SelectionDesign | undefined;
  if (spec.formulas.selection !== undefined) {
    selection = buildSelectionDesign(panel, spec.formulas.selection);
    const terms = selection.design.names.length - 1;
    if (terms > MAX_TERMS) throw new UsageError(`--selection: the formula has ${terms} terms; at most ${MAX_TERMS} are supported`);
  }
  // the parameter count depends on the designs' columns only: without a selection model (whose
  // units follow the panel) it is read off a model over one row of zeros with those columns
  const plain =
    keep || selection !== undefined
      ? createModel(spec, { ...(keep ? designs : rebuilt(compiled, panel)), selection }, panel.offsets)
      : createModel(spec, oneRowDesigns(designs), Int32Array.of(0, 1));
  let nParams = plain.nParams;
  if (spec.classes) {
    // a mixture: class-specific blocks once per class, shared blocks once, membership (C - 1) x its columns
    const cs = spec.classes;
    nParams = BLOCKS.reduce((n, b, i) => n + plain.parts[i].nParams * (cs.specific.includes(b) ? cs.count : 1), 0);
    nParams += (cs.count - 1) * compileFormula(cs.formula, columns).names.length;
  }
  if (nParams >= observations) {
    throw new UsageError(
      `the model has ${nParams} parameters but ${src} has only ${observations} observed voice${observations === 1 ? '' : 's'}: use fewer --states (now ${K})${spec.classes ? ` or --classes (now ${spec.classes.count})` : ''} or fewer terms`,
    );
  }
  return { designs: keep ? designs : ({} as FitPlan['designs']), nParams, observations, warnings };
}

/** Designs of one row of zeros with the columns of `designs`. */
function oneRowDesigns(designs: FitPlan['designs']): FitPlan['designs'] {
  const one = (d: Design): Design => ({ names: d.names, values: new Float64Array(d.names.length) });
  return { initial: one(designs.initial), transition: one(designs.transition), emission: one(designs.emission) };
}

/** The designs again (a selection model's parameter count needs the panel's rows). */
function rebuilt(compiled: ReturnType<typeof compileFormula>[], panel: Panel): FitPlan['designs'] {
  return { initial: compiled[0].evaluate(panel), transition: compiled[1].evaluate(panel), emission: compiled[2].evaluate(panel) };
}

/** Constant design columns, identical design columns within a formula, and a panel without interventions. */
export function designWarnings(panel: Panel, designs: FitPlan['designs']): string[] {
  return [...BLOCKS.flatMap((b) => blockDesignWarnings(b, designs[b])), ...interventionWarnings(panel)];
}

/** Constant design columns and identical design columns of one sub-model's design. */
function blockDesignWarnings(b: (typeof BLOCKS)[number], d: Design): string[] {
  const out: string[] = [];
  const p = d.names.length;
  const n = p === 0 ? 0 : d.values.length / p;
  if (n === 0) return out;
  const constant: string[] = [];
  for (let j = 0; j < p; j++) {
    if (d.names[j] === '(Intercept)') continue;
    const x0 = d.values[j];
    let same = true;
    for (let r = 1; r < n && same; r++) same = d.values[r * p + j] === x0;
    if (same) constant.push(`'${d.names[j]}' (always ${x0})`);
  }
  if (constant.length) out.push(`${b} formula: ${constant.join(', ')} ${constant.length === 1 ? 'is' : 'are'} constant over the panel; ${constant.length === 1 ? 'its coefficient is' : 'their coefficients are'} not identified apart from the intercept`);
  for (let j = 0; j < p; j++) {
    for (let k = j + 1; k < p; k++) {
      let same = true;
      for (let r = 0; r < n && same; r++) same = d.values[r * p + j] === d.values[r * p + k];
      if (same) out.push(`${b} formula: the terms '${d.names[j]}' and '${d.names[k]}' are identical columns; their coefficients are not separately identified`);
    }
  }
  return out;
}

/** A panel without interventions. */
function interventionWarnings(panel: Panel): string[] {
  const iv = panel.columns.intervention;
  let any = false;
  for (let r = 0; r < iv.length && !any; r++) any = iv[r] !== 0;
  return any ? [] : ['the panel has no interventions (intervention is 0 in every row): the intervention effects are not measured, and the report shows only what the priors and the ridge imply'];
}
