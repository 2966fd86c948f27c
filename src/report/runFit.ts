import { join } from 'node:path';
import type { Panel } from '../data/panel.js';
import { readPanel, type ReadPanelOptions } from '../data/readPanel.js';
import { compileFormula } from '../data/formula.js';
import { compileSelectionFormula } from '../data/selectionDesign.js';
import { defaultReferenceVoice } from '../data/referenceVoice.js';
import { fit as fitModel, fitAsync, modelAt, posterior } from '../estimation/fit.js';
import type { FitOptions, FitProgress, FitResult } from '../estimation/fitTypes.js';
import { DEFAULT_FORMULAS, type ModelSpec, type NamedParameters } from '../estimation/spec.js';
import { ModelError, UsageError } from '../errors.js';
import { computeEffects, DEFAULT_HORIZON } from './computeEffects.js';
import type { EffectsReport } from './effects.js';
import { fitToJson, type EffectsBasis, type SavedFit } from './fitFile.js';
import { fitWarnings } from './fitWarnings.js';
import { checkFitMatchesPanel } from './panelMatch.js';
import { formatTable, parameterTable, type ParameterTable } from './parameterTable.js';
import { writeOutputFolder, type FolderFile, type OutputFile } from './writeAtomic.js';
import { planFit } from './fitLimits.js';
import { columnRecord } from '../data/panel.js';
import { DEFAULT_SE_METHOD, fitCovariance, fitCovarianceAsync, type SeMethod } from './fitCovariance.js';
import { bootstrapWarnings, type BootstrapOptions } from '../estimation/inference/bootstrapCovariance.js';
import type { Covariance } from '../estimation/inference/covariance.js';
import type { PeriodLength } from './effectsTypes.js';
import { panelPeriodLength } from './periodLength.js';
import { samePeriodWarnings } from './samePeriodWarnings.js';
import type { CovarianceOptions } from '../estimation/inference/observedCovariance.js';
import { defaultThreads } from '../parallel/runParallel.js';
import { selectionReport, type SelectionReport, type WithoutSelectionFit } from './selectionReport.js';
import { specWithoutSelection } from './voiceModelFit.js';
import { classFit, classSummary } from './classFits.js';

export const DEFAULT_STATES = 3;
export const DEFAULT_OUT_DIR = 'squeaky-fit';

export interface RunFitOptions {
  /**
   * Profile-likelihood intervals for the parameters whose Wald interval is not trusted (default
   * true; see src/estimation/inference/profileLikelihood.ts). `select` turns them off for its many fits.
   */
  profile?: boolean;
  /** Number of relationship states (default 3). */
  states?: number;
  formulas?: Partial<ModelSpec['formulas']>;
  transitionType?: ModelSpec['transitionType'];
  sharedSlopes?: boolean;
  /** Reference voice category (default: silent when present, else neutral). */
  referenceVoice?: string;
  /** How the panel is read (column names, declared voice labels, gap filling). */
  read?: ReadPanelOptions;
  starts?: number;
  /** Starts best after screening that are run to convergence (default 2). */
  finish?: number;
  seed?: number;
  maxIter?: number;
  tol?: number;
  ridge?: number;
  /** Begin EM from this saved fit's parameters; its spec is used (spec options must agree with it). */
  start?: { fit: SavedFit; file: string };
  /** Horizon of the effects report (default 30). */
  horizon?: number;
  /** Length of one period (default: the panel's period_hours column when it has one). */
  periodLength?: PeriodLength;
  onProgress?: (p: FitProgress) => void;
  /** How the standard errors are computed (default 'observed'; 'none' skips them). */
  se?: SeMethod;
  /** Progress of the standard errors. */
  onSeProgress?: CovarianceOptions['onProgress'];
  /**
   * Worker threads (default: the machine's cores): the E-step and the M-step's sums of the fit
   * (the same bits for every value) and the bootstrap's replicates run on them.
   */
  threads?: number;
  /** Replicates (default 200) and type (default nonparametric) of `se: 'bootstrap'`; its seed is `seed`. */
  bootstrap?: Pick<BootstrapOptions, 'replicates' | 'type'>;
  /** Progress of the bootstrap (replicates done). */
  onBootstrapProgress?: BootstrapOptions['onProgress'];
  /** Called as each long phase begins (reading, designs, E-step tables, EM, report). */
  onPhase?: (description: string) => void;
  /**
   * Latent classes of customers (default one class): `count` classes, membership a multinomial
   * logit on `formula` (customer-level columns, default '~ 1'), `specific` the blocks with their own
   * parameters in every class (default all three; the others are shared).
   */
  classes?: { count?: number; formula?: string; specific?: ('initial' | 'transition' | 'emission')[] };
}

