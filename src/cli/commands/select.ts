import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, intOption } from '../options.js';
import { addModelOptions, modelOptionValues, progressLines, type ModelFlags } from '../modelOptions.js';
import { parseStatesList, runSelect } from '../../report/selection/runSelect.js';
import { writeSelection } from '../../report/selection/writeSelection.js';
import { formatComparisonText } from '../../report/comparisonTable.js';

interface SelectFlags extends ModelFlags {
  states?: string;
  transitionType?: string;
  bootstrapLr?: string;
  channels?: boolean;
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
  $ squeaky select panel.csv --states 2..3 --bootstrap-lr 99 --threads 8 --out sel`,
    )
    .action(async (panelFile: string, f: SelectFlags) => {
      const states = parseStatesList(f.states ?? '1..5');
      const type = choiceOption('--transition-type', f.transitionType, ['multinomial', 'ordered', 'both'] as const);
      const bootstrapLr = intOption('--bootstrap-lr', f.bootstrapLr, 1);
      const { fit, read, threads } = modelOptionValues(f);
      const r = await runSelect(panelFile, {
        ...fit,
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
