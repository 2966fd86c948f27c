import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sweepStale } from '../data/outputFiles.js';
import { InputError } from '../errors.js';
import { Checker, type Json } from './jsonChecker.js';
import { checkCovariance, covarianceToJson } from './covarianceJson.js';
import type { Covariance } from '../estimation/inference/covariance.js';
import type { FitResult, StartResult, DataSummary } from '../estimation/fitTypes.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';
import type { PeriodLength } from './effectsTypes.js';
import { columnRecord } from '../data/panel.js';
import type { WithoutSelectionFit } from './selectionReport.js';
import type { ClassSummary } from './classFits.js';

/**
 * What the intervention-effect report needs besides the parameters, measured on the panel at fit
 * time, so that `squeaky effects FIT.json` can re-emit the report without the panel.
 */
export interface EffectsBasis {
  /** Mean posterior state probabilities over the rows where the voice was a complaint (length K). */
  complaintStateMix: number[];
  /** How many complaint rows the mix averages over. */
  complaintRows: number;
  /** Sample mean of every numeric panel column other than `intervention`. */
  covariateMeans: Record<string, number>;
}

/** A fit as saved in fit.json: the FitResult plus the effects basis. Enough to reload the fit. */
export interface SavedFit extends FitResult {
  effectsBasis: EffectsBasis;
  /** Length of one period of the panel, when known (the panel's period_hours column, written by prepare, or fit --period-length). */
  periodLength?: PeriodLength;
  /** Covariance of the parameter vector (absent when the fit was run with --se none, or by older versions). */
  covariance?: Covariance;
  /** With a selection model: the same model without it, fitted to the same panel (for the comparison of the channels). */
  withoutSelection?: WithoutSelectionFit;
  /** With latent classes: the posterior class shares and each class's effects basis (classFits.ts). */
  classes?: ClassSummary;
}

export const FIT_FORMAT = 'squeaky-fit';
export const FIT_FORMAT_VERSION = 1;

