/**
 * `squeaky select`: fit every number of states (and transition type) with the same formulas and
 * options, one worker job per model, and compare them by AIC, both BICs and the ICL; optionally
 * a parametric bootstrap LR test of K against K + 1 states and the channel comparison.
 */
import type { Panel } from '../../data/panel.js';
import { readPanel, type ReadPanelOptions } from '../../data/readPanel.js';
import { buildModelDesigns } from '../../estimation/fit.js';
import { CRITERIA, CRITERION_LABELS, criterionPicks, informationCriteria, type Criterion, type InformationCriteria } from '../../estimation/selection/criteria.js';
import type { ModelSpec } from '../../estimation/spec.js';
import { UsageError } from '../../errors.js';
import { createModel } from '../../model/hmmModel.js';
import { defaultThreads, runParallel } from '../../parallel/runParallel.js';
import { sharePanel } from '../../parallel/sharePanel.js';
import type { ComparisonTable } from '../comparisonTable.js';
import { specFor, type FitRun } from '../runFit.js';
import { bootstrapLrTests, type BootstrapLrTest } from './bootstrapLr.js';
import { channelFormulas, runChannelsOnPanel, type ChannelsResult } from './runChannels.js';
import { FIT_JOB, type FitJobResult, type PlainFitOptions } from './fitJob.js';

export type TransitionType = ModelSpec['transitionType'];

export interface SelectOptions extends Omit<PlainFitOptions, 'states' | 'transitionType'> {
  /** The numbers of states to fit (each >= 1, distinct). */
  states: number[];
  /** Transition types to compare (default ['multinomial']; both: ['multinomial', 'ordered']). */
  transitionTypes?: TransitionType[];
  /** Worker threads (default: the machine's cores). Results do not depend on it. */
  threads?: number;
  /** Parametric bootstrap replicates of the LR test of K against K + 1 (default 0: no test). */
  bootstrapLr?: number;
  /** Also compare the channels at the K (and transition type) that BIC (n = voices) picks. */
  channels?: boolean;
  read?: ReadPanelOptions;
  /** One line per finished model, replicate batch or stage. */
  onProgress?: (line: string) => void;
  /**
   * Numbers of latent classes to fit at every K (default [1]); `classes` (the fit option) gives
   * the membership formula and the class-specific blocks of the models with 2 or more.
   */
  classCounts?: number[];
}

export interface SelectionRow extends InformationCriteria {
  states: number;
  /** Latent classes of the model (present when select compares numbers of classes). */
  classes?: number;
  transitionType: TransitionType;
  logLik: number;
  nParams: number;
  converged: boolean;
  /** Finished starts, and how many of them reached the best log-likelihood within 1e-6. */
  finished: number;
  reachedBest: number;
  warnings: string[];
  seconds: number;
}

export interface SelectResult {
  rows: SelectionRow[];
  /** Index into rows picked by each criterion. */
  picks: Record<Criterion, number>;
  /** The fit of each row, as `squeaky fit` makes it. */
  runs: FitRun[];
  /** n of each BIC. */
  observations: number;
  customers: number;
  bootstrap?: BootstrapLrTest[];
  channels?: ChannelsResult;
  table: ComparisonTable;
  panelWarnings: string[];
}

