import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { basename, dirname, join, resolve } from 'node:path';
import { choiceOption, intOption, listOption, numberOption } from '../options.js';
import { buildReport, DEFAULT_REPORT_FILE } from '../../report/html/buildReport.js';
import { runFit, writeFitRun, DEFAULT_OUT_DIR, DEFAULT_STATES } from '../../report/runFit.js';
import { loadFit } from '../../report/fitFile.js';
import { writeFilesAtomic, type FolderFile, type OutputFile } from '../../report/writeAtomic.js';
import { formatFitSummary } from '../../report/fitSummary.js';
import { formatSelectionReport } from '../../report/selectionReport.js';
import { DEFAULT_HORIZON } from '../../report/computeEffects.js';
import { parsePeriodLength } from '../../report/periodLength.js';
import { DEFAULT_FORMULAS } from '../../estimation/spec.js';
import { FIT_DEFAULTS } from '../../estimation/fit.js';
import { MAX_STARTS, MAX_STATES } from '../../report/fitLimits.js';
import { MAX_SEED } from '../../estimation/rng.js';
import type { FitProgress } from '../../estimation/fitTypes.js';
import { classOptions, type ModelFlags } from '../modelOptions.js';
import { addPanelReadOptions, panelReadOptions } from '../panelOptions.js';
import { DEFAULT_SE_METHOD, SE_METHODS, SE_METHOD_HELP } from '../../report/fitCovariance.js';
import { BOOTSTRAP_DEFAULTS, BOOTSTRAP_TYPES, type BootstrapProgress } from '../../estimation/inference/bootstrapCovariance.js';
import { defaultThreads } from '../../parallel/runParallel.js';
import { UsageError } from '../../errors.js';
import { formatProgressBar } from '../progressBar.js';

/** The flags `select` and `channels` share with fit (modelOptions.ts), and fit's own. */
interface FitFlags extends ModelFlags {
  states?: string;
  transitionType?: string;
  start?: string;
  periodLength?: string;
  html?: string | boolean;
  bootstrap?: string;
  bootstrapType?: string;
  selection?: string;
  classes?: string;
  classSpecific?: string;
  classFormula?: string;
}

/** Off a terminal, fast progress (reading, standard errors) is printed at most this often. */
const PROGRESS_EVERY_MS = 2000;

/**
 * The terminal line of starts running at once (FitProgress.running > 1): the latest iteration of
 * each of the `running` starts updated last, side by side, in start order; one start's line otherwise.
 */
export function concurrentStarts(): { show: (p: FitProgress, line: string) => string } {
  const latest = new Map<number, string>();
  return {
    show: (p, line) => {
      const running = p.running ?? 1;
      latest.delete(p.start);
      latest.set(p.start, `start ${p.start + 1}/${p.nStarts} it ${p.iteration} LL ${p.logLik.toFixed(4)}`);
      if (running < 2) {
        latest.clear();
        return line;
      }
      while (latest.size > running) latest.delete(latest.keys().next().value as number);
      return [...latest.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]).join('  |  ');
    },
  };
}

