import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption } from '../options.js';
import { loadFit } from '../../report/fitFile.js';
import { formatTable, parameterTable, TABLE_FORMATS } from '../../report/parameterTable.js';

export function tableCommand(io: CliIO): Command {
  return new Command('table')
    .description("re-emit a saved fit's parameter table")
    .argument('<fit>', 'fit.json written by squeaky fit')
    .option('--format <format>', `${TABLE_FORMATS.join(', ')}`, 'text')
    .addHelpText(
      'after',
      `
Examples:
  $ squeaky table squeaky-fit/fit.json
  $ squeaky table squeaky-fit/fit.json --format latex > parameters.tex`,
    )
    .action(async (file: string, f: { format: string }) => {
      const format = choiceOption('--format', f.format, TABLE_FORMATS) ?? 'text';
      const fit = await loadFit(file);
      io.out(formatTable(parameterTable(fit, { warnings: fit.warnings }), format));
    });
}
