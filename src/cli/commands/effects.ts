import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, intOption } from '../options.js';
import { loadFit } from '../../report/fitFile.js';
import { computeEffects, DEFAULT_HORIZON, MAX_HORIZON } from '../../report/computeEffects.js';
import { formatEffectsText } from '../../report/effects.js';
import { parsePeriodLength } from '../../report/periodLength.js';
import { formatSelectionReport } from '../../report/selectionReport.js';
import { classFit } from '../../report/classFits.js';
import { classEffectsJson, selectionReportOf } from '../../report/runFit.js';

export function effectsCommand(io: CliIO): Command {
  return new Command('effects')
    .description("re-emit a saved fit's intervention-effect report: relationship channel vs propensity channel")
    .argument('<fit>', 'fit.json written by squeaky fit')
    .option('--horizon <H>', `periods shown after the complaint (default ${DEFAULT_HORIZON}; at most ${MAX_HORIZON}, and not far past where the report has converged)`)
    .option('--format <format>', 'text or json', 'text')
    .option('--period-length <p>', "length of one period: day, week or Nh (default: the fit's, when it knows it)")
    .addHelpText(
      'after',
      `
The report follows a customer who complained in period 0, with one intervention in period 0 versus
none, other covariates at their sample means, starting from the state mix of complaining customers
in the fitted panel; all figures are exact (state distributions propagated, no simulation).

It shows, for periods h = 1..H after the complaint, the expected complaints and compliments
cumulated over periods 1..h without intervention and the effect of each channel: relationship
(intervened transitions only), propensity (intervened voice probabilities only), their interaction
and the net (relationship + propensity + interaction = net); and the long-run total, the limit of
the cumulative effects as H grows (computed exactly; the report says when it does not exist). The
headline sentence uses the long-run total, with the value at H next to it; horizons are stated in
days or weeks when the fit knows its period length (fit --period-length, or a panel made by
squeaky prepare).

When the fit has a covariance (fit --se), every figure has a 95% interval: delta method, or
bootstrap percentiles when the fit was bootstrapped; an interval including zero is said in words
("the data do not settle the sign"). --format json writes every figure per period with its
interval (the EffectsReport type, the same as effects.json). A fit with latent classes gets one
report per class (json: { classes: [{ class, share, report }] }). A fit with a selection model
(fit --selection) adds its selection report: the state contrasts of the firm's intervention logit
and the channels with and without the selection model (JSON: key "selection").

Examples:
  $ squeaky effects squeaky-fit/fit.json
  $ squeaky effects squeaky-fit/fit.json --horizon 7 --format json
  $ squeaky effects squeaky-fit/fit.json --horizon 12 --period-length week
  $ squeaky effects squeaky-fit/fit.json --horizon 365 --format json > effects-year.json`,
    )
    .action(async (file: string, f: { horizon?: string; format: string; periodLength?: string }) => {
      const horizon = intOption('--horizon', f.horizon, 1);
      const format = choiceOption('--format', f.format, ['text', 'json'] as const) ?? 'text';
      const periodLength = f.periodLength !== undefined ? parsePeriodLength('--period-length', f.periodLength) : undefined;
      const loaded = await loadFit(file);
      const fit = periodLength ? { ...loaded, periodLength } : loaded;
      if (fit.spec.classes) {
        // one report per latent class (each class's own parameters and complaint-row state mix)
        const reports = Array.from({ length: fit.spec.classes.count }, (_, c) => computeEffects(classFit(fit, c), { horizon }));
        if (format === 'json') io.out(JSON.stringify(classEffectsJson(fit, reports), null, 2) + '\n');
        else io.out(reports.map((r, c) => `Class ${c + 1}${fit.classes ? ` (posterior share ${(100 * fit.classes.shares[c]).toFixed(1)}%)` : ''}\n${formatEffectsText(r)}`).join('\n'));
        return;
      }
      const report = computeEffects(fit, { horizon });
      // a fit with a selection model: also whom the firm selects and the channels without selection
      const selection = selectionReportOf(fit, report, horizon ?? DEFAULT_HORIZON);
      if (format === 'json') io.out(JSON.stringify(selection ? { ...report, selection } : report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) && selection ? null : v), 2) + '\n');
      else io.out(formatEffectsText(report) + (selection ? '\n' + formatSelectionReport(selection) : ''));
    });
}