/** Everything `squeaky fit` produces. */
export interface FitRun {
  fit: SavedFit;
  table: ParameterTable;
  /**
   * The intervention-effect report; undefined when the formulas cannot be evaluated on the
   * report's hypothetical customer (e.g. scale() of a covariate held at its mean): the fit is kept
   * and a warning says why.
   */
  effects?: EffectsReport;
  /** Warnings from reading the panel. */
  panelWarnings: string[];
  /** The panel fitted (for reports drawn from it, e.g. `fit --html`). */
  panel: Panel;
  /** With a selection model: whom the firm selects and the channels with and without the selection model. */
  selection?: SelectionReport;
  /** With latent classes: the intervention-effect report of every class (class 1 first); `effects` is then undefined. */
  classEffects?: EffectsReport[];
}

/** The class part of a spec from the options (undefined for one class); UsageError for class options without classes. */
export function classesFor(options: RunFitOptions): ModelSpec['classes'] {
  const cl = options.classes;
  const count = cl?.count ?? 1;
  if (count < 2) {
    if (cl?.formula !== undefined) throw new UsageError('--class-formula applies with --classes 2 or more');
    if (cl?.specific !== undefined) throw new UsageError('--class-specific applies with --classes 2 or more');
    return undefined;
  }
  const specific = (['initial', 'transition', 'emission'] as const).filter((b) => cl?.specific === undefined || cl.specific.includes(b));
  return { count, formula: cl?.formula ?? '~ 1', specific };
}

/** The spec asked for, from options and the panel's voice labels. */
export function specFor(panel: Panel, options: RunFitOptions): ModelSpec {
  const labels = panel.voiceLabels;
  const ref = options.referenceVoice ?? defaultReferenceVoice(labels);
  const refIndex = labels.findIndex((l) => l.toLowerCase() === ref.toLowerCase());
  if (refIndex < 0) throw new UsageError(`--reference '${ref}' is not a voice label of the panel (${labels.join(', ')})`);
  const classes = classesFor(options);
  return {
    nStates: options.states ?? DEFAULT_STATES,
    voiceLabels: [...labels],
    referenceVoice: labels[refIndex],
    formulas: { ...DEFAULT_FORMULAS, ...options.formulas },
    transitionType: options.transitionType ?? 'multinomial',
    sharedSlopes: options.sharedSlopes ?? false,
    ...(classes ? { classes } : {}),
  };
}

/**
 * What the effects report needs from the panel: the mean posterior state mix over rows where the
 * voice is a complaint (all rows when there is no complaint label or none occurs) and the sample
 * mean of every numeric column other than intervention.
 */
export function effectsBasis(panel: Panel, spec: ModelSpec, params: NamedParameters | Float64Array): EffectsBasis {
  const K = spec.nStates;
  const complaint = panel.voiceLabels.findIndex((l) => l.toLowerCase() === 'complaint');
  let rows = 0;
  // the posterior summed over the complaint rows (and over all rows, used when there are none),
  // rows in order; one class: shard by shard, without the rows x K posterior of the whole panel
  const mix = new Array<number>(K).fill(0);
  const all = new Array<number>(K).fill(0);
  const add = (r0: number, post: Float64Array): void => {
    const n = post.length / K;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) all[k] += post[i * K + k];
      if (complaint >= 0 && panel.voice[r0 + i] === complaint) {
        rows++;
        for (let k = 0; k < K; k++) mix[k] += post[i * K + k];
      }
    }
  };
  if (spec.classes !== undefined || spec.formulas.selection !== undefined) add(0, posterior(panel, spec, params));
  else {
    const { model, eStep } = modelAt(panel, spec, params);
    eStep.forEachPosteriorShard(model.parts, add);
  }
  if (rows === 0) for (let k = 0; k < K; k++) mix[k] = all[k];
  const total = mix.reduce((s, x) => s + x, 0);
  const covariateMeans = columnRecord<number>();
  for (const [name, col] of Object.entries(panel.columns)) {
    if (name === 'intervention') continue;
    let s = 0;
    for (let r = 0; r < col.length; r++) s += col[r];
    covariateMeans[name] = col.length ? s / col.length : 0;
  }
  return { complaintStateMix: mix.map((x) => x / total), complaintRows: rows, covariateMeans };
}

