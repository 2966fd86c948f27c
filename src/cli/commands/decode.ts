import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { loadFit } from '../../report/fitFile.js';
import { decodePanel, formatDecodedCsv } from '../../report/decodePanel.js';
import { writeFileAtomic } from '../../report/writeAtomic.js';
import { readPanel } from '../../data/readPanel.js';
import { addPanelReadOptions, panelReadOptions, type PanelReadFlags } from '../panelOptions.js';

export function decodeCommand(io: CliIO): Command {
  const cmd = new Command('decode')
    .description('per customer-period posterior state probabilities and the most likely (Viterbi) state under a saved fit')
    .argument('<fit>', 'fit.json written by squeaky fit')
    .argument('<panel>', 'panel CSV with the voice labels and columns the fit uses')
    .option('--out <file>', 'CSV to write (default: stdout): customer, period, voice, intervention, state, p_state1..p_stateK; with a fit with classes also class, p_class1..p_classC')
    .option('--quiet', 'no reading warnings on stderr');
  return addPanelReadOptions(cmd)
    .addHelpText(
      'after',
      `
The panel is read with the fit's voice labels; every column the fit's formulas read must be present.
With a fit with latent classes (fit --classes), p_state is the posterior over classes and states,
class the customer's most probable class and p_class1..p_classC its posterior class probabilities;
state is the Viterbi path within that class.

Example:
  $ squeaky decode squeaky-fit/fit.json data/example-panel.csv --out states.csv`,
    )
    .action(async (fitFile: string, panelFile: string, f: PanelReadFlags & { out?: string; quiet?: boolean }) => {
      const fit = await loadFit(fitFile);
      const { panel, warnings } = await readPanel(panelFile, { ...panelReadOptions(f), labels: fit.spec.voiceLabels });
      if (!f.quiet) for (const w of warnings) io.err(`squeaky: warning: ${w}\n`);
      const csv = formatDecodedCsv(panel, decodePanel(fit, panel, fitFile));
      if (f.out === undefined) io.out(csv);
      else {
        await writeFileAtomic(f.out, csv, '--out');
        io.out(`Wrote ${f.out} (${panel.voice.length} rows, ${panel.customers.length} customers)\n`);
      }
    });
}
