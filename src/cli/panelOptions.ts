import type { Command } from 'commander';
import type { ReadPanelOptions } from '../data/readPanel.js';

/** How commands that read a panel against a saved fit are told its columns (the voice labels are the fit's). */
export interface PanelReadFlags {
  fillGaps?: boolean;
  customerCol?: string;
  periodCol?: string;
  voiceCol?: string;
  interventionCol?: string;
}

/** Add --fill-gaps and the column-name options to a command. */
export function addPanelReadOptions(cmd: Command): Command {
  return cmd
    .option('--fill-gaps', "fill gaps in a customer's periods with missing-voice rows (intervention 0) instead of failing")
    .option('--customer-col <name>', 'header name of the customer column (default customer)')
    .option('--period-col <name>', 'header name of the period column (default period)')
    .option('--voice-col <name>', 'header name of the voice column (default voice)')
    .option('--intervention-col <name>', 'header name of the intervention column (default intervention)');
}

/** The reading options from those flags. */
export function panelReadOptions(f: PanelReadFlags): Omit<ReadPanelOptions, 'labels'> {
  return { fillGaps: f.fillGaps, columns: { customer: f.customerCol, period: f.periodCol, voice: f.voiceCol, intervention: f.interventionCol } };
}
