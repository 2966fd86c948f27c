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
  designs: Record<(typeof BLOCKS)[number], Design>;
  nParams: number;
  observations: number;
  warnings: string[];
}

/**
 * Refuse (UsageError) a fit that cannot be estimated or would be unreasonable work; return the
 * designs' warnings otherwise. `starts` is the number of random starts asked for.
 */
export function planFit(panel: Panel, spec: ModelSpec, starts: number | undefined): FitPlan {
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
  const designs = { initial: compiled[0].evaluate(panel), transition: compiled[1].evaluate(panel), emission: compiled[2].evaluate(panel) };
  let selection: SelectionDesign | undefined;
  if (spec.formulas.selection !== undefined) {
    selection = buildSelectionDesign(panel, spec.formulas.selection);
    const terms = selection.design.names.length - 1;
    if (terms > MAX_TERMS) throw new UsageError(`--selection: the formula has ${terms} terms; at most ${MAX_TERMS} are supported`);
  }
  const plain = createModel(spec, { ...designs, selection }, panel.offsets);
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
  return { designs, nParams, observations, warnings: designWarnings(panel, designs) };
}

/** Constant design columns, identical design columns within a formula, and a panel without interventions. */
export function designWarnings(panel: Panel, designs: FitPlan['designs']): string[] {
  const out: string[] = [];
  for (const b of BLOCKS) {
    const d = designs[b];
    const p = d.names.length;
    const n = p === 0 ? 0 : d.values.length / p;
    if (n === 0) continue;
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
  }
  const iv = panel.columns.intervention;
  let any = false;
  for (let r = 0; r < iv.length && !any; r++) any = iv[r] !== 0;
  if (!any) out.push('the panel has no interventions (intervention is 0 in every row): the intervention effects are not measured, and the report shows only what the priors and the ridge imply');
  return out;
}