/** Parse `1..6` or `2,3,5` (UsageError naming --states). */
export function parseStatesList(value: string, flag = '--states', what = 'states'): number[] {
  const v = value.trim();
  const bad = (why: string): never => {
    throw new UsageError(`${flag} ${why}, got '${value}' (write a range such as 1..6 or a list such as 2,3,5)`);
  };
  const whole = (s: string): number => {
    if (!/^\d+$/.test(s.trim())) bad(`takes whole numbers of ${what}`);
    return Number(s.trim());
  };
  let out: number[];
  const range = /^(.*)\.\.(.*)$/.exec(v);
  if (range) {
    const a = whole(range[1]);
    const b = whole(range[2]);
    if (b < a) bad(`needs a range going up (${a}..${b} is empty)`);
    out = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else {
    out = v.split(',').map(whole);
  }
  checkStates(out, flag, what);
  return out;
}

function checkStates(states: readonly number[], flag = '--states', what = 'states'): void {
  if (states.length === 0) throw new UsageError(`${flag} needs at least one number of ${what}`);
  for (const k of states) {
    if (!Number.isInteger(k) || k < 1) throw new UsageError(`${flag}: every number of ${what} must be a whole number >= 1, got ${k}`);
    if (k > 255) throw new UsageError(`${flag}: at most 255 ${what}, got ${k}`);
  }
  if (new Set(states).size !== states.length) throw new UsageError(`${flag} lists a number of ${what} twice: ${states.join(',')}`);
}

/**
 * UsageError (naming --states) when a K-state model has at least as many free parameters as the
 * panel has observed voices: the data cannot determine it.
 */
function checkIdentifiable(panel: Panel, specs: ModelSpec[], observations: number): void {
  const designs = buildModelDesigns(panel, specs[0]);
  for (const spec of specs) {
    const p = createModel(spec, designs, panel.offsets).nParams;
    if (p >= observations) {
      throw new UsageError(
        `--states ${spec.nStates}: the ${spec.nStates}-state model has ${p} free parameters, but the panel has only ${observations} observed voices; use fewer states`,
      );
    }
  }
}

const seconds = (s: number): string => `${s.toFixed(1)} s`;

/** Model selection on a panel in memory (see runSelect). */
export async function selectOnPanel(panel: Panel, options: SelectOptions, panelWarnings: string[] = []): Promise<SelectResult> {
  checkStates(options.states);
  const types = options.transitionTypes ?? ['multinomial'];
  const threads = options.threads ?? defaultThreads();
  const { states, transitionTypes: _t, threads: _th, bootstrapLr, channels, onProgress, read: _r, classCounts, ...fitOptions } = options;
  const B = bootstrapLr ?? 0;
  if (!(Number.isInteger(B) && B >= 0)) throw new UsageError(`--bootstrap-lr must be a whole number >= 0, got ${B}`);
  const counts = [...(classCounts ?? [fitOptions.classes?.count ?? 1])].sort((a, b) => a - b);
  if (classCounts) checkStates(counts, '--classes', 'classes');
  const withClasses = counts.some((c) => c > 1);
  if (withClasses && B > 0) throw new UsageError('--bootstrap-lr is not supported with --classes yet (it tests numbers of states of one-class models)');
  if (withClasses && channels) throw new UsageError('--channels is not supported with --classes yet');
  const sorted = [...states].sort((a, b) => a - b);
  const classesOf = (c: number): Pick<PlainFitOptions, 'classes'> => (c > 1 ? { classes: { ...fitOptions.classes, count: c } } : {});
  const { classes: _c, ...baseOptions } = fitOptions;
  const payloads: PlainFitOptions[] = types.flatMap((transitionType) => sorted.flatMap((k) => counts.map((c) => ({ ...baseOptions, states: k, transitionType, ...classesOf(c), profile: false }))));
  const specs = payloads.map((p) => specFor(panel, p));
  if (channels) {
    // Checked before any fitting: the channel comparison needs transitions and intervention terms.
    if (!sorted.some((k) => k >= 2)) throw new UsageError('--channels needs a number of states >= 2 in --states (one state has no relationship channel)');
    channelFormulas(specs[0].formulas.emission, specs[0].formulas.transition, Object.keys(panel.columns));
  }
  let observations = 0;
  for (const v of panel.voice) if (v >= 0) observations++;
  checkIdentifiable(panel, specs.filter((sp) => sp.classes === undefined), observations);

  const shared = sharePanel(panel);
  const label = (p: { states?: number; transitionType?: TransitionType; classes?: { count?: number } }): string =>
    `K = ${p.states}${withClasses ? `, C = ${p.classes?.count ?? 1}` : ''}${types.length > 1 ? ` (${p.transitionType})` : ''}`;
  onProgress?.(`select: fitting ${payloads.map(label).join(', ')} on ${Math.min(threads, payloads.length)} thread(s)`);
  // Largest models first (they take longest), results back in table order.
  const size = (p: PlainFitOptions): number => (p.states as number) * (p.classes?.count ?? 1);
  const order = payloads.map((_, i) => i).sort((a, b) => size(payloads[b]) - size(payloads[a]) || a - b);
  const done = await runParallel<PlainFitOptions, FitJobResult, Panel>(FIT_JOB, order.map((i) => payloads[i]), {
    threads,
    shared,
    onDone: (j, n, total) => onProgress?.(`select: ${label(payloads[order[j]])} fitted (${n}/${total})`),
  });
  const results = new Array<FitJobResult>(payloads.length);
  order.forEach((i, j) => (results[i] = done[j]));
  const customers = panel.offsets.length - 1;
  const rows: SelectionRow[] = results.map(({ run, entropy, seconds: s }) => ({
    states: run.fit.spec.nStates,
    ...(withClasses ? { classes: run.fit.spec.classes?.count ?? 1 } : {}),
    transitionType: run.fit.spec.transitionType,
    logLik: run.fit.logLik,
    nParams: run.fit.nParams,
    ...informationCriteria({ logLik: run.fit.logLik, nParams: run.fit.nParams, observations, customers, entropy }),
    converged: run.fit.converged,
    finished: run.fit.finished ?? run.fit.starts.length,
    reachedBest: run.fit.reachedBest ?? 1,
    warnings: run.fit.warnings,
    seconds: s,
  }));
  for (const r of rows) onProgress?.(`select: ${label({ states: r.states, transitionType: r.transitionType, classes: { count: r.classes } })}: log-likelihood ${r.logLik.toFixed(2)}, ${seconds(r.seconds)}`);
  const picks = criterionPicks(rows);
  const runs = results.map((r) => r.run);

  let bootstrap: BootstrapLrTest[] | undefined;
  if (B > 0) bootstrap = await bootstrapLrTests(shared, rows, runs, fitOptions, { replicates: B, threads, seed: fitOptions.seed ?? 1, onProgress });
  let channelResult: ChannelsResult | undefined;
  if (channels) {
    // The channels need transitions: the BIC pick among the models with two or more states.
    const multi = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.states >= 2);
    const at = multi.reduce((a, b) => (b.r.bicVoices < a.r.bicVoices ? b : a)).i;
    onProgress?.(`select: comparing the channels at ${label({ states: rows[at].states, transitionType: rows[at].transitionType })} (picked by ${CRITERION_LABELS.bicVoices} among K >= 2)`);
    channelResult = await runChannelsOnPanel(panel, { ...fitOptions, states: rows[at].states, transitionType: rows[at].transitionType, threads, onProgress }, runs[at]);
  }
  const table = selectionTable(rows, picks, types.length > 1, { observations, customers }, bootstrap, withClasses);
  return { rows, picks, runs, observations, customers, bootstrap, channels: channelResult, table, panelWarnings };
}

