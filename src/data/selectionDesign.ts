/**
 * The design of the firm's selection model (the intervention of a period as an outcome).
 *
 * Its formula may read, besides the panel's columns, this period's voice as indicator columns
 * `voice_<label>` (1 when the period's voice is that label, 0 otherwise, also when it is missing),
 * lag() and stock() of them, and the customer's history (lag(intervention),
 * stock(intervention, d), covariates), but not this period's intervention (it is the outcome)
 * nor anything later (refused by the formula rules): a located FormulaError names the term.
 * cumsum() and scale() of the intervention or of a voice indicator are refused too (cumsum
 * includes the current period, scale standardises over all periods).
 *
 * Units: one per panel row, except a row whose voice is missing and whose intervention is
 * observed when the formula reads this period's voice: it gets one unit per voice category v,
 * whose design row reads v as this period's voice (earlier periods as observed). The selection
 * factor of such a row sums over v: sum_v P(v | k) P(intervention | k, z(v)), the probability of
 * what was observed. Units of row r are unitStart[r] .. unitStart[r+1]-1.
 */
import { FormulaError, ModelError } from '../errors.js';
import type { Design } from './design.js';
import { compileFormula, type CompiledFormula } from './formula.js';
import { columnRecord, type Panel } from './panel.js';

export interface SelectionRows {
  /** Int32Array(nRows+1): units of row r are unitStart[r] .. unitStart[r+1]-1. */
  unitStart: Int32Array;
  /** Per unit, the voice category its design row assumes for the period; -1 = the row's own voice. */
  unitVoice: Int32Array;
  /** Per row, the intervention outcome: 0 or 1, -1 = not observed (factor 1). */
  outcome: Int32Array;
}

export interface SelectionDesign {
  /** One row per unit, row-major [unit*nCols + col]. */
  design: Design;
  rows: SelectionRows;
}

/** The indicator column of this period's voice `label` (non-identifier characters become '_'). */
export function voiceColumnName(label: string): string {
  return `voice_${label.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

/** The voice indicator column names of the panel's labels, in label order. */
export function voiceColumnNames(labels: readonly string[]): string[] {
  return labels.map(voiceColumnName);
}

/** The panel with its voice indicator columns added (ModelError when a column of that name exists). */
export function withVoiceColumns(panel: Panel): Panel {
  const names = voiceColumnNames(panel.voiceLabels);
  const columns = columnRecord({ ...panel.columns });
  const n = panel.voice.length;
  names.forEach((name, v) => {
    if (Object.hasOwn(panel.columns, name)) {
      throw new ModelError(`the panel has a column '${name}', the name of the selection formula's indicator of this period's voice '${panel.voiceLabels[v]}'; rename the column`);
    }
    const col = new Float64Array(n);
    for (let r = 0; r < n; r++) col[r] = panel.voice[r] === v ? 1 : 0;
    columns[name] = col;
  });
  return { ...panel, columns };
}

/** Compile a selection formula against the panel's columns and voice labels, refusing what it may not read. */
export function compileSelectionFormula(formula: string, columns: readonly string[], voiceLabels: readonly string[]): CompiledFormula {
  const voiceCols = voiceColumnNames(voiceLabels);
  const f = compileFormula(formula, [...columns.filter((c) => !voiceCols.includes(c)), ...voiceCols]);
  for (const read of f.currentReads(['intervention'])) {
    const how = read.via === 'cumsum' ? 'cumsum() includes the current period, ' : read.via === 'scale' ? 'scale() standardises over every period, ' : '';
    throw new FormulaError(
      formula,
      `the selection term '${read.term}' reads this period's intervention (${how}the intervention is the selection model's outcome); use lag(intervention), stock(intervention, decay) or lag(cumsum(intervention))`,
      read.position,
    );
  }
  for (const read of f.currentReads(voiceCols)) {
    if (read.via === null) continue;
    throw new FormulaError(
      formula,
      `the selection term '${read.term}' applies ${read.via}() to this period's voice indicator ${read.column}; write ${read.column} and lag() or stock() of it instead (e.g. ${read.column} + lag(cumsum(${read.column})))`,
      read.position,
    );
  }
  return f;
}

/** Whether the formula reads this period's voice (a voice indicator outside lag/stock). */
export function readsCurrentVoice(f: CompiledFormula, voiceLabels: readonly string[]): boolean {
  return f.currentReads(voiceColumnNames(voiceLabels)).length > 0;
}

/** The selection design of a panel (see the file header). */
export function buildSelectionDesign(panel: Panel, formula: string): SelectionDesign {
  const labels = panel.voiceLabels;
  const V = labels.length;
  const f = compileSelectionFormula(formula, Object.keys(panel.columns), labels);
  const vp = withVoiceColumns(panel);
  const base = f.evaluate(vp);
  const n = panel.voice.length;
  const iv = panel.columns.intervention;
  const outcome = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const d = iv ? iv[r] : NaN;
    outcome[r] = d === 0 ? 0 : d === 1 ? 1 : -1;
  }
  const expand = readsCurrentVoice(f, labels) && V > 1;
  const unitStart = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) unitStart[r + 1] = unitStart[r] + (expand && panel.voice[r] < 0 && outcome[r] >= 0 ? V : 1);
  const nUnits = unitStart[n];
  if (nUnits === n) return { design: base, rows: { unitStart, unitVoice: new Int32Array(n).fill(-1), outcome } };
  // rows for each voice a missing period may have had: this period's indicators set to that voice
  const nCols = f.names.length;
  const vcols = voiceColumnNames(labels);
  const alt = labels.map((_, v) => {
    const current = columnRecord<Float64Array>();
    vcols.forEach((name, c) => (current[name] = new Float64Array(n).fill(c === v ? 1 : 0)));
    return f.evaluate(vp, current).values;
  });
  const values = new Float64Array(nUnits * nCols);
  const unitVoice = new Int32Array(nUnits).fill(-1);
  for (let r = 0; r < n; r++) {
    const u0 = unitStart[r];
    if (unitStart[r + 1] - u0 === 1) {
      values.set(base.values.subarray(r * nCols, (r + 1) * nCols), u0 * nCols);
      continue;
    }
    for (let v = 0; v < V; v++) {
      values.set(alt[v].subarray(r * nCols, (r + 1) * nCols), (u0 + v) * nCols);
      unitVoice[u0 + v] = v;
    }
  }
  return { design: { names: base.names, values }, rows: { unitStart, unitVoice, outcome } };
}
