/**
 * The starts of a fit (emEM, see fit.ts): every start's EM run, the screening, the leaders run on
 * to convergence and the result, for any model whose sub-models form one flat parameter vector
 * (the one-class HmmModel and the mixture of classes). What differs by model kind (how a start is
 * made, the labelling rule, the boundary check) comes in as FitHooks, so the loop is written once.
 */
import { BLOCKS, type Block, type MStepOptions, type SubModel } from '../model/subModel.js';
import { ModelError } from '../errors.js';
import { VERSION } from '../version.js';
import type { EStepEngine } from './eStep.js';
import { runEm, type EmOptions, type EmResult, type EmResume } from './em.js';
import type { DataSummary, FitOptions, FitProgress, FitResult, StartResult } from './fitTypes.js';
import type { ModelSpec, NamedParameters } from './spec.js';

/** What the start loop needs of a model. */
export interface FitModel {
  readonly parts: readonly SubModel[];
  readonly nParams: number;
  getParameters(): NamedParameters;
  setParameters(values: Float64Array): void;
  clone(): FitModel;
}

/** The model-specific steps of a fit. */
export interface FitHooks<M extends FitModel> {
  /** Set the parameters of start s (0 = the data-driven start, else random from stream s) by M-steps with `mStep`. */
  start(model: M, s: number, mStep: MStepOptions): void;
  /** Relabel the kept model (classes, states), with eStep.stats at its parameters. */
  relabel(model: M): void;
  /** Boundary warnings of the kept model (probabilities near 0 or 1). */
  boundaryWarnings(model: M): string[];
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
export const BOUNDARY = 1e-6;

/** The boundary warnings of an E-step's probability tables (see BOUNDARY). */
export function boundaryWarnings(countBoundary: (block: Block, eps: number) => number, blocks: readonly Block[] = BLOCKS): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    const n = countBoundary(block, BOUNDARY);
    if (n > 0) out.push(`${n} ${block} probabilit${n === 1 ? 'y is' : 'ies are'} within ${BOUNDARY.toExponential()} of 0 or 1: estimates near the boundary are unreliable`);
  }
  return out;
}

/** The plain EM settings of a fit's runs (what a worker thread needs to continue a start as this thread would). */
export interface EmSettings {
  maxIter: number;
  tol: number;
  mStep: MStepOptions;
  accelerate: boolean;
  quasiNewton: boolean;
}

/** A screened start to run on to convergence: its parameters where screening stopped it and its EM state there. */
export interface FinishJob {
  index: number;
  values: Float64Array;
  resume: EmResume;
}

/** A finished run: the parameters at its end and its EM result (history and iterations include the screening). */
export interface FinishedRun {
  values: Float64Array;
  em: EmResult;
}

/** Runs finishing job k of the current list in the fit's thread (its progress to `onProgress` instead of options.onProgress when given). */
export type RunHere = (k: number, onProgress?: (p: FitProgress) => void) => FinishedRun;

/**
 * Runs the finishing jobs (results in job order) elsewhere, e.g. on worker threads beside this one
 * (startsOnThreads.ts; `runHere` runs one in this thread), or returns undefined to have them run
 * here, one after another.
 */
export type Finisher = (jobs: readonly FinishJob[], runHere: RunHere, nStarts: number) => Promise<FinishedRun[]> | undefined;

/** What a fit's options say about its starts before any is made. */
export interface StartsPlan {
  settings: EmSettings;
  nStarts: number;
  /** EM iterations of every start's screening (maxIter: no screening). */
  screen: number;
  /** Starts run on to convergence after screening. */
  finish: number;
  /** At most this many starts are run on after screening (0 without screening). */
  maxJobs: number;
}

export function startsPlan(options: FitOptions): StartsPlan {
  const nRandom = options.starts ?? (options.startParams ? 0 : FIT_DEFAULTS.starts);
  const maxIter = options.maxIter ?? FIT_DEFAULTS.maxIter;
  const ridge = options.ridge ?? FIT_DEFAULTS.ridge;
  const mStep: MStepOptions = { ridge, ...M_STEP_DEFAULTS };
  const settings: EmSettings = { maxIter, tol: options.tol ?? FIT_DEFAULTS.tol, mStep, accelerate: options.accelerate ?? true, quasiNewton: options.quasiNewton ?? true };
  const nStarts = 1 + nRandom;
  // emEM: with several starts, each runs `screen` iterations; only the best then runs on.
  const screenIter = options.screenIter ?? FIT_DEFAULTS.screenIter;
  const screen = nStarts > 1 && screenIter > 0 && screenIter < maxIter ? screenIter : maxIter;
  const finish = Math.min(nStarts, options.finish ?? FIT_DEFAULTS.finish);
  return { settings, nStarts, screen, finish, maxJobs: screen < maxIter ? finish : 0 };
}

type Run<M> = { model: M; em: EmResult; kind: StartResult['kind'] };
type Leader<M> = Run<M> & { index: number };

/** Every start screened, and the leaders to finish (in start order). */
interface Screened<M extends FitModel> {
  starts: StartResult[];
  warnings: string[];
  leaders: Leader<M>[];
  settings: EmSettings;
  nStarts: number;
  emOptions: (s: number, cap: number, progress?: FitOptions['onProgress']) => EmOptions;
}

/** The EM options of start s with iteration cap `cap` (progress to onProgress, naming the start). */
function emOptionsOf(settings: EmSettings, onProgress: FitOptions['onProgress'], nStarts: number): (s: number, cap: number, progress?: FitOptions['onProgress']) => EmOptions {
  return (s, cap, progress = onProgress) => ({
    ...settings,
    maxIter: cap,
    onIteration: progress ? (iteration: number, logLik: number, change: number) => progress({ start: s, nStarts, iteration, logLik, change }) : undefined,
  });
}

