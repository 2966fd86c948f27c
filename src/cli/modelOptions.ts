/**
 * The model and estimation options that `select` and `channels` share: declared once, checked
 * once, turned into the library's options.
 */
import type { Command } from 'commander';
import { DEFAULT_FORMULAS } from '../estimation/spec.js';
import { FIT_DEFAULTS } from '../estimation/fit.js';
import { DEFAULT_HORIZON } from '../report/computeEffects.js';
import { DEFAULT_SE_METHOD, SINGLE_FIT_SE_METHODS } from '../report/fitCovariance.js';
import type { PlainFitOptions } from '../report/selection/fitJob.js';
import type { ReadPanelOptions } from '../data/readPanel.js';
import type { CliIO } from './io.js';
import { choiceOption, intOption, listOption, numberOption } from './options.js';
import { UsageError } from '../errors.js';
import { addPanelReadOptions, panelReadOptions, type PanelReadFlags } from './panelOptions.js';

export interface ModelFlags extends PanelReadFlags {
  initial?: string;
  transition?: string;
  emission?: string;
  sharedSlopes?: boolean;
  reference?: string;
  labels?: string;
  starts?: string;
  finish?: string;
  seed?: string;
  maxIter?: string;
  tol?: string;
  horizon?: string;
  se?: string;
  threads?: string;
  out: string;
  progress?: boolean;
  quiet?: boolean;
}

/** Add the shared options (formulas, panel reading, starts, threads, progress) to a command. */
export function addModelOptions(cmd: Command, outDefault: string, outWhat: string): Command {
  const withFormulas = cmd
    .option('--initial <formula>', `formula of the initial-state model (default '${DEFAULT_FORMULAS.initial}')`)
    .option('--transition <formula>', `formula of the transition model (default '${DEFAULT_FORMULAS.transition}')`)
    .option('--emission <formula>', `formula of the emission (voice) model (default '${DEFAULT_FORMULAS.emission}')`)
    .option('--shared-slopes', 'emission covariate slopes shared across states (intercepts stay state-specific)')
    .option('--reference <voice>', 'reference voice category of the emission logits (default silent when present, else neutral)')
    .option('--labels <list>', 'declare the voice labels, comma-separated (default complaint,compliment,neutral,silent)');
  return addPanelReadOptions(withFormulas)
    .option('--starts <N>', `random starts besides the data-driven start, per model (default ${FIT_DEFAULTS.starts})`)
    .option('--finish <K>', `starts run to convergence after screening, per model (default ${FIT_DEFAULTS.finish})`)
    .option('--seed <S>', `seed of every random choice (default ${FIT_DEFAULTS.seed})`)
    .option('--max-iter <N>', `iteration cap per start (default ${FIT_DEFAULTS.maxIter})`)
    .option('--tol <x>', `relative log-likelihood tolerance (default ${FIT_DEFAULTS.tol})`)
    .option('--horizon <H>', `periods counted in the intervention-effect reports (default ${DEFAULT_HORIZON})`)
    .option('--se <method>', `standard errors of every fit: ${SINGLE_FIT_SE_METHODS.join(', ')} (default ${DEFAULT_SE_METHOD}, as squeaky fit; bootstrap the chosen model with squeaky fit --se bootstrap)`)
    .option('--threads <N>', "worker threads (default: the machine's cores); results do not depend on it")
    .option('--out <dir>', outWhat, outDefault)
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .option('--quiet', 'no progress and no reading warnings on stderr');
}

/** The checked values of the shared options (UsageError naming the flag). */
export function modelOptionValues(f: ModelFlags): { fit: PlainFitOptions; read: ReadPanelOptions; threads?: number } {
  const formulas: Record<string, string> = {};
  if (f.initial !== undefined) formulas.initial = f.initial;
  if (f.transition !== undefined) formulas.transition = f.transition;
  if (f.emission !== undefined) formulas.emission = f.emission;
  return {
    fit: {
      formulas,
      sharedSlopes: f.sharedSlopes,
      referenceVoice: f.reference,
      starts: intOption('--starts', f.starts, 0),
      finish: intOption('--finish', f.finish, 1),
      seed: intOption('--seed', f.seed, 0),
      maxIter: intOption('--max-iter', f.maxIter, 0),
      tol: numberOption('--tol', f.tol, (x) => x > 0, 'a number > 0'),
      horizon: intOption('--horizon', f.horizon, 1),
      se: choiceOption('--se', f.se, SINGLE_FIT_SE_METHODS),
    },
    read: { labels: listOption(f.labels), ...panelReadOptions(f) },
    threads: intOption('--threads', f.threads, 1),
  };
}

/** Progress lines on stderr when it is a terminal or --progress is given, never with --quiet. */
export function progressLines(io: CliIO, f: ModelFlags): ((line: string) => void) | undefined {
  const show = !f.quiet && (io.errIsTTY || Boolean(f.progress));
  return show ? (line) => io.err(line + '\n') : undefined;
}

/** Most latent classes `--classes` accepts. */
export const MAX_CLASSES = 10;

/** The checked class options (undefined when none is given). */
export function classOptions(f: { classes?: string; classSpecific?: string; classFormula?: string }): { count?: number; formula?: string; specific?: ('initial' | 'transition' | 'emission')[] } | undefined {
  const count = intOption('--classes', f.classes, 1, MAX_CLASSES);
  const list = listOption(f.classSpecific);
  const blocks = ['initial', 'transition', 'emission'] as const;
  const specific = list?.map((b) => {
    const x = blocks.find((k) => k === b.trim().toLowerCase());
    if (x === undefined) throw new UsageError(`--class-specific: '${b}' is not a block; use a comma-separated list of initial, transition, emission`);
    return x;
  });
  if (count === undefined && specific === undefined && f.classFormula === undefined) return undefined;
  return { count, formula: f.classFormula, specific };
}
