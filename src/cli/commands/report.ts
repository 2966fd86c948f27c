import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { intOption } from '../options.js';
import { parsePeriodLength } from '../../report/periodLength.js';
import { addPanelReadOptions, panelReadOptions, type PanelReadFlags } from '../panelOptions.js';
import { DEFAULT_HORIZON } from '../../report/computeEffects.js';
import { DEFAULT_REPORT_FILE, runReport, writeReport } from '../../report/html/buildReport.js';

interface ReportFlags extends PanelReadFlags {
  out: string;
  figures?: string;
  horizon?: string;
  periodLength?: string;
  quiet?: boolean;
  policy?: string;
  select?: string;
}

export function reportCommand(io: CliIO): Command {
  const cmd = new Command('report')
    .description('one self-contained HTML page of a saved fit (data, fit, states, both channels; with the panel: states over time and customer trajectories)')
    .argument('<fit>', 'fit.json written by squeaky fit')
    .argument('[panel]', 'the panel CSV (optional): adds voice and interventions over calendar time, posterior state shares and decoded trajectories')
    .option('--out <file>', 'HTML file to write', DEFAULT_REPORT_FILE)
    .option('--figures <dir>', 'also write every chart as a standalone SVG and its Vega-Lite JSON into this folder')
    .option('--horizon <H>', `periods counted in the intervention-effect charts (default ${DEFAULT_HORIZON})`)
    .option('--period-length <p>', "length of one period for the time axes: day, week or Nh (default: the one recorded in fit.json, if any)")
    .option('--policy <file>', "add a Policies section from 'squeaky policy ... --format json' output")
    .option('--select <file>', "add a Model selection section from a 'squeaky select' table (DIR/selection.json or DIR/channels/channels.json)")
    .option('--quiet', 'no reading warnings on stderr');
  return addPanelReadOptions(cmd)
    .addHelpText(
      'after',
      `
The page has no scripts and fetches nothing: styles and charts (SVG) are inline, so it opens from
a file:// URL or an e-mail attachment, offline, and prints. The panel is read with the fit's voice
labels and must have every column the fit's formulas read.

Examples:
  $ squeaky report squeaky-fit/fit.json --out report.html
  $ squeaky report squeaky-fit/fit.json data/example-panel.csv --period-length day --out report.html
  $ squeaky report squeaky-fit/fit.json data/example-panel.csv --figures figures   # SVG + Vega-Lite JSON per chart
  $ squeaky policy squeaky-fit/fit.json data/example-panel.csv --out policy.json
  $ squeaky select data/example-panel.csv --states 1..4 --out sel
  $ squeaky report squeaky-fit/fit.json data/example-panel.csv --policy policy.json --select sel/selection.json`,
    )
    .action(async (fitFile: string, panelFile: string | undefined, f: ReportFlags) => {
      const horizon = intOption('--horizon', f.horizon, 1);
      const periodLength = f.periodLength !== undefined ? parsePeriodLength('--period-length', f.periodLength) : undefined;
      const { report, panelWarnings } = await runReport(fitFile, panelFile, {
        horizon,
        periodLength,
        policyFile: f.policy,
        selectFile: f.select,
        read: panelReadOptions(f),
      });
      if (!f.quiet) for (const w of panelWarnings) io.err(`squeaky: warning: ${w}\n`);
      const written = await writeReport(report, f.out, f.figures);
      io.out(`Wrote ${f.out} (${(Buffer.byteLength(report.html) / 1024).toFixed(0)} KiB, ${report.charts.length} charts)${f.figures !== undefined ? ` and ${written.length - 1} figure files in ${f.figures}` : ''}\n`);
    });
}