function conflicts(spec: ModelSpec, options: RunFitOptions): string[] {
  const out: string[] = [];
  if (options.states !== undefined && options.states !== spec.nStates) out.push(`--states ${options.states} (the fit has ${spec.nStates})`);
  for (const b of ['initial', 'transition', 'emission'] as const) {
    const f = options.formulas?.[b];
    if (f !== undefined && f.replace(/\s+/g, '') !== spec.formulas[b].replace(/\s+/g, '')) out.push(`--${b} '${f}' (the fit has '${spec.formulas[b]}')`);
  }
  const sel = options.formulas?.selection;
  if (sel !== undefined && sel.replace(/\s+/g, '') !== (spec.formulas.selection ?? '').replace(/\s+/g, '')) {
    out.push(`--selection '${sel}' (the fit has ${spec.formulas.selection === undefined ? 'no selection model' : `'${spec.formulas.selection}'`})`);
  }
  if (options.transitionType !== undefined && options.transitionType !== spec.transitionType) out.push(`--transition-type ${options.transitionType} (the fit has ${spec.transitionType})`);
  if (options.sharedSlopes !== undefined && options.sharedSlopes !== spec.sharedSlopes) out.push(`--shared-slopes (the fit has ${spec.sharedSlopes ? 'shared' : 'state-specific'} slopes)`);
  if (options.referenceVoice !== undefined && options.referenceVoice.toLowerCase() !== spec.referenceVoice.toLowerCase()) out.push(`--reference ${options.referenceVoice} (the fit has ${spec.referenceVoice})`);
  if (options.classes !== undefined) {
    const asked = classesFor(options);
    if (JSON.stringify(asked ?? null) !== JSON.stringify(spec.classes ?? null)) out.push(`--classes ${asked?.count ?? 1} (the fit has ${spec.classes ? `${spec.classes.count} classes, specific ${spec.classes.specific.join(',')}, membership ${spec.classes.formula}` : 'one class'})`);
  }
  return out;
}

/**
 * Fit a panel already in memory (see runFit), with any standard-error method but the bootstrap,
 * which runs on worker threads (runFitOnPanelAsync).
 */
export function runFitOnPanel(panel: Panel, options: RunFitOptions = {}, panelWarnings: string[] = []): FitRun {
  const result = fitForRun(panel, options);
  const threads = options.threads ?? defaultThreads();
  const run = finishFitRun(panel, result, fitCovariance(panel, result, options.se ?? DEFAULT_SE_METHOD, { onProgress: options.onSeProgress, threads, profile: options.profile }), options, panelWarnings);
  return withSelectionComparison(run, options);
}

/** Fit a panel already in memory with any standard-error method, the bootstrap included. */
export async function runFitOnPanelAsync(panel: Panel, options: RunFitOptions = {}, panelWarnings: string[] = []): Promise<FitRun> {
  const result = await fitForRunAsync(panel, options);
  const covariance = await fitCovarianceAsync(panel, result, options.se ?? DEFAULT_SE_METHOD, {
    onProgress: options.onSeProgress,
    threads: options.threads ?? defaultThreads(),
    profile: options.profile,
    bootstrap: { ...options.bootstrap, seed: options.seed, threads: options.threads, ridge: options.ridge, onProgress: options.onBootstrapProgress },
  });
  const run = finishFitRun(panel, result, covariance, options, panelWarnings);
  if (run.fit.spec.formulas.selection === undefined) return run;
  return withoutSelectionFit(run, options, await fitAsync(run.panel, specWithoutSelection(run.fit.spec), comparisonOptions(options)));
}

/**
 * With a selection model: fit the same model without it to the same panel (same starts, seed,
 * tolerance; observed standard errors when the fit's are bootstrapped), keep it in the saved fit
 * (`withoutSelection`) and build the selection report. A fit without a selection model is
 * returned as it is.
 */
function withSelectionComparison(run: FitRun, options: RunFitOptions): FitRun {
  const spec = run.fit.spec;
  if (spec.formulas.selection === undefined) return run;
  return withoutSelectionFit(run, options, fitModel(run.panel, specWithoutSelection(spec), comparisonOptions(options)));
}

