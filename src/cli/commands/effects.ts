import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, intOption } from '../options.js';
import { loadFit } from '../../report/fitFile.js';
import { computeEffects, DEFAULT_HORIZON } from '../../report/computeEffects.js';
import { formatEffectsText } from '../../report/effects.js';

export function effectsCommand(io: CliIO): Command {
  return new Command('effects')
    .description("re-emit a saved fit's intervention-effect report: relationship channel vs propensity channel")
    .argument('<fit>', 'fit.json written by squeaky fit')
    .option('--horizon <H>', `periods counted after the complaint (default ${DEFAULT_HORIZON})`)
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
The report follows a customer who complained in period 0, with one intervention in period 0 versus
none, other covariates at their sample means, starting from the state mix of complaining customers
in the fitted panel; all figures are exact (state distributions propagated, no simulation).

Examples:
  $ squeaky effects squeaky-fit/fit.json
  $ squeaky effects squeaky-fit/fit.json --horizon 7 --format json`,
    )
    .action(async (file: string, f: { horizon?: string; format: string }) => {
      const horizon = intOption('--horizon', f.horizon, 1);
      const format = choiceOption('--format', f.format, ['text', 'json'] as const) ?? 'text';
      const fit = await loadFit(file);
      const report = computeEffects(fit, { horizon });
      io.out(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatEffectsText(report));
    });
}
