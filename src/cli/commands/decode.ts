import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { loadFit } from '../../report/fitFile.js';
import { decodePanel, formatDecodedCsv } from '../../report/decodePanel.js';
import { writeFileAtomic } from '../../report/writeAtomic.js';
import { readPanel } from '../../data/readPanel.js';

export function decodeCommand(io: CliIO): Command {
  return new Command('decode')
    .description('per customer-period posterior state probabilities and the most likely (Viterbi) state under a saved fit')
    .argument('<fit>', 'fit.json written by squeaky fit')
    .argument('<panel>', 'panel CSV with the voice labels and columns the fit uses')
    .option('--out <file>', 'CSV to write (default: stdout): customer, period, voice, intervention, state, p_state1..p_stateK')
    .option('--fill-gaps', "fill gaps in a customer's periods with missing-voice rows instead of failing")
    .option('--customer-col <name>', 'header name of the customer column (default customer)')
    .option('--period-col <name>', 'header name of the period column (default period)')
    .option('--voice-col <name>', 'header name of the voice column (default voice)')
    .option('--intervention-col <name>', 'header name of the intervention column (default intervention)')
    .option('--quiet', 'no reading warnings on stderr')
    .addHelpText(
      'after',
      `
The panel is read with the fit's voice labels; every column the fit's formulas read must be present.

Example:
  $ squeaky decode squeaky-fit/fit.json data/example-panel.csv --out states.csv`,
    )
    .action(async (fitFile: string, panelFile: string, f: { out?: string; fillGaps?: boolean; quiet?: boolean; customerCol?: string; periodCol?: string; voiceCol?: string; interventionCol?: string }) => {
      const fit = await loadFit(fitFile);
      const { panel, warnings } = await readPanel(panelFile, {
        labels: fit.spec.voiceLabels,
        fillGaps: f.fillGaps,
        columns: { customer: f.customerCol, period: f.periodCol, voice: f.voiceCol, intervention: f.interventionCol },
      });
      if (!f.quiet) for (const w of warnings) io.err(`squeaky: warning: ${w}\n`);
      const csv = formatDecodedCsv(panel, decodePanel(fit, panel, fitFile));
      if (f.out === undefined) io.out(csv);
      else {
        await writeFileAtomic(f.out, csv, '--out');
        io.out(`Wrote ${f.out} (${panel.voice.length} rows, ${panel.customers.length} customers)\n`);
      }
    });
}