/** fit.json text: plain JSON, typed arrays written as number arrays, history and every start included. */
export function fitToJson(fit: SavedFit): string {
  const out = {
    format: FIT_FORMAT,
    formatVersion: FIT_FORMAT_VERSION,
    version: fit.version,
    spec: fit.spec,
    logLik: fit.logLik,
    nParams: fit.nParams,
    aic: fit.aic,
    bic: fit.bic,
    iterations: fit.iterations,
    converged: fit.converged,
    status: fit.status,
    warnings: fit.warnings,
    parameters: {
      names: fit.parameters.names,
      values: Array.from(fit.parameters.values),
      blocks: fit.parameters.blocks,
    },
    starts: fit.starts,
    bestStart: fit.bestStart,
    ...(fit.finished === undefined ? {} : { finished: fit.finished, reachedBest: fit.reachedBest }),
    history: fit.history,
    data: fit.data,
    effectsBasis: fit.effectsBasis,
    ...(fit.classes ? { classes: fit.classes } : {}),
    ...(fit.periodLength ? { periodLength: fit.periodLength } : {}),
    ...(fit.covariance ? { covariance: covarianceToJson(fit.covariance) } : {}),
    ...(fit.withoutSelection ? { withoutSelection: withoutSelectionToJson(fit.withoutSelection) } : {}),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

function checkSpec(c: Checker, v: Json): ModelSpec {
  const o = c.obj(v, 'spec') ?? {};
  const f = c.obj(o.formulas, 'spec.formulas') ?? {};
  const transitionType = o.transitionType;
  if (transitionType !== 'multinomial' && transitionType !== 'ordered') c.fail('spec.transitionType', transitionType, "'multinomial' or 'ordered'");
  const spec: ModelSpec = {
    nStates: c.num(o.nStates, 'spec.nStates', { int: true, min: 1 }),
    voiceLabels: c.strArr(o.voiceLabels, 'spec.voiceLabels'),
    referenceVoice: c.str(o.referenceVoice, 'spec.referenceVoice'),
    formulas: {
      initial: c.str(f.initial, 'spec.formulas.initial'),
      transition: c.str(f.transition, 'spec.formulas.transition'),
      emission: c.str(f.emission, 'spec.formulas.emission'),
      ...(f.selection !== undefined ? { selection: c.str(f.selection, 'spec.formulas.selection') } : {}),
    },
    transitionType: transitionType === 'ordered' ? 'ordered' : 'multinomial',
    sharedSlopes: c.bool(o.sharedSlopes, 'spec.sharedSlopes'),
  };
  if (o.classes !== undefined) {
    const co = c.obj(o.classes, 'spec.classes') ?? {};
    const specific = c.strArr(co.specific, 'spec.classes.specific');
    specific.forEach((b, i) => {
      if (b !== 'initial' && b !== 'transition' && b !== 'emission') c.fail(`spec.classes.specific[${i}]`, b, "'initial', 'transition' or 'emission'");
    });
    spec.classes = {
      count: c.num(co.count, 'spec.classes.count', { int: true, min: 2 }),
      formula: c.str(co.formula, 'spec.classes.formula'),
      specific: specific as ('initial' | 'transition' | 'emission')[],
    };
  }
  if (spec.voiceLabels.length < 2) c.fail('spec.voiceLabels', o.voiceLabels, 'at least two voice labels');
  if (spec.voiceLabels.length && !spec.voiceLabels.includes(spec.referenceVoice)) c.fail('spec.referenceVoice', spec.referenceVoice, `one of the voice labels (${spec.voiceLabels.join(', ')})`);
  return spec;
}

/** Blocks of a flat parameter vector from its names (initial..., transition..., emission...), contiguous. */
function blocksFromNames(c: Checker, names: string[]): NamedParameters['blocks'] {
  const blocks: NamedParameters['blocks'] = [];
  if (names.some((n) => n.startsWith('class['))) return classBlocksFromNames(c, names);
  names.forEach((n, i) => {
    const block = (['initial', 'transition', 'emission', 'selection'] as const).find((b) => n.startsWith(b));
    if (block === undefined) {
      c.fail(`parameters.names[${i}]`, n, "a name starting with 'initial', 'transition', 'emission' or 'selection'");
      return;
    }
    const last = blocks[blocks.length - 1];
    if (last?.block === block) last.length++;
    else if (blocks.some((b) => b.block === block)) c.fail(`parameters.names[${i}]`, n, `the ${block} parameters together (blocks in the order initial, transition, emission, selection)`);
    else blocks.push({ block, start: i, length: 1 });
  });
  return blocks;
}

/** Blocks of a mixture's flat vector from its names: runs of one block of one class (see mixtureModel.ts). */
function classBlocksFromNames(c: Checker, names: string[]): NamedParameters['blocks'] {
  const blocks: NamedParameters['blocks'] = [];
  names.forEach((n, i) => {
    const m = /^class\[(\d+)\](\.|:)/.exec(n);
    const cls = m && m[2] === '.' ? Number(m[1]) : undefined;
    const rest = m && m[2] === '.' ? n.slice(m[0].length) : n;
    const block = m && m[2] === ':' ? 'membership' : (['initial', 'transition', 'emission'] as const).find((b) => rest.startsWith(b));
    if (block === undefined) {
      c.fail(`parameters.names[${i}]`, n, "a name starting with 'initial', 'transition', 'emission', 'class[c].' or 'class[c]:'");
      return;
    }
    const last = blocks[blocks.length - 1];
    if (last?.block === block && last.class === cls) last.length++;
    else blocks.push(cls === undefined ? { block, start: i, length: 1 } : { block, start: i, length: 1, class: cls });
  });
  return blocks;
}

function checkParameters(c: Checker, v: Json, blocksOptional = false): NamedParameters {
  const o = c.obj(v, 'parameters') ?? {};
  const names = c.strArr(o.names, 'parameters.names');
  const values = c.numArr(o.values, 'parameters.values');
  if (names.length !== values.length) c.fail('parameters.values', `${values.length} values`, `one value per name (${names.length} names)`);
  if (blocksOptional && o.blocks === undefined) return { names, values: Float64Array.from(values), blocks: blocksFromNames(c, names) };
  const blocks = c.arr(o.blocks, 'parameters.blocks').map((b, i) => {
    const bo = c.obj(b, `parameters.blocks[${i}]`) ?? {};
    const block = bo.block;
    if (block !== 'initial' && block !== 'transition' && block !== 'emission' && block !== 'selection' && block !== 'membership') {
      c.fail(`parameters.blocks[${i}].block`, block, "'initial', 'transition', 'emission', 'selection' or 'membership'");
    }
    const out: NamedParameters['blocks'][number] = {
      block: block as NamedParameters['blocks'][number]['block'],
      start: c.num(bo.start, `parameters.blocks[${i}].start`, { int: true, min: 0 }),
      length: c.num(bo.length, `parameters.blocks[${i}].length`, { int: true, min: 0 }),
    };
    if (bo.class !== undefined) out.class = c.num(bo.class, `parameters.blocks[${i}].class`, { int: true, min: 1 });
    return out;
  });
  let next = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (blocks[i].start !== next) c.fail(`parameters.blocks[${i}].start`, blocks[i].start, `blocks contiguous from 0 (expected ${next})`);
    next = blocks[i].start + blocks[i].length;
  }
  if (blocks.length && next !== names.length) c.fail('parameters.blocks', `${next} parameters covered`, `blocks covering all ${names.length} parameters`);
  return { names, values: Float64Array.from(values), blocks };
}

function checkStarts(c: Checker, v: Json): StartResult[] {
  return c.arr(v, 'starts').map((s, i) => {
    const o = c.obj(s, `starts[${i}]`) ?? {};
    const kind = o.kind;
    if (kind !== 'data' && kind !== 'random' && kind !== 'given') c.fail(`starts[${i}].kind`, kind, "'data', 'random' or 'given'");
    return {
      index: c.num(o.index, `starts[${i}].index`, { int: true, min: 0 }),
      kind: kind as StartResult['kind'],
      // A start that failed numerically may carry -Infinity; JSON writes it as null.
      logLik: o.logLik === null ? -Infinity : c.num(o.logLik, `starts[${i}].logLik`),
      iterations: c.num(o.iterations, `starts[${i}].iterations`, { int: true, min: 0 }),
      converged: c.bool(o.converged, `starts[${i}].converged`),
      ...(o.screened === undefined ? {} : { screened: c.bool(o.screened, `starts[${i}].screened`) }),
      ...(o.screenLogLik === undefined ? {} : { screenLogLik: o.screenLogLik === null ? -Infinity : c.num(o.screenLogLik, `starts[${i}].screenLogLik`) }),
      // Fits written before per-start traces were kept have none.
      ...(o.history === undefined ? {} : { history: c.arr(o.history, `starts[${i}].history`).map((x, j) => (x === null ? NaN : c.num(x, `starts[${i}].history[${j}]`, { finite: false }))) }),
      ...(o.finished === undefined ? {} : { finished: c.bool(o.finished, `starts[${i}].finished`) }),
    };
  });
}

function checkData(c: Checker, v: Json): DataSummary {
  const o = c.obj(v, 'data') ?? {};
  const periods = c.obj(o.periods, 'data.periods') ?? {};
  const vc = c.obj(o.voiceCounts, 'data.voiceCounts') ?? {};
  const voiceCounts: Record<string, number> = {};
  for (const [k, x] of Object.entries(vc)) voiceCounts[k] = c.num(x, `data.voiceCounts.${k}`, { int: true, min: 0 });
  const out: DataSummary = {
    customers: c.num(o.customers, 'data.customers', { int: true, min: 0 }),
    rows: c.num(o.rows, 'data.rows', { int: true, min: 0 }),
    observations: c.num(o.observations, 'data.observations', { int: true, min: 0 }),
    periods: { min: c.num(periods.min, 'data.periods.min', { int: true }), max: c.num(periods.max, 'data.periods.max', { int: true }) },
    voiceCounts,
    interventions: c.num(o.interventions, 'data.interventions', { int: true, min: 0 }),
  };
  if (o.source !== undefined) out.source = c.str(o.source, 'data.source');
  return out;
}

function checkBasis(c: Checker, v: Json, nStates: number): EffectsBasis {
  const o = c.obj(v, 'effectsBasis') ?? {};
  const mix = c.numArr(o.complaintStateMix, 'effectsBasis.complaintStateMix');
  if (Number.isInteger(nStates) && mix.length !== nStates) c.fail('effectsBasis.complaintStateMix', `${mix.length} entries`, `one probability per state (${nStates})`);
  const means = c.obj(o.covariateMeans, 'effectsBasis.covariateMeans') ?? {};
  const covariateMeans = columnRecord<number>();
  for (const [k, x] of Object.entries(means)) covariateMeans[k] = c.num(x, `effectsBasis.covariateMeans.${k}`);
  return { complaintStateMix: mix, complaintRows: c.num(o.complaintRows, 'effectsBasis.complaintRows', { int: true, min: 0 }), covariateMeans };
}

function withoutSelectionToJson(w: WithoutSelectionFit): Record<string, unknown> {
  return {
    logLik: w.logLik,
    nParams: w.nParams,
    converged: w.converged,
    parameters: { names: w.parameters.names, values: Array.from(w.parameters.values), blocks: w.parameters.blocks },
    effectsBasis: w.effectsBasis,
    ...(w.covariance ? { covariance: covarianceToJson(w.covariance) } : {}),
  };
}

function checkWithoutSelection(c: Checker, v: Json, nStates: number): WithoutSelectionFit {
  const o = c.obj(v, 'withoutSelection') ?? {};
  const parameters = checkParameters(c, o.parameters);
  const w: WithoutSelectionFit = {
    logLik: c.num(o.logLik, 'withoutSelection.logLik'),
    nParams: c.num(o.nParams, 'withoutSelection.nParams', { int: true, min: 0 }),
    converged: c.bool(o.converged, 'withoutSelection.converged'),
    parameters,
    effectsBasis: checkBasis(c, o.effectsBasis, nStates),
  };
  if (o.covariance !== undefined) w.covariance = checkCovariance(c, o.covariance, parameters.names);
  return w;
}

function checkClasses(c: Checker, v: Json, spec: ModelSpec): ClassSummary {
  const o = c.obj(v, 'classes') ?? {};
  const C = spec.classes?.count;
  if (C === undefined) c.fail('classes', 'a class summary', 'a spec with classes (spec.classes)');
  const shares = c.numArr(o.shares, 'classes.shares');
  const effectsBases = c.arr(o.effectsBases, 'classes.effectsBases').map((b) => checkBasis(c, b, spec.nStates));
  if (C !== undefined && (shares.length !== C || effectsBases.length !== C)) c.fail('classes', `${shares.length} shares, ${effectsBases.length} bases`, `one of each per class (${C})`);
  return { shares, effectsBases };
}

function checkPeriodLength(c: Checker, v: Json): PeriodLength | undefined {
  if (v === undefined) return undefined;
  const o = c.obj(v, 'periodLength') ?? {};
  return { spec: c.str(o.spec, 'periodLength.spec'), hours: c.num(o.hours, 'periodLength.hours', { min: 0 }) };
}

/**
 * Parse and check fit.json text. Every problem is reported at once, located by its JSON path
 * (in the issue's `column`), as an InputError naming the file.
 */
export function parseFit(text: string, file: string): SavedFit {
  let raw: Json;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not a squeaky fit file`, [{ file, expected: `valid JSON (${(e as Error).message})` }]);
  }
  const c = new Checker(file);
  const o = c.obj(raw, '(top level)');
  if (!o) throw new InputError(`${file} is not a squeaky fit file`, c.issues);
  if (o.format === undefined && o.spec !== undefined && o.parameters !== undefined) return parseTruth(c, o, file);
  if (o.format !== FIT_FORMAT) {
    throw new InputError(`${file} is not a squeaky fit file (written by 'squeaky fit')`, [{ file, column: 'format', value: JSON.stringify(o.format), expected: `'${FIT_FORMAT}'` }]);
  }
  if (o.formatVersion !== FIT_FORMAT_VERSION) c.fail('formatVersion', o.formatVersion, `${FIT_FORMAT_VERSION} (this version of squeaky reads fit files of format version ${FIT_FORMAT_VERSION})`);
  const spec = checkSpec(c, o.spec);
  const parameters = checkParameters(c, o.parameters);
  const fit: SavedFit = {
    spec,
    parameters,
    logLik: o.logLik === null ? NaN : c.num(o.logLik, 'logLik', { finite: false }),
    nParams: c.num(o.nParams, 'nParams', { int: true, min: 0 }),
    aic: o.aic === null ? NaN : c.num(o.aic, 'aic', { finite: false }),
    bic: o.bic === null ? NaN : c.num(o.bic, 'bic', { finite: false }),
    iterations: c.num(o.iterations, 'iterations', { int: true, min: 0 }),
    converged: c.bool(o.converged, 'converged'),
    status: c.str(o.status, 'status'),
    history: o.history === undefined ? [] : c.arr(o.history, 'history').map((x, i) => (x === null ? NaN : c.num(x, `history[${i}]`, { finite: false }))),
    starts: checkStarts(c, o.starts),
    bestStart: c.num(o.bestStart, 'bestStart', { int: true, min: 0 }),
    ...(o.finished === undefined ? {} : { finished: c.num(o.finished, 'finished', { int: true, min: 0 }), reachedBest: c.num(o.reachedBest, 'reachedBest', { int: true, min: 0 }) }),
    warnings: o.warnings === undefined ? [] : c.strArr(o.warnings, 'warnings'),
    data: checkData(c, o.data),
    version: c.str(o.version, 'version'),
    effectsBasis: checkBasis(c, o.effectsBasis, spec.nStates),
  };
  const periodLength = checkPeriodLength(c, o.periodLength);
  if (periodLength) fit.periodLength = periodLength;
  if (o.classes !== undefined) fit.classes = checkClasses(c, o.classes, spec);
  if (o.covariance !== undefined) fit.covariance = checkCovariance(c, o.covariance, parameters.names);
  if (o.withoutSelection !== undefined) fit.withoutSelection = checkWithoutSelection(c, o.withoutSelection, spec.nStates);
  if (Number.isInteger(fit.nParams) && fit.nParams !== parameters.names.length) c.fail('nParams', fit.nParams, `the number of parameters (${parameters.names.length})`);
  if (c.issues.length) throw new InputError(`${file} is not a valid squeaky fit file`, c.issues.slice(0, 20), Math.max(0, c.issues.length - 20));
  return fit;
}

/** What a truth file says of where it came from (for the fit summary's data line). */
const TRUTH_STATUS = 'parameters as given in a truth file (not estimated)';

/**
 * A truth file ({ spec, parameters: { names, values[, blocks] }[, effectsBasis] }, as
 * data/example-truth.json) read as a fit, so that every command that takes a fit takes it too.
 * Without an effectsBasis the effects report starts from equal state shares with covariates at 0
 * (a warning says so).
 */
function parseTruth(c: Checker, o: Record<string, Json>, file: string): SavedFit {
  const spec = checkSpec(c, o.spec);
  const parameters = checkParameters(c, o.parameters, true);
  const warnings: string[] = [];
  let effectsBasis: EffectsBasis;
  if (o.effectsBasis !== undefined) effectsBasis = checkBasis(c, o.effectsBasis, spec.nStates);
  else {
    const K = Number.isInteger(spec.nStates) && spec.nStates >= 1 ? spec.nStates : 1;
    effectsBasis = { complaintStateMix: new Array<number>(K).fill(1 / K), complaintRows: 0, covariateMeans: columnRecord<number>() };
    warnings.push(`${file} is a truth file without an effectsBasis: the effects report starts from equal state shares, with covariates other than intervention at 0`);
  }
  if (c.issues.length) throw new InputError(`${file} is not a valid truth file`, c.issues.slice(0, 20), Math.max(0, c.issues.length - 20));
  return {
    spec,
    parameters,
    logLik: NaN,
    nParams: parameters.names.length,
    aic: NaN,
    bic: NaN,
    iterations: 0,
    converged: false,
    status: TRUTH_STATUS,
    history: [],
    starts: [],
    bestStart: 0,
    warnings,
    data: { customers: 0, rows: 0, observations: 0, periods: { min: 0, max: 0 }, voiceCounts: {}, interventions: 0, source: file },
    version: typeof o.version === 'string' ? o.version : 'truth file',
    effectsBasis,
  };
}

/** Whether a loaded fit came from a truth file (no likelihood, no data). */
export function isTruth(fit: Pick<SavedFit, 'status'>): boolean {
  return fit.status === TRUTH_STATUS;
}

/** Read and check a saved fit. A missing or unreadable file is an InputError too. */
export async function loadFit(file: string): Promise<SavedFit> {
  let text: string;
  try {
    text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
      // A write of the folder killed (kill -9) between its two renames leaves the previous
      // complete folder aside: put it back, then read.
      sweepStale(dirname(file));
      return readFile(file, 'utf8');
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read fit file ${file}`, [{ file, expected: code === 'ENOENT' ? 'an existing fit.json (written by squeaky fit)' : `a readable file (${code ?? (e as Error).message})` }]);
  }
  return parseFit(text, file);
}