/** The estimation options of the fit without selection (announced as a phase). */
function comparisonOptions(options: RunFitOptions): FitOptions {
  options.onPhase?.('the model without selection (for the comparison of the channels)');
  return estimationOptions(options);
}

/** withSelectionComparison from the fit without selection (`result`). */
function withoutSelectionFit(run: FitRun, options: RunFitOptions, result: FitResult): FitRun {
  const plain = specWithoutSelection(run.fit.spec);
  const se = options.se ?? DEFAULT_SE_METHOD;
  const covariance = fitCovariance(run.panel, result, se === 'bootstrap' ? 'observed' : se);
  const withoutSelection: WithoutSelectionFit = {
    logLik: result.logLik,
    nParams: result.nParams,
    converged: result.converged,
    parameters: result.parameters,
    effectsBasis: effectsBasis(run.panel, plain, result.parameters),
    ...(covariance ? { covariance } : {}),
  };
  const fit: SavedFit = { ...run.fit, withoutSelection };
  return { ...run, fit, selection: selectionReportOf(fit, run.effects, options.horizon ?? DEFAULT_HORIZON) };
}

/** The selection report of a saved fit (undefined without a selection model), with the effects of both models when they can be computed. */
export function selectionReportOf(fit: SavedFit, effects: EffectsReport | undefined, horizon: number): SelectionReport | undefined {
  if (fit.spec.formulas.selection === undefined) return undefined;
  let without: EffectsReport | undefined;
  const w = fit.withoutSelection;
  if (w && effects) {
    try {
      without = computeEffects({ spec: specWithoutSelection(fit.spec), parameters: w.parameters, effectsBasis: w.effectsBasis, periodLength: fit.periodLength, covariance: w.covariance }, { horizon });
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
    }
  }
  return selectionReport(fit, effects, without);
}

/** The estimation options of a run (starts, seed, tolerances, threads). */
function estimationOptions(options: RunFitOptions): FitOptions {
  return {
    starts: options.starts,
    finish: options.finish,
    seed: options.seed,
    maxIter: options.maxIter,
    tol: options.tol,
    ridge: options.ridge,
    threads: options.threads ?? defaultThreads(),
  };
}

/** The fit of `squeaky fit`: the spec from the options (or the --start fit), checked against the panel, then fitted. */
function fitForRun(panel: Panel, options: RunFitOptions): FitResult {
  const { spec, fitOptions, planWarnings } = planForRun(panel, options);
  const result = fitModel(panel, spec, fitOptions);
  return { ...result, warnings: [...planWarnings, ...result.warnings] };
}

/** fitForRun with the starts on worker threads when they keep more threads busy than the panel's shards (fitAsync). */
async function fitForRunAsync(panel: Panel, options: RunFitOptions): Promise<FitResult> {
  const { spec, fitOptions, planWarnings } = planForRun(panel, options);
  const result = await fitAsync(panel, spec, fitOptions);
  return { ...result, warnings: [...planWarnings, ...result.warnings] };
}

/** The spec of a run, checked against the panel, its fit options and the plan's warnings. */
function planForRun(panel: Panel, options: RunFitOptions): { spec: ModelSpec; fitOptions: FitOptions; planWarnings: string[] } {
  let spec: ModelSpec;
  if (options.start) {
    spec = options.start.fit.spec;
    const c = conflicts(spec, options);
    if (c.length) throw new UsageError(`--start ${options.start.file} fixes the model; these options disagree with it: ${c.join('; ')}`);
    checkFitMatchesPanel(spec, panel, options.start.file);
  } else {
    spec = specFor(panel, options);
  }
  // Formulas are checked against the panel before any work (FormulaError points into the formula).
  const columns = Object.keys(panel.columns);
  for (const b of ['initial', 'transition', 'emission'] as const) compileFormula(spec.formulas[b], columns);
  if (spec.formulas.selection !== undefined) compileSelectionFormula(spec.formulas.selection, columns, panel.voiceLabels);
  if (spec.classes) compileFormula(spec.classes.formula, columns);
  if (spec.classes && spec.formulas.selection !== undefined) throw new UsageError('--selection is not supported with --classes: fit the selection model with one class, or the classes without it');
  // The model must be estimable from the panel and the work sane before EM starts.
  // the plan's checks only: its dense designs are not kept (the fit builds its compressed ones)
  const plan = planFit(panel, spec, options.starts, { keepDesigns: false });
  const fitOptions: FitOptions = {
    ...estimationOptions(options),
    startParams: options.start?.fit.parameters,
    onProgress: options.onProgress,
    onPhase: options.onPhase,
  };
  return { spec, fitOptions, planWarnings: plan.warnings };
}