/** Progress lines on stderr: overwritten in place on a terminal, one per iteration otherwise (each naming its start). */
function progressPrinter(io: CliIO): {
  update: (p: FitProgress) => void;
  se: (phase: string, done: number, total: number) => void;
  bootstrap: (p: BootstrapProgress) => void;
  reading: (bytesRead: number, totalBytes: number) => void;
  phase: (d: string) => void;
  done: () => void;
} {
  let shown = false;
  const t0 = Date.now();
  const concurrent = concurrentStarts();
  // off a terminal, a line at most every PROGRESS_EVERY_MS for steps that come fast, and the last
  let last = -Infinity;
  const due = (final: boolean): boolean => {
    const now = Date.now();
    if (!final && now - last < PROGRESS_EVERY_MS) return false;
    last = now;
    return true;
  };
  return {
    reading: (bytesRead, totalBytes) => {
      const mb = (b: number): string => (b / 1e6).toFixed(0);
      const end = bytesRead >= totalBytes ? '; checking and ordering the rows' : '';
      const line = `reading: ${mb(bytesRead)} of ${mb(totalBytes)} MB (${((100 * bytesRead) / totalBytes).toFixed(0)}%)${end}`;
      if (io.errIsTTY) io.err(`\r${line}\x1b[K`);
      else if (due(bytesRead >= totalBytes)) io.err(line + '\n');
      shown = true;
    },
    phase: (d) => {
      if (shown && io.errIsTTY) io.err('\n');
      shown = false;
      io.err(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${d}\n`);
    },
    bootstrap: (p) => {
      const line = formatProgressBar('bootstrap', p.done, p.total, p.elapsedMs);
      if (io.errIsTTY) io.err(`\r${line}\x1b[K`);
      else if (p.done === p.total || p.done % Math.max(1, Math.floor(p.total / 20)) === 0) io.err(line + '\n');
      shown = true;
    },
    se: (phase, done, total) => {
      const what = phase === 'scores' ? 'customer scores' : phase === 'bounds' ? 'likelihood-interval checks' : 'observed information';
      const line = `standard errors: ${what} ${done}/${total} parameters`;
      if (io.errIsTTY) io.err(`\r${line}\x1b[K`);
      else if (due(done === total)) io.err(line + '\n');
      shown = true;
    },
    update: (p) => {
      const line = `start ${p.start + 1}/${p.nStarts}  iteration ${p.iteration}  log-likelihood ${p.logLik.toFixed(4)}  change ${p.change.toExponential(2)}`;
      if (io.errIsTTY) io.err(`\r${concurrent.show(p, line)}\x1b[K`);
      else io.err(line + '\n');
      shown = true;
    },
    done: () => {
      if (shown && io.errIsTTY) io.err('\n');
    },
  };
}

export function fitCommand(io: CliIO): Command {
  const cmd = new Command('fit')
    .description('fit the hidden Markov model to a panel CSV; write fit.json, parameters.csv and effects.json; print the summary and the intervention-effect report')
    .argument('<panel>', 'panel CSV (customer, period, voice, intervention, covariates...)')
    .option('--states <K>', `number of relationship states (default ${DEFAULT_STATES})`)
    .option('--initial <formula>', `formula of the initial-state model (default '${DEFAULT_FORMULAS.initial}')`)
    .option('--transition <formula>', `formula of the transition model (default '${DEFAULT_FORMULAS.transition}')`)
    .option('--emission <formula>', `formula of the emission (voice) model (default '${DEFAULT_FORMULAS.emission}')`)
    .option('--selection <formula>', "model the firm's interventions too: a logit of each period's intervention with an intercept per state plus these terms (this period's voice as voice_complaint, voice_compliment, ...; lag(intervention), stock(intervention, d), covariates), e.g. '~ voice_complaint + lag(intervention)'; also fits the model without it and compares the channels")
    .option('--transition-type <type>', 'multinomial or ordered (default multinomial)')
    .option('--shared-slopes', 'emission covariate slopes shared across states (intercepts stay state-specific)')
    .option('--reference <voice>', 'reference voice category of the emission logits (default silent when present, else neutral)')
    .option('--labels <list>', 'declare the voice labels, comma-separated (default complaint,compliment,neutral,silent)')
    .option('--classes <C>', 'latent classes of customers: a mixture of C models, class membership a multinomial logit (default 1)')
    .option('--class-specific <blocks>', 'blocks with their own parameters in every class, comma-separated from initial, transition, emission (default all three; the others are shared by the classes)')
    .option('--class-formula <formula>', "formula of the class membership logit on customer-level columns, constant within each customer (default '~ 1')");
  return addPanelReadOptions(cmd)
    .option('--starts <N>', `random starts besides the data-driven start (default ${FIT_DEFAULTS.starts}; 0 with --start)`)
    .option('--finish <K>', `run the K starts best after screening to convergence and keep the best (default ${FIT_DEFAULTS.finish}); the summary says how many reached its log-likelihood`)
    .option('--seed <S>', `seed of every random choice (default ${FIT_DEFAULTS.seed})`)
    .option('--max-iter <N>', `EM iteration cap per start (default ${FIT_DEFAULTS.maxIter}); 0 with --start only evaluates the log-likelihood`)
    .option('--tol <x>', `stop when the projected remaining log-likelihood gain < tol x |log-likelihood| (default ${FIT_DEFAULTS.tol})`)
    .option('--start <fit.json>', "begin EM from a saved fit's parameters (its model specification is used)")
    .option('--se <method>', `standard errors: ${SE_METHODS.map((m) => `${m} (${SE_METHOD_HELP[m]})`).join('; ')} (default ${DEFAULT_SE_METHOD})`)
    .option('--bootstrap <B>', `bootstrap replicates with --se bootstrap (default ${BOOTSTRAP_DEFAULTS.replicates}; given alone, implies --se bootstrap)`)
    .option('--bootstrap-type <type>', `nonparametric (customers resampled with replacement) or parametric (voice, and with --classes each customer's class, simulated from the fit at the observed rows; with --selection the interventions too, from the selection model) (default ${BOOTSTRAP_DEFAULTS.type})`)
    .option('--threads <N>', `worker threads for the E-step, the M-step's sums, the profile-likelihood searches and the bootstrap replicates (default: the machine's cores, here ${defaultThreads()}); the result does not depend on it`)
    .option('--horizon <H>', `periods shown by the intervention-effect report, next to its long-run total (default ${DEFAULT_HORIZON})`)
    .option('--period-length <p>', "length of one period: day, week or Nh (default: the panel's period_hours column, written by squeaky prepare); the report states its horizons in that unit")
    .option('--out <dir>', 'folder for fit.json, parameters.csv, effects.json', DEFAULT_OUT_DIR)
    .option('--html [file]', `also write the HTML report of the fit and its panel (default file: <out>/${DEFAULT_REPORT_FILE})`)
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
  $ squeaky fit panel.csv --se robust --out fit-robust                     # customer-clustered SEs
  $ squeaky fit panel.csv --selection "~ voice_complaint + lag(intervention)" --out fit-sel   # whom the firm answers
  $ squeaky fit panel.csv --se bootstrap --bootstrap 200 --threads 2 --out fit-boot
  $ squeaky fit panel.csv --se bootstrap --bootstrap-type parametric --seed 3 --out fit-pboot
  $ squeaky fit panel.csv --start fit2/fit.json --max-iter 0 --out check   # log-likelihood only
  $ squeaky fit data/example-panel.csv --html --period-length day          # and squeaky-fit/report.html
  $ squeaky fit big-panel.csv --threads 2 --progress   # same fit.json for every --threads
  $ squeaky fit panel.csv --classes 2 --class-formula '~ followers' --out fit-classes
  $ squeaky fit panel.csv --classes 2 --class-specific emission --out fit-propensity-classes
  $ squeaky fit panel.csv --classes 2 --se bootstrap --bootstrap 100 --threads 2 --out fit-classes-boot`,
    )
    .action(async (panelFile: string, f: FitFlags) => {
      // Every flag is checked before anything is read.
      const states = intOption('--states', f.states, 1, MAX_STATES);
      const transitionType = choiceOption('--transition-type', f.transitionType, ['multinomial', 'ordered'] as const);
      const starts = intOption('--starts', f.starts, 0, MAX_STARTS);
      const finish = intOption('--finish', f.finish, 1);
      const seed = intOption('--seed', f.seed, 0, MAX_SEED);
      const maxIter = intOption('--max-iter', f.maxIter, 0);
      const tol = numberOption('--tol', f.tol, (x) => x > 0, 'a number > 0');
      const horizon = intOption('--horizon', f.horizon, 1);
      const replicates = intOption('--bootstrap', f.bootstrap, 2);
      const bootstrapType = choiceOption('--bootstrap-type', f.bootstrapType, BOOTSTRAP_TYPES);
      const threads = intOption('--threads', f.threads, 1) ?? defaultThreads();
      const wantsBootstrap = replicates !== undefined || bootstrapType !== undefined;
      const se = choiceOption('--se', f.se, SE_METHODS) ?? (wantsBootstrap ? 'bootstrap' : undefined);
      if (wantsBootstrap && se !== 'bootstrap') {
        throw new UsageError(`${replicates !== undefined ? '--bootstrap' : '--bootstrap-type'} applies to --se bootstrap, not --se ${se}`);
      }
      const classes = classOptions(f);
      if (classes?.count !== undefined && classes.count > 1 && f.html !== undefined) throw new UsageError('--html is not supported with --classes yet: the report page shows one-class fits');
      const periodLength = f.periodLength !== undefined ? parsePeriodLength('--period-length', f.periodLength) : undefined;
      const htmlFile = f.html === undefined ? undefined : f.html === true ? join(f.out, DEFAULT_REPORT_FILE) : String(f.html);
      // --html takes an optional value: a panel or fit file after it would be read as the page to write.
      if (htmlFile !== undefined && !/\.html?$/i.test(htmlFile)) throw new UsageError(`--html must name an .html file, got '${htmlFile}' (put the panel before --html, or give --html report.html)`);
      const start = f.start !== undefined ? { fit: await loadFit(f.start), file: f.start } : undefined;
      const labels = listOption(f.labels) ?? (start ? start.fit.spec.voiceLabels : undefined);
      const formulas: Record<string, string> = {};
      if (f.initial !== undefined) formulas.initial = f.initial;
      if (f.transition !== undefined) formulas.transition = f.transition;
      if (f.emission !== undefined) formulas.emission = f.emission;
      if (f.selection !== undefined) formulas.selection = f.selection;
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
          read: { labels, ...panelReadOptions(f), onProgress: show ? progress.reading : undefined },
          starts,
          finish,
          seed,
          maxIter,
          tol,
          start,
          horizon,
          periodLength,
          onProgress: show ? progress.update : undefined,
          onPhase: show ? progress.phase : undefined,
          se,
          onSeProgress: show ? progress.se : undefined,
          threads,
          bootstrap: { replicates, type: bootstrapType },
          onBootstrapProgress: show ? progress.bootstrap : undefined,
          ...(classes ? { classes } : {}),
        });
      } finally {
        progress.done();
      }
      if (!f.quiet) for (const w of run.panelWarnings) io.err(`squeaky: warning: ${w}\n`);
      // The page goes into the output folder (one unit with the fit) when it is named inside it;
      // a page elsewhere is written on its own, whole or not at all, after the folder.
      const inFolder: FolderFile[] = [];
      const outside: OutputFile[] = [];
      if (htmlFile !== undefined) {
        const report = await buildReport(run.fit, { panel: run.panel, effects: run.effects, table: run.table, horizon, fitFile: join(f.out, 'fit.json') });
        if (resolve(dirname(htmlFile)) === resolve(f.out)) inFolder.push({ name: basename(htmlFile), content: report.html });
        else outside.push({ path: htmlFile, content: report.html });
      }
      if (show) progress.phase(`writing ${f.out}`);
      const written = await writeFitRun(run, f.out, inFolder);
      if (outside.length) {
        await writeFilesAtomic(outside);
        written.push(...outside.map((o) => o.path));
      }
      io.out(formatFitSummary(run.fit, run.table, run.effects, run.classEffects));
      if (run.selection) io.out('\n' + formatSelectionReport(run.selection));
      io.out(`\nWrote ${written.join(', ')}\n`);
    });
}
