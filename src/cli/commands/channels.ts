import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, intOption } from '../options.js';
import { addModelOptions, modelOptionValues, progressLines, type ModelFlags } from '../modelOptions.js';
import { runChannels } from '../../report/selection/runChannels.js';
import { writeChannels } from '../../report/selection/writeSelection.js';
import { formatComparisonText } from '../../report/comparisonTable.js';
import { DEFAULT_STATES } from '../../report/runFit.js';

interface ChannelsFlags extends ModelFlags {
  states?: string;
  transitionType?: string;
}

export function channelsCommand(io: CliIO): Command {
  const cmd = new Command('channels')
    .description('does each channel belong in the model? fit the full model, the model without the propensity channel, without the relationship channel and without either; LR tests, AIC/BIC and the naive-model bias')
    .argument('<panel>', 'panel CSV (customer, period, voice, intervention, covariates...)')
    .option('--states <K>', `number of relationship states (default ${DEFAULT_STATES})`)
    .option('--transition-type <type>', 'multinomial or ordered (default multinomial)');
  addModelOptions(cmd, 'squeaky-channels', 'folder for the four fits (DIR/full/, DIR/no-propensity/, ...) and the table (DIR/channels.txt, .csv, .json, .md, .tex)').addHelpText(
    'after',
    `
The propensity channel is every emission term that reads intervention, the relationship channel
every transition term that reads it; both are removed by parsing the formulas, and the output
lists what was removed. Each restricted model is tested against the full model (likelihood
ratio, chi-square with df = the parameters removed). The naive-model bias sets the net effect of
an intervention on expected complaints and compliments, as the model without the propensity
channel estimates it, next to the full model's; then the two models' relationship channels (the
propensity-free model reads complaints the propensity channel creates as worse states, and so
understates the relationship improvement), the propensity channel the full model's net figure
adds, and the long-run totals.

Examples:
  $ squeaky channels data/example-panel.csv
  $ squeaky channels panel.csv --states 2 --emission "~ stock(intervention, 0.8) + log1p(friends_complaints)" --out ch`,
  ).action(async (panelFile: string, f: ChannelsFlags) => {
    const states = intOption('--states', f.states, 1);
    const transitionType = choiceOption('--transition-type', f.transitionType, ['multinomial', 'ordered'] as const);
    const { fit, read, threads } = modelOptionValues(f);
    const r = await runChannels(panelFile, { ...fit, states, transitionType, threads, read, onProgress: progressLines(io, f) });
    if (!f.quiet) for (const w of r.panelWarnings) io.err(`squeaky: warning: ${w}\n`);
    const written = await writeChannels(r, f.out);
    io.out(formatComparisonText(r.table));
    io.out(`\nWrote ${written.length} files into ${f.out}/ (channels.txt, .csv, .json, .md, .tex; one folder per model)\n`);
  });
  return cmd;
}
