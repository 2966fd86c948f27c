/**
 * The whole input-output HMM: initial, transition and emission sub-models over compressed designs,
 * with one flat named parameter vector (blocks in the order initial, transition, emission; within
 * a block, the order documented in each sub-model's file).
 *
 * State labels: after fitting, states are relabelled worst relationship first, "worst" meaning the
 * highest baseline complaint probability, where the baseline is the emission probability at the
 * sample-mean emission design row (the mean over all panel rows, so a covariate that is rarely
 * non-zero barely moves it). The 'complaint' voice is used, or the first voice label when there is
 * no 'complaint' label. With an ordered transition model only keeping or reversing the order is
 * allowed (a ladder stays a ladder): the order is reversed when state K complains more than state 1.
 */
import type { Design } from '../data/design.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';
import type { Parts, SubModel } from './subModel.js';
import { compressDesign } from './compressDesign.js';
import type { PatternDesign } from './patternDesign.js';
import { readParameters, writeParameters } from './flatParameters.js';
import { createInitialModel } from './initialModel.js';
import { createTransitionModel } from './transitionModel.js';
import { createEmissionModel } from './emissionModel.js';
import { createSelectionModel } from './selectionModel.js';
import type { SelectionDesign, SelectionRows } from '../data/selectionDesign.js';
import { ModelError } from '../errors.js';

export interface ModelDesigns {
  initial: Design;
  transition: Design;
  emission: Design;
  /** The selection model's design and units (when the spec has a selection formula). */
  selection?: SelectionDesign;
}

export interface HmmModel {
  readonly spec: ModelSpec;
  readonly nStates: number;
  readonly nVoice: number;
  /** initial, transition, emission and, with a selection formula, selection. */
  readonly parts: Parts;
  /** The selection model's units and outcomes (what the E-step needs besides the parts); undefined without one. */
  readonly selectionRows?: SelectionRows;
  readonly nParams: number;
  getParameters(): NamedParameters;
  setParameters(values: Float64Array): void;
  /** Relabel states worst-to-best (highest baseline complaint propensity first); returns the permutation used (new state s = old state perm[s]). */
  relabelWorstFirst(): Int32Array;
  clone(): HmmModel;
}

/** Index of the voice whose probability ranks states: 'complaint', else the first label. */
export function complaintIndex(voiceLabels: readonly string[]): number {
  const i = voiceLabels.findIndex((l) => l.toLowerCase() === 'complaint');
  return i >= 0 ? i : 0;
}

/** ModelError unless the spec is usable; returns the reference voice index. */
export function checkSpec(spec: ModelSpec): number {
  const K = spec.nStates;
  if (!Number.isInteger(K) || K < 1) throw new ModelError(`the number of states must be an integer >= 1, got ${K}`);
  if (!Array.isArray(spec.voiceLabels) || spec.voiceLabels.length < 1) throw new ModelError('the model needs at least one voice label');
  const lower = spec.voiceLabels.map((l) => l.toLowerCase());
  if (new Set(lower).size !== lower.length) throw new ModelError(`voice labels must be distinct: ${spec.voiceLabels.join(', ')}`);
  const ref = lower.indexOf(String(spec.referenceVoice).toLowerCase());
  if (ref < 0) {
    throw new ModelError(`reference voice '${spec.referenceVoice}' is not one of the voice labels (${spec.voiceLabels.join(', ')})`);
  }
  for (const b of ['initial', 'transition', 'emission'] as const) {
    if (typeof spec.formulas?.[b] !== 'string') throw new ModelError(`the model needs a ${b} formula (e.g. '~ 1'), got ${String(spec.formulas?.[b])}`);
  }
  if (spec.formulas.selection !== undefined && typeof spec.formulas.selection !== 'string') {
    throw new ModelError(`the selection formula must be text (e.g. '~ voice_complaint'), got ${String(spec.formulas.selection)}`);
  }
  if (spec.transitionType !== 'multinomial' && spec.transitionType !== 'ordered') {
    throw new ModelError(`transition type must be 'multinomial' or 'ordered', got '${String(spec.transitionType)}'`);
  }
  return ref;
}

