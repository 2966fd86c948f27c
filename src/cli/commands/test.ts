import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption } from '../options.js';
import { UsageError } from '../../errors.js';
import { loadFit } from '../../report/fitFile.js';
import { splitPatterns, waldTest } from '../../report/waldTest.js';
import { likelihoodRatioOfFits } from '../../report/likelihoodRatioOfFits.js';
import { formatLikelihoodRatioText, formatWaldText } from '../../report/formatTests.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function testCommand(io: CliIO): Command {
  return new Command('test')
    .description('test hypotheses on saved fits: a joint Wald test of named parameters, or a likelihood-ratio test of two nested fits')
    .argument('<fit>', 'fit.json (with --wald), or the FULL model of a likelihood-ratio test')
    .argument('[restricted]', 'fit.json of the RESTRICTED model (likelihood-ratio test)')
    .option('--wald <parameters>', "parameters tested jointly = 0: names or globs ('*' any text, '?' one character), comma-separated; repeatable", collect)
    .option('--format <format>', 'text or json', 'text')
    .addHelpText(
      'after',
      `
The Wald test reads the covariance stored in the fit (fit --se observed, robust or bootstrap) and
refuses parameters without a standard error. The likelihood-ratio test needs two fits of the same
panel, the same states, voice labels, reference voice and transition type, and the restricted
model's terms a subset of the full model's in every block; df = difference in free parameters.

Examples:
  $ squeaky test squeaky-fit/fit.json --wald 'transition[1->*]:lag(intervention)'
  $ squeaky test squeaky-fit/fit.json --wald 'emission[*]:complaint:stock*' --wald 'transition[1->2]:lag(intervention)'
  $ squeaky fit data/example-panel.csv --emission '~ 1' --out no-propensity
  $ squeaky test squeaky-fit/fit.json no-propensity/fit.json`,
    )
    .action(async (file: string, restrictedFile: string | undefined, f: { wald?: string[]; format: string }) => {
      const format = choiceOption('--format', f.format, ['text', 'json'] as const) ?? 'text';
      if (f.wald && restrictedFile !== undefined) throw new UsageError('give either --wald with one fit, or two fits (FULL RESTRICTED) for a likelihood-ratio test, not both');
      if (!f.wald && restrictedFile === undefined) throw new UsageError('nothing to test: give --wald PARAMETERS, or a second fit (FULL RESTRICTED) for a likelihood-ratio test');
      if (f.wald) {
        const r = waldTest(await loadFit(file), splitPatterns(f.wald), file);
        io.out(format === 'json' ? JSON.stringify({ test: 'wald', ...r }, null, 2) + '\n' : formatWaldText(r));
        return;
      }
      const [full, restricted] = await Promise.all([loadFit(file), loadFit(restrictedFile!)]);
      const r = likelihoodRatioOfFits(full, restricted, { full: file, restricted: restrictedFile! });
      io.out(format === 'json' ? JSON.stringify({ test: 'likelihood-ratio', ...r }, null, 2) + '\n' : formatLikelihoodRatioText(r));
    });
}