const better = (a: number, b: number) => a > b || (Number.isNaN(b) && !Number.isNaN(a));

/** Make and screen every start; keep the `finish` best after screening (ties: the earlier start). */
function screenStarts<M extends FitModel>(base: M, eStep: EStepEngine, options: FitOptions, given: Float64Array | undefined, hooks: FitHooks<M>): Screened<M> {
  const { settings, nStarts, screen, finish } = startsPlan(options);
  const maxIter = settings.maxIter;
  const startMStep: MStepOptions = { ...settings.mStep, maxNewtonIter: START_NEWTON_ITER };
  const emOptions = emOptionsOf(settings, options.onProgress, nStarts);
  // The `finish` starts best after screening (ties: the earlier start), kept in descending order.
  const leaders: Leader<M>[] = [];
  const starts: StartResult[] = [];
  const warnings: string[] = [];
  for (let s = 0; s < nStarts; s++) {
    const model = base.clone() as M;
    const parts = model.parts;
    let kind: StartResult['kind'];
    if (s === 0 && given) {
      kind = 'given';
      model.setParameters(given);
    } else {
      kind = s === 0 ? 'data' : 'random';
      hooks.start(model, s, startMStep);
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
  // The leaders are run on in start order (progress reads in order).
  leaders.sort((a, b) => a.index - b.index);
  return { starts, warnings, leaders, settings, nStarts, emOptions };
}

/** The jobs of the leaders that screening stopped (in start order). */
function finishJobs<M extends FitModel>(sc: Screened<M>): FinishJob[] {
  return sc.leaders.filter((l) => sc.starts[l.index].screened).map((l) => ({ index: l.index, values: l.model.getParameters().values, resume: l.em.resume }));
}

/** Run screened leader `l` on to convergence here, continuing its history. */
function finishOne<M extends FitModel>(sc: Screened<M>, l: Leader<M>, eStep: EStepEngine, onProgress?: FitOptions['onProgress']): FinishedRun {
  const em = runEm(l.model.parts, eStep, { ...sc.emOptions(l.index, sc.settings.maxIter, onProgress), previous: l.em.resume });
  return { values: l.model.getParameters().values, em };
}

/** Run the screened leaders on to convergence here, one after another. */
function finishHere<M extends FitModel>(sc: Screened<M>, eStep: EStepEngine): FinishedRun[] {
  return sc.leaders.filter((l) => sc.starts[l.index].screened).map((l) => finishOne(sc, l, eStep));
}

/**
 * Fit by emEM from the starts of `hooks`: every start is screened, the `finish` best are run on
 * to convergence (here, one after another), the best of those is kept and relabelled.
 */
export function runStarts<M extends FitModel>(
  base: M,
  eStep: EStepEngine,
  summary: DataSummary,
  spec: ModelSpec,
  options: FitOptions,
  given: Float64Array | undefined,
  hooks: FitHooks<M>,
): FitResult {
  const sc = screenStarts(base, eStep, options, given, hooks);
  return concludeStarts(sc, finishHere(sc, eStep), summary, spec, hooks, false);
}

/**
 * runStarts with the leaders' finishing runs handed to `finisher` (e.g. worker threads, one start
 * per thread): the same result to the last bit, since every finishing run continues from its
 * screened parameters and EM state and nothing in it depends on where it runs.
 */
export async function runStartsAsync<M extends FitModel>(
  base: M,
  eStep: EStepEngine,
  summary: DataSummary,
  spec: ModelSpec,
  options: FitOptions,
  given: Float64Array | undefined,
  hooks: FitHooks<M>,
  finisher: Finisher,
): Promise<FitResult> {
  const sc = screenStarts(base, eStep, options, given, hooks);
  const jobs = finishJobs(sc);
  const runHere: RunHere = (k, onProgress) => finishOne(sc, sc.leaders.find((l) => l.index === jobs[k].index)!, eStep, onProgress);
  const elsewhere = finisher(jobs, runHere, sc.nStarts);
  const runs = elsewhere ? await elsewhere : finishHere(sc, eStep);
  return concludeStarts(sc, runs, summary, spec, hooks, elsewhere !== undefined);
}

/** Take the finished runs (one per screened leader, in start order), keep the best, relabel it and make the result. */
function concludeStarts<M extends FitModel>(sc: Screened<M>, runs: FinishedRun[], summary: DataSummary, spec: ModelSpec, hooks: FitHooks<M>, setValues: boolean): FitResult {
  const { starts, warnings } = sc;
  let best: Run<M> | undefined;
  let bestIndex = -1;
  let next = 0;
  for (const lead of sc.leaders) {
    let run: Run<M> = lead;
    if (starts[lead.index].screened) {
      const { values, em } = runs[next++];
      if (setValues) lead.model.setParameters(values);
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
  if (next !== runs.length) throw new RangeError(`expected ${next} finished runs, got ${runs.length}`);
  const { model, em } = best!;
  const maxIter = sc.settings.maxIter;
  if (!Number.isFinite(em.logLik)) {
    throw new ModelError(`every start ended with a log-likelihood that is not finite (${em.logLik}): the data are impossible under the model`);
  }
  hooks.relabel(model);

  if (!em.converged && maxIter > 0) warnings.push(`the best start did not converge: ${em.status}`);
  const reach = finishedAgreement(starts, bestIndex);
  if (reach.warning) warnings.push(reach.warning);
  warnings.push(...hooks.boundaryWarnings(model));

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