/** Everything after the fit: the effects basis, the covariance, the report, the warnings and the table. */
function finishFitRun(panel: Panel, result: FitResult, covariance: Covariance | undefined, options: RunFitOptions, panelWarnings: string[]): FitRun {
  options.onPhase?.('the report');
  const basis = effectsBasis(panel, result.spec, result.parameters);
  const saved: SavedFit = { ...result, effectsBasis: basis };
  if (result.spec.classes) saved.classes = classSummary(panel, result.spec, result.parameters, basis.covariateMeans);
  const periodLength = options.periodLength ?? panelPeriodLength(panel.columns);
  if (periodLength) saved.periodLength = periodLength;
  if (covariance) saved.covariance = covariance;
  let effects: EffectsReport | undefined;
  let classEffects: EffectsReport[] | undefined;
  let effectsProblem: string | undefined;
  try {
    if (saved.classes) classEffects = saved.classes.shares.map((_, c) => computeEffects(classFit(saved, c), { horizon: options.horizon ?? DEFAULT_HORIZON }));
    else effects = computeEffects(saved, { horizon: options.horizon ?? DEFAULT_HORIZON });
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    effectsProblem = `no intervention-effect report: ${e.message}`;
  }
  saved.warnings = fitWarnings(saved, effects);
  classEffects?.forEach((ce, c) => {
    for (const w of fitWarnings({ ...saved, warnings: [], converged: true, starts: [] }, ce)) saved.warnings.push(`class ${c + 1}: ${w}`);
  });
  for (const w of samePeriodWarnings(saved.spec)) if (!saved.warnings.includes(w)) saved.warnings.push(w);
  if (effectsProblem) saved.warnings.push(effectsProblem);
  if (covariance) saved.warnings.push(...covariance.notes);
  if (covariance) saved.warnings.push(...bootstrapWarnings(covariance));
  const table = parameterTable(saved, { warnings: saved.warnings });
  return { fit: saved, table, effects, panelWarnings, panel, ...(classEffects ? { classEffects } : {}) };
}

/** `squeaky fit`: read the panel, fit the model, compute the table and the intervention-effect report. */
export async function runFit(panelFile: string, options: RunFitOptions = {}): Promise<FitRun> {
  options.onPhase?.(`reading ${panelFile}`);
  const { panel, warnings } = await readPanel(panelFile, options.read);
  return runFitOnPanelAsync(panel, options, warnings);
}

/** The files of a fit run's output folder, by name: fit.json, parameters.csv and (when computed) effects.json. */
export function fitRunFolderFiles(run: FitRun): FolderFile[] {
  const files: FolderFile[] = [
    { name: 'fit.json', content: fitToJson(run.fit) },
    { name: 'parameters.csv', content: formatTable(run.table, 'csv') },
  ];
  if (run.effects) files.push({ name: 'effects.json', content: JSON.stringify(run.effects, null, 2) + '\n' });
  if (run.selection) files.push({ name: 'selection.json', content: JSON.stringify(run.selection, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n' });
  if (run.classEffects) files.push({ name: 'effects.json', content: JSON.stringify(classEffectsJson(run.fit, run.classEffects), null, 2) + '\n' });
  return files;
}

/** effects.json of a fit with classes: every class's report with its posterior share. */
export function classEffectsJson(fit: SavedFit, reports: EffectsReport[]): { classes: { class: number; share: number; report: EffectsReport }[] } {
  return { classes: reports.map((report, c) => ({ class: c + 1, share: fit.classes?.shares[c] ?? NaN, report })) };
}

/**
 * Write a fit run's output folder DIR as one unit (see writeOutputFolder): afterwards DIR holds
 * exactly this run's files, or, when the write failed or was interrupted, the previous run's
 * complete set. Files of the previous run that this one does not produce are removed.
 */
export async function writeFitRun(run: FitRun, dir: string, extra: FolderFile[] = []): Promise<string[]> {
  return writeOutputFolder(dir, [...fitRunFolderFiles(run), ...extra]);
}

/** The files of writeFitRun with their paths in DIR, for writing inside a larger output folder. */
export function fitRunFiles(run: FitRun, dir: string): OutputFile[] {
  return fitRunFolderFiles(run).map((f) => ({ path: join(dir, f.name), content: f.content }));
}
