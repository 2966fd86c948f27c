import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, intOption } from '../options.js';
import { addModelOptions, classOptions, modelOptionValues, progressLines, type ModelFlags } from '../modelOptions.js';
import { parseStatesList, runSelect } from '../../report/selection/runSelect.js';
import { writeSelection } from '../../report/selection/writeSelection.js';
import { formatComparisonText } from '../../report/comparisonTable.js';
import { UsageError } from '../../errors.js';

interface SelectFlags extends ModelFlags {
  states?: string;
  transitionType?: string;
  bootstrapLr?: string;
  channels?: boolean;
  classes?: string;
  classSpecific?: string;
  classFormula?: string;
}

export function selectCommand(io: CliIO): Command {
  const cmd = new Command('select')
    .description('choose the number of states: fit every K with the same formulas and options (in parallel) and compare AIC, both BICs and the ICL')
    .argument('<panel>', 'panel CSV (customer, period, voice, intervention, covariates...)')
    .option('--states <list>', 'numbers of states to fit: a range 1..6 or a list 2,3,5', '1..5')
    .option('--transition-type <type>', 'multinomial, ordered, or both (compared in one table) (default multinomial)');
  addModelOptions(cmd, 'squeaky-select', 'folder for the fits (DIR/K<k>/) and the table (DIR/selection.txt, .csv, .json, .md, .tex)')
    .option('--bootstrap-lr <B>', 'parametric bootstrap LR test of K against K + 1 states with B simulated panels (seeded by --seed)')
    .option('--channels', 'also compare the channels (as squeaky channels) at the K that BIC (n = voices) picks, into DIR/channels/')
    .option('--classes <list>', 'numbers of latent classes to fit at every K: a range 1..3 or a list 1,2 (default 1; as squeaky fit --classes)')
    .option('--class-specific <blocks>', 'with --classes: blocks with their own parameters in every class (as squeaky fit)')
    .option('--class-formula <formula>', "with --classes: class membership formula on customer-level columns (default '~ 1')")
    .addHelpText(
      'after',
      `
Every K is fitted exactly as 'squeaky fit --states K' with the same options would fit it, one
worker thread per model. BIC is given with n = observed voices and with n = customers; the ICL
adds twice the entropy of the posterior state paths to the first. The chi-square distribution is
not the reference of an LR test of K against K + 1 states; --bootstrap-lr B gives a parametric
bootstrap p-value instead (2 B fits per pair of consecutive K).

Examples:
  $ squeaky select data/example-panel.csv --states 1..5
  $ squeaky select panel.csv --states 2,3,5 --transition-type both --out sel
  $ squeaky select panel.csv --states 2..3 --bootstrap-lr 99 --threads 8 --out sel
  $ squeaky select panel.csv --states 2..3 --classes 1..3 --out sel-classes   # folders K2-C1 ... K3-C3`,
    )
    .action(async (panelFile: string, f: SelectFlags) => {
      const states = parseStatesList(f.states ?? '1..5');
      const type = choiceOption('--transition-type', f.transitionType, ['multinomial', 'ordered', 'both'] as const);
      const bootstrapLr = intOption('--bootstrap-lr', f.bootstrapLr, 1);
      const { fit, read, threads } = modelOptionValues(f);
      const classCounts = f.classes !== undefined ? parseStatesList(f.classes, '--classes', 'classes') : undefined;
      const classes = classOptions({ classSpecific: f.classSpecific, classFormula: f.classFormula });
      if (classes && !classCounts?.some((c) => c > 1)) throw new UsageError(`${f.classFormula !== undefined ? '--class-formula' : '--class-specific'} applies with --classes including 2 or more`);
      const r = await runSelect(panelFile, {
        ...fit,
        ...(classes ? { classes } : {}),
        ...(classCounts ? { classCounts } : {}),
        states,
        transitionTypes: type === 'both' ? ['multinomial', 'ordered'] : [type ?? 'multinomial'],
        threads,
        bootstrapLr,
        channels: f.channels,
        read,
        onProgress: progressLines(io, f),
      });
      if (!f.quiet) for (const w of r.panelWarnings) io.err(`squeaky: warning: ${w}\n`);
      const written = await writeSelection(r, f.out);
      io.out(formatComparisonText(r.table));
      if (r.channels) io.out('\n' + formatComparisonText(r.channels.table));
      io.out(`\nWrote ${written.length} files into ${f.out}/ (selection.txt, .csv, .json, .md, .tex; one folder per model)\n`);
    });
  return cmd;
}
