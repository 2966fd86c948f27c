import { Command, Option } from 'commander';
import type { CliIO } from '../io.js';
import { intOption } from '../options.js';
import { readPanel } from '../../data/readPanel.js';
import { formatPanelSummary, summarizePanel } from '../../data/summarizePanel.js';

const HELP = `
Checks a panel CSV (one row per customer and period) and prints a summary, or every problem found
(up to --max-errors, with a count of the rest), each with file, line, column, value and what was
expected. Exit status 2 when the panel has problems.

Rules:
  columns      customer, period, voice, intervention (names configurable), then numeric covariates
  customer     any non-empty text; customers are sorted by id (numerically when all are integers)
  period       whole number >= 0; one row per customer and period; consecutive within a customer
               (--fill-gaps fills a missing period with missing voice, intervention 0, covariates 0)
  voice        complaint, compliment, neutral, silent (case-insensitive) or the --labels set;
               empty or NA = missing observation
  intervention 0 or 1
  covariates   finite numbers; empty or NA is an error (only voice may be missing)
Rows may come in any order. BOM, CRLF, quoted fields and blank lines are handled.
Warnings (not errors): a customer with a single period, a declared label that never occurs.

Example:
  squeaky validate data/example-panel.csv
  squeaky validate tweets-panel.csv --labels angry,happy,quiet --customer-col user --fill-gaps
`;

export function parseLabels(s: string | undefined): string[] | undefined {
  if (s === undefined) return undefined;
  return s.split(',').map((x) => x.trim());
}

export function parseMaxErrors(s: string): number {
  return intOption('--max-errors', s, 1, 100000) as number;
}

interface ValidateFlags {
  labels?: string;
  customerCol: string;
  periodCol: string;
  voiceCol: string;
  interventionCol: string;
  fillGaps?: boolean;
  maxErrors: string;
  json?: boolean;
}

export function validateCommand(io: CliIO): Command {
  return new Command('validate')
    .description('check a panel CSV and summarise it (customers, periods, voice, interventions, covariates)')
    .argument('<file>', 'panel CSV')
    .option('--labels <list>', 'declared voice labels, comma-separated, in index order (default complaint,compliment,neutral,silent)')
    .option('--customer-col <name>', 'header name of the customer column', 'customer')
    .option('--period-col <name>', 'header name of the period column', 'period')
    .option('--voice-col <name>', 'header name of the voice column', 'voice')
    .option('--intervention-col <name>', 'header name of the intervention column', 'intervention')
    .option('--fill-gaps', 'fill missing periods as missing-voice rows with intervention 0 and covariates 0 instead of failing')
    .addOption(new Option('--max-errors <n>', 'list at most this many problems').default('20'))
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', HELP)
    .action(async (file: string, flags: ValidateFlags) => {
      const { panel, warnings } = await readPanel(file, {
        columns: { customer: flags.customerCol, period: flags.periodCol, voice: flags.voiceCol, intervention: flags.interventionCol },
        labels: parseLabels(flags.labels),
        fillGaps: Boolean(flags.fillGaps),
        maxErrors: parseMaxErrors(flags.maxErrors),
      });
      for (const w of warnings) io.err(`squeaky: warning: ${w}\n`);
      const summary = summarizePanel(panel);
      if (flags.json) io.out(JSON.stringify({ file, ...summary, warnings }, null, 2) + '\n');
      else io.out(formatPanelSummary(summary, file));
    });
}
