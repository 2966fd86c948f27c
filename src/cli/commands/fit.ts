import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, intOption, listOption, numberOption } from '../options.js';
import { defaultThreads } from '../../parallel/runParallel.js';
import { runFit, writeFitRun, DEFAULT_OUT_DIR, DEFAULT_STATES } from '../../report/runFit.js';
import { loadFit } from '../../report/fitFile.js';
import { formatFitSummary } from '../../report/fitSummary.js';
import { DEFAULT_HORIZON } from '../../report/computeEffects.js';
import { DEFAULT_FORMULAS } from '../../estimation/spec.js';
import { FIT_DEFAULTS } from '../../estimation/fit.js';
import type { FitProgress } from '../../estimation/fitTypes.js';

interface FitFlags {
  states?: string;
  initial?: string;
  transition?: string;
  emission?: string;
  transitionType?: string;
  sharedSlopes?: boolean;
  reference?: string;
  labels?: string;
  fillGaps?: boolean;
  customerCol?: string;
  periodCol?: string;
  voiceCol?: string;
  interventionCol?: string;
  starts?: string;
  seed?: string;
  maxIter?: string;
  tol?: string;
  start?: string;
  horizon?: string;
  threads?: string;
  out: string;
  progress?: boolean;
  quiet?: boolean;
}