class Model implements HmmModel {
  readonly nStates: number;
  readonly nVoice: number;
  readonly nParams: number;
  constructor(
    readonly spec: ModelSpec,
    readonly parts: Parts,
    /** Mean emission design row over all panel rows. */
    readonly meanEmissionRow: Float64Array,
    readonly selectionRows?: SelectionRows,
  ) {
    this.nStates = spec.nStates;
    this.nVoice = spec.voiceLabels.length;
    this.nParams = parts.reduce((n, p) => n + p.nParams, 0);
  }

  getParameters(): NamedParameters {
    return readParameters(this.parts, this.nParams, (part, start) => ({ block: part.block, start, length: part.nParams }));
  }

  setParameters(values: Float64Array): void {
    writeParameters(this.parts, this.nParams, values);
  }

  /** Baseline complaint probability per state (see the file header). */
  baselineComplaint(): Float64Array {
    const K = this.nStates;
    const V = this.nVoice;
    const probs = new Float64Array(K * V);
    this.parts[2].probabilitiesFor(this.meanEmissionRow, 1, probs);
    const ci = complaintIndex(this.spec.voiceLabels);
    const out = new Float64Array(K);
    for (let k = 0; k < K; k++) out[k] = probs[k * V + ci];
    return out;
  }

  relabelWorstFirst(): Int32Array {
    const K = this.nStates;
    const score = this.baselineComplaint();
    let perm: Int32Array;
    if (this.spec.transitionType === 'ordered') {
      perm = new Int32Array(K);
      const reverse = score[K - 1] > score[0];
      for (let s = 0; s < K; s++) perm[s] = reverse ? K - 1 - s : s;
    } else {
      // Stable: ties keep their current order.
      perm = Int32Array.from(Array.from({ length: K }, (_, k) => k).sort((a, b) => score[b] - score[a] || a - b));
    }
    for (const part of this.parts) part.permuteStates(perm);
    return perm;
  }

  clone(): HmmModel {
    const [i, t, e, ...rest] = this.parts.map((p) => p.clone());
    return new Model(this.spec, [i, t, e, ...rest], this.meanEmissionRow, this.selectionRows);
  }
}

/**
 * A model with the same spec and labelling rule as `base` over other sub-models of the same shapes
 * (a class of a mixture: its own parts, or some shared with other classes).
 */
export function modelWithParts(base: HmmModel, parts: readonly [SubModel, SubModel, SubModel]): HmmModel {
  if (!(base instanceof Model)) throw new RangeError('modelWithParts needs a model made by createModel');
  return new Model(base.spec, parts, base.meanEmissionRow);
}

function checkDesign(name: string, d: Design, nRows: number): void {
  const nCols = d.names.length;
  if (d.values.length !== nRows * nCols) {
    throw new ModelError(`the ${name} design has ${d.values.length} values, expected ${nRows} rows x ${nCols} columns`);
  }
}

/**
 * Build the model for a panel: `offsets` is the panel's CSR offsets (rows of customer i are
 * offsets[i]..offsets[i+1]-1), each design has one row per panel row. Parameters start at 0
 * (uniform initial and transition probabilities for multinomial transitions).
 */