/** `squeaky select`: read the panel, fit every K, compare. */
export async function runSelect(panelFile: string, options: SelectOptions): Promise<SelectResult> {
  checkStates(options.states);
  const { panel, warnings } = await readPanel(panelFile, options.read);
  return selectOnPanel(panel, options, warnings);
}

const PICK_SHORT: Record<Criterion, string> = { aic: 'AIC', bicVoices: 'BIC-v', bicCustomers: 'BIC-c', icl: 'ICL' };

/** The comparison table: one row per model, picks marked, notes saying what each column means. */
export function selectionTable(
  rows: readonly SelectionRow[],
  picks: Record<Criterion, number>,
  bothTypes: boolean,
  n: { observations: number; customers: number },
  bootstrap?: readonly BootstrapLrTest[],
  withClasses = false,
): ComparisonTable {
  const columns = [
    { key: 'states', header: 'K', digits: 0 },
    ...(withClasses ? [{ key: 'classes', header: 'C', digits: 0 }] : []),
    ...(bothTypes ? [{ key: 'transition', header: 'transition' }] : []),
    { key: 'log_likelihood', header: 'log-likelihood', digits: 2 },
    { key: 'parameters', header: 'parameters', digits: 0 },
    { key: 'aic', header: CRITERION_LABELS.aic },
    { key: 'bic_voices', header: CRITERION_LABELS.bicVoices },
    { key: 'bic_customers', header: CRITERION_LABELS.bicCustomers },
    { key: 'icl', header: CRITERION_LABELS.icl },
    { key: 'converged', header: 'converged' },
    { key: 'starts_at_best', header: 'starts at best' },
    { key: 'picked_by', header: 'picked by' },
  ];
  const body = rows.map((r, i) => ({
    states: r.states,
    ...(withClasses ? { classes: r.classes ?? 1 } : {}),
    ...(bothTypes ? { transition: r.transitionType } : {}),
    log_likelihood: r.logLik,
    parameters: r.nParams,
    aic: r.aic,
    bic_voices: r.bicVoices,
    bic_customers: r.bicCustomers,
    icl: r.icl,
    converged: r.converged,
    starts_at_best: `${r.reachedBest}/${r.finished}`,
    picked_by: CRITERIA.filter((c) => picks[c] === i).map((c) => PICK_SHORT[c]).join(' '),
  }));
  const model = (r: SelectionRow): string => `K = ${r.states}${withClasses ? `, C = ${r.classes ?? 1}` : ''}${bothTypes ? ` (${r.transitionType})` : ''}`;
  const name = (i: number): string => (i < 0 ? 'none' : model(rows[i]));
  const notes = [
    `Picks (smallest value): ${CRITERIA.map((c) => `${CRITERION_LABELS[c]} ${name(picks[c])}`).join('; ')}.`,
    `BIC (n = voices) uses n = ${n.observations} observed voices (BIC-v); BIC (n = customers) uses n = ${n.customers} customers (BIC-c); ` +
      'ICL = BIC (n = voices) + 2 x the classification entropy (the entropy of the posterior distribution of every customer\'s state path).',
    "starts at best: finished starts (see --finish) whose log-likelihood is within 1e-6 of that model's best.",
  ];
  if (bootstrap && bootstrap.length) {
    for (const b of bootstrap) {
      notes.push(
        `Parametric bootstrap LR test of K = ${b.states} against K = ${b.states + 1}${bothTypes ? ` (${b.transitionType})` : ''}: LR statistic ${b.statistic.toFixed(2)}, ` +
          `bootstrap p = ${b.p.toFixed(4)} from ${b.used} replicate panels simulated from the ${b.states}-state fit (seed ${b.seed})` +
          (b.notConverged ? `; ${b.notConverged} replicate(s) with a fit that did not converge` : '') +
          '.',
      );
    }
  } else if (bootstrap) {
    notes.push('No bootstrap LR test: it needs two consecutive numbers of states (K and K + 1) in --states.');
  } else {
    notes.push(
      'No likelihood-ratio test of K against K + 1 states is shown: the chi-square reference is wrong for the number of states ' +
        '(under the smaller model the larger one sits on the boundary of its parameter space and some of its parameters are not identified). ' +
        'Use --bootstrap-lr B for a parametric bootstrap p-value.',
    );
  }
  rows.forEach((r) => {
    const disagree = r.warnings.filter((w) => /finished starts disagree|did not converge/.test(w));
    for (const w of disagree) notes.push(`${model(r)}: ${w}`);
  });
  if (withClasses) {
    notes.push(
      'C = latent classes of customers (fit --classes); with classes the ICL entropy is that of the posterior distribution over class x state paths. ' +
        'Like the number of states, the number of classes has no chi-square LR test (the smaller model sits on the boundary of the larger one).',
    );
  }
  return { title: withClasses ? 'Choosing the numbers of states and classes (smaller criteria are better)' : 'Choosing the number of states (smaller criteria are better)', columns, rows: body, notes };
}