/** Progress lines on stderr: overwritten in place on a terminal, one per iteration otherwise. */
function progressPrinter(io: CliIO): { update: (p: FitProgress) => void; phase: (d: string) => void; done: () => void } {
  let shown = false;
  const t0 = Date.now();
  return {
    phase: (d) => {
      if (shown && io.errIsTTY) io.err('\n');
      shown = false;
      io.err(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${d}\n`);
    },
    update: (p) => {
      const line = `start ${p.start + 1}/${p.nStarts}  iteration ${p.iteration}  log-likelihood ${p.logLik.toFixed(4)}  change ${p.change.toExponential(2)}`;
      if (io.errIsTTY) io.err(`\r${line}\x1b[K`);
      else io.err(line + '\n');
      shown = true;
    },
    done: () => {
      if (shown && io.errIsTTY) io.err('\n');
    },
  };
}

export function fitCommand(io: CliIO): Command {
  return new Command('fit')
    .description('fit the hidden Markov model to a panel CSV; write fit.json, parameters.csv and effects.json; print the summary and the intervention-effect report')
    .argument('<panel>', 'panel CSV (customer, period, voice, intervention, covariates...)')
    .option('--states <K>', `number of relationship states (default ${DEFAULT_STATES})`)
    .option('--initial <formula>', `formula of the initial-state model (default '${DEFAULT_FORMULAS.initial}')`)
    .option('--transition <formula>', `formula of the transition model (default '${DEFAULT_FORMULAS.transition}')`)
    .option('--emission <formula>', `formula of the emission (voice) model (default '${DEFAULT_FORMULAS.emission}')`)
    .option('--transition-type <type>', 'multinomial or ordered (default multinomial)')
    .option('--shared-slopes', 'emission covariate slopes shared across states (intercepts stay state-specific)')
    .option('--reference <voice>', 'reference voice category of the emission logits (default silent when present, else neutral)')
    .option('--labels <list>', 'declare the voice labels, comma-separated (default complaint,compliment,neutral,silent)')
    .option('--fill-gaps', 'fill gaps in a customer\'s periods with missing-voice rows (intervention 0) instead of failing')
    .option('--customer-col <name>', 'header name of the customer column (default customer)')
    .option('--period-col <name>', 'header name of the period column (default period)')
    .option('--voice-col <name>', 'header name of the voice column (default voice)')
    .option('--intervention-col <name>', 'header name of the intervention column (default intervention)')
    .option('--starts <N>', `random starts besides the data-driven start (default ${FIT_DEFAULTS.starts}; 0 with --start)`)
    .option('--seed <S>', `seed of every random choice (default ${FIT_DEFAULTS.seed})`)
    .option('--max-iter <N>', `EM iteration cap per start (default ${FIT_DEFAULTS.maxIter}); 0 with --start only evaluates the log-likelihood`)
    .option('--tol <x>', `stop when the projected remaining log-likelihood gain < tol x |log-likelihood| (default ${FIT_DEFAULTS.tol})`)
    .option('--start <fit.json>', "begin EM from a saved fit's parameters (its model specification is used)")
    .option('--horizon <H>', `periods counted in the intervention-effect report (default ${DEFAULT_HORIZON})`)
    .option('--threads <N>', `worker threads for the E-step (default: the machine's cores, ${defaultThreads()} here); results do not depend on it`)
    .option('--out <dir>', 'folder for fit.json, parameters.csv, effects.json', DEFAULT_OUT_DIR)
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .option('--quiet', 'no progress and no reading warnings on stderr')
    .addHelpText(
      'after',
      `
Formulas: '~ term + term', terms are column names and expressions with log, log1p, exp, sqrt,
lag(x, k), stock(x, decay), cumsum(x), scale(x); the intercept is implied ('- 1' removes it).
Transitions into period t use the row of period t: write lag(intervention) for "last period's
intervention moves this period's state".

Examples:
  $ squeaky fit data/example-panel.csv
  $ squeaky fit panel.csv --states 2 --transition-type ordered --starts 10 --seed 7 --out fit2
  $ squeaky fit panel.csv --start fit2/fit.json --max-iter 0 --out check   # log-likelihood only
  $ squeaky fit big-panel.csv --threads 2 --progress   # same fit.json for every --threads`,
    )
    .action(async (panelFile: string, f: FitFlags) => {
      // Every flag is checked before anything is read.
      const states = intOption('--states', f.states, 1);
      const transitionType = choiceOption('--transition-type', f.transitionType, ['multinomial', 'ordered'] as const);
      const starts = intOption('--starts', f.starts, 0);
      const seed = intOption('--seed', f.seed, 0);
      const maxIter = intOption('--max-iter', f.maxIter, 0);
      const tol = numberOption('--tol', f.tol, (x) => x > 0, 'a number > 0');
      const horizon = intOption('--horizon', f.horizon, 1);
      const threads = intOption('--threads', f.threads, 1) ?? defaultThreads();
      const start = f.start !== undefined ? { fit: await loadFit(f.start), file: f.start } : undefined;
      const labels = listOption(f.labels) ?? (start ? start.fit.spec.voiceLabels : undefined);
      const formulas: Record<string, string> = {};
      if (f.initial !== undefined) formulas.initial = f.initial;
      if (f.transition !== undefined) formulas.transition = f.transition;
      if (f.emission !== undefined) formulas.emission = f.emission;
      const show = !f.quiet && (io.errIsTTY || Boolean(f.progress));
      const progress = progressPrinter(io);
      let run;
      try {
        run = await runFit(panelFile, {
          states,
          formulas,
          transitionType,
          sharedSlopes: f.sharedSlopes,
          referenceVoice: f.reference,
          read: { labels, fillGaps: f.fillGaps, columns: { customer: f.customerCol, period: f.periodCol, voice: f.voiceCol, intervention: f.interventionCol } },
          starts,
          seed,
          maxIter,
          tol,
          start,
          horizon,
          threads,
          onProgress: show ? progress.update : undefined,
          onPhase: show ? progress.phase : undefined,
        });
      } finally {
        progress.done();
      }
      if (!f.quiet) for (const w of run.panelWarnings) io.err(`squeaky: warning: ${w}\n`);
      if (show) progress.phase(`writing ${f.out}`);
      const written = await writeFitRun(run, f.out);
      io.out(formatFitSummary(run.fit, run.table, run.effects));
      io.out(`\nWrote ${written.join(', ')}\n`);
    });
}