export function createModel(spec: ModelSpec, designs: ModelDesigns, offsets: Int32Array): HmmModel {
  const nRows = checkOffsets(offsets);
  checkDesign('initial', designs.initial, nRows);
  checkDesign('transition', designs.transition, nRows);
  checkDesign('emission', designs.emission, nRows);
  const sel = designs.selection;
  if (typeof spec.formulas.selection === 'string') {
    if (sel === undefined) throw new ModelError('the model has a selection formula but no selection design');
    if (sel.rows.unitStart.length !== nRows + 1) throw new ModelError(`the selection units cover ${sel.rows.unitStart.length - 1} rows, expected ${nRows}`);
    checkDesign('selection', sel.design, sel.rows.unitStart[nRows]);
  }
  return createModelFromPatterns(
    spec,
    {
      initial: compressModelDesign('initial', designs.initial, offsets),
      transition: compressModelDesign('transition', designs.transition, offsets),
      emission: compressModelDesign('emission', designs.emission, offsets),
      ...(typeof spec.formulas.selection === 'string' ? { selection: { design: compressDesign(sel!.design), rows: sel!.rows } } : {}),
    },
    offsets,
  );
}

/** The designs of a model compressed to their distinct rows (patterns + index; see compressDesign). */
export interface ModelPatterns {
  initial: PatternDesign;
  transition: PatternDesign;
  emission: PatternDesign;
  selection?: { design: PatternDesign; rows: SelectionRows };
}

/** Rows of the panel of `offsets`; ModelError when a customer has no rows. */
function checkOffsets(offsets: Int32Array): number {
  const nSeq = offsets.length - 1;
  if (nSeq < 0) throw new RangeError('offsets must have length nSeq+1 >= 1');
  for (let i = 0; i < nSeq; i++) {
    if (!(offsets[i + 1] > offsets[i])) throw new ModelError(`customer ${i + 1} has no rows`);
  }
  return offsets[nSeq];
}

/**
 * One sub-model's design (one row per panel row) compressed as the model keeps it: the initial
 * design at each customer's first row, the others at every row. Compressing each design as soon
 * as it is built lets the dense design go before the next is built (they are the largest
 * temporaries of a big panel).
 */
export function compressModelDesign(block: 'initial' | 'transition' | 'emission', design: Design, offsets: Int32Array): PatternDesign {
  const nRows = checkOffsets(offsets);
  checkDesign(block, design, nRows);
  return block === 'initial' ? compressDesign(design, offsets.subarray(0, offsets.length - 1)) : compressDesign(design);
}

/** The model over designs already compressed (see createModel). */
export function createModelFromPatterns(spec: ModelSpec, patterns: ModelPatterns, offsets: Int32Array): HmmModel {
  const ref = checkSpec(spec);
  const nRows = checkOffsets(offsets);
  const nSeq = offsets.length - 1;
  if (patterns.initial.index.length !== nSeq) throw new ModelError(`the initial design has ${patterns.initial.index.length} units, expected ${nSeq} customers`);
  for (const b of ['transition', 'emission'] as const) {
    if (patterns[b].index.length !== nRows) throw new ModelError(`the ${b} design has ${patterns[b].index.length} rows, expected ${nRows}`);
  }
  const K = spec.nStates;
  const initial = createInitialModel(K, patterns.initial);
  const transition = createTransitionModel(K, patterns.transition, spec.transitionType);
  const ed = patterns.emission;
  const emission = createEmissionModel(K, spec.voiceLabels, ref, ed, spec.sharedSlopes);
  let parts: Parts = [initial, transition, emission];
  const sel = patterns.selection;
  if (typeof spec.formulas.selection === 'string') {
    if (sel === undefined) throw new ModelError('the model has a selection formula but no selection design');
    parts = [initial, transition, emission, createSelectionModel(K, sel.design)];
  }
  // the mean emission design row over all panel rows, summed row by row as over the dense design
  const nCols = ed.nCols;
  const mean = new Float64Array(nCols);
  const pv = ed.patterns;
  const idx = ed.index;
  for (let r = 0; r < nRows; r++) for (let j = 0; j < nCols; j++) mean[j] += pv[idx[r] * nCols + j];
  if (nRows > 0) for (let j = 0; j < nCols; j++) mean[j] /= nRows;
  return new Model(spec, parts, mean, parts.length > 3 ? sel!.rows : undefined);
}
