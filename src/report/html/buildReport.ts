import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Panel } from '../../data/panel.js';
import { readPanel, type ReadPanelOptions } from '../../data/readPanel.js';
import { ModelError, UsageError } from '../../errors.js';
import { computeEffects, DEFAULT_HORIZON } from '../computeEffects.js';
import { decodePanel, type DecodedStates } from '../decodePanel.js';
import type { EffectsReport } from '../effects.js';
import { loadFit, type SavedFit } from '../fitFile.js';
import { checkFitMatchesPanel } from '../panelMatch.js';
import { parameterTable, type ParameterTable } from '../parameterTable.js';
import { writeFilesAtomic, type OutputFile } from '../writeAtomic.js';
import { timeUnit, type ChartFigure, type TimeUnit } from './chartStyle.js';
import type { PeriodLength } from '../effectsTypes.js';
import { interventionsChart, voiceSharesChart, voiceTotalsChart } from './dataCharts.js';
import { startTracesChart } from './fitCharts.js';
import { channelsCumulativeChart, channelsPerPeriodChart } from './channelCharts.js';
import { htmlPage, type PageSection } from './htmlPage.js';
import { panelFigures, type PanelFigures } from './panelFigures.js';
import { stateSharesChart, trajectoryChart } from './panelCharts.js';
import { policyOverTimeChart, policyTotalsChart, selectionChart } from './policyCharts.js';
import { loadPolicyReport, loadSelectionTable, type SelectionTable } from './reportInputs.js';
import { policySection, selectionSection } from './decisionSections.js';
import type { PolicyReport } from '../policy/policyReport.js';
import { renderCharts, standaloneSvg, type RenderedChart } from './renderCharts.js';
import { channelsSection, dataSection, fitSection, panelSection, statesSection } from './reportSections.js';
import { channelTotalsChart, longRunChart, transitionChart, voiceByStateChart } from './stateCharts.js';

/** File name of the report when none is given (`squeaky report --out`, `squeaky fit --html`). */
export const DEFAULT_REPORT_FILE = 'report.html';

export interface ReportOptions {
  /** The panel the fit is drawn against (posterior state shares, trajectories, voice over time); checked against the fit. */
  panel?: Panel;
  /** Its decoded states when already computed (else decoded here). */
  decoded?: DecodedStates;
  /** Horizon of the intervention-effect report (default 30). */
  horizon?: number;
  /** The effects report when already computed with this horizon (else computed here). */
  effects?: EffectsReport;
  /** The parameter table when already computed (else from the fit). */
  table?: ParameterTable;
  /** Length of one period for the time axes (default: the fit's, when it records one). */
  periodLength?: PeriodLength;
  /** Name of the fit file, for messages and the page's footer. */
  fitFile?: string;
  /** `squeaky policy --format json` output to show (the Policies section), with its file name. */
  policy?: { report: PolicyReport; file: string };
  /** A `squeaky select` table to show (the Model selection section), with its file name. */
  selection?: { table: SelectionTable; file: string };
}

/** The report page and its charts. */
export interface Report {
  html: string;
  charts: RenderedChart[];
  /** The headline sentences, as `squeaky fit` and `squeaky effects` print them. */
  headline: string[];
  sections: string[];
}

/** The chart specifications of a report, in page order (pure: no rendering). */
export function reportCharts(fit: SavedFit, effects: EffectsReport | undefined, figs: PanelFigures | undefined, unit: TimeUnit, extra: { policy?: PolicyReport; selection?: SelectionTable } = {}): ChartFigure[] {
  const charts: ChartFigure[] = [];
  if (figs) charts.push(voiceSharesChart(figs.aggregates, figs.voiceLabels, unit), interventionsChart(figs.aggregates, unit));
  else charts.push(voiceTotalsChart(fit.data, fit.spec.voiceLabels));
  if (fit.starts.length) charts.push(startTracesChart(fit));
  if (effects) {
    charts.push(transitionChart(effects), voiceByStateChart(effects), longRunChart(effects));
    charts.push(channelsPerPeriodChart(effects, unit), channelsCumulativeChart(effects, unit), channelTotalsChart(effects));
  }
  if (figs) {
    charts.push(stateSharesChart(figs.aggregates, fit.spec.nStates, unit));
    figs.trajectories.forEach((t, i) => charts.push(trajectoryChart(t, fit.spec.nStates, figs.voiceLabels, unit, i)));
  }
  if (extra.policy) charts.push(policyTotalsChart(extra.policy), policyOverTimeChart(extra.policy, unit));
  const sel = extra.selection ? selectionChart(extra.selection) : undefined;
  if (sel) charts.push(sel);
  return charts;
}

function panelNote(fit: SavedFit, panel: Panel): string | undefined {
  const rows = panel.voice.length;
  const customers = panel.offsets.length - 1;
  if (rows === fit.data.rows && customers === fit.data.customers) return undefined;
  return `The panel drawn here (${panel.source ?? 'given panel'}: ${customers} customers, ${rows} rows) is not the one the model was fitted to (${fit.data.customers} customers, ${fit.data.rows} rows); the figures over calendar time describe the panel given, the figures above the fitted data.`;
}

/** Build the report page of a fit (and, optionally, its panel). */
export async function buildReport(fit: SavedFit, options: ReportOptions = {}): Promise<Report> {
  const fitFile = options.fitFile ?? 'the fit';
  let effects = options.effects;
  let effectsProblem: string | undefined;
  if (!effects) {
    try {
      effects = computeEffects(fit, { horizon: options.horizon ?? DEFAULT_HORIZON });
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      effectsProblem = `No intervention-effect report: ${e.message}`;
    }
  }
  const table = options.table ?? parameterTable(fit, { warnings: fit.warnings });
  let figs: PanelFigures | undefined;
  if (options.panel) {
    const decoded = options.decoded ?? decodePanel(fit, options.panel, fitFile);
    figs = panelFigures(options.panel, decoded);
  }
  const unit = timeUnit(options.periodLength ?? fit.periodLength);
  const rendered = await renderCharts(reportCharts(fit, effects, figs, unit, { policy: options.policy?.report, selection: options.selection?.table }));
  const byName = new Map(rendered.map((c) => [c.name, c]));
  const intervalNote = table.hasStdErrors
    ? `Estimates with ${fit.covariance ? `${fit.covariance.method} ` : ''}standard errors, Wald z, two-sided p and 95% intervals${fit.covariance?.unavailable.length ? `; n/a: no standard error (${fit.covariance.unavailable.length} parameter${fit.covariance.unavailable.length === 1 ? '' : 's'}, see the warnings)` : ''}.`
    : 'Estimates only: this fit has no covariance (fitted with --se none, or by an older version), so there are no standard errors or intervals.';
  const sections: PageSection[] = [
    dataSection(fit, byName, options.panel ? panelNote(fit, options.panel) : 'Give the panel to see voices and interventions over calendar time.'),
    fitSection(fit, table, byName, intervalNote),
    statesSection(effects, byName, effectsProblem),
    channelsSection(effects, byName, effectsProblem),
    panelSection(figs, byName),
  ];
  if (options.policy) sections.push(policySection(options.policy.report, byName, options.policy.file));
  if (options.selection) sections.push(selectionSection(options.selection.table, byName, options.selection.file));
  const headline = effects?.summary ?? [];
  const html = htmlPage({
    title: `squeaky report: ${fit.spec.nStates}-state model of ${fit.data.source ?? 'the panel'}`,
    meta: `${fit.data.customers.toLocaleString('en-US')} customers, periods ${fit.data.periods.min}..${fit.data.periods.max}; log-likelihood ${fit.logLik.toFixed(2)}; fitted by squeaky ${fit.version}`,
    headline,
    sections,
    footer: `Made by squeaky from ${fitFile}${options.panel ? ` and ${options.panel.source ?? 'the panel'}` : ''}. Charts are Vega-Lite specifications rendered to SVG; squeaky report --figures DIR writes each as SVG and JSON.`,
  });
  return { html, charts: rendered, headline, sections: sections.map((s) => s.id) };
}

/** The files of a report: the page, and with a figures folder every chart as NAME.svg and NAME.vl.json. */
export function reportFiles(report: Report, out: string, figuresDir?: string): OutputFile[] {
  const files: OutputFile[] = [{ path: out, content: report.html, option: '--out' }];
  if (figuresDir !== undefined) {
    for (const c of report.charts) {
      files.push({ path: join(figuresDir, `${c.name}.svg`), content: standaloneSvg(c.svg), option: '--figures' });
      files.push({ path: join(figuresDir, `${c.name}.vl.json`), content: JSON.stringify(c.spec, null, 2) + '\n', option: '--figures' });
    }
  }
  return files;
}

export interface RunReportOptions extends Omit<ReportOptions, 'panel' | 'decoded' | 'effects' | 'table' | 'fitFile' | 'policy' | 'selection'> {
  /** `squeaky policy --format json` output to show. */
  policyFile?: string;
  /** `squeaky select` table JSON to show (selection.json or channels.json). */
  selectFile?: string;
  /** How the panel is read (columns, gap filling); the voice labels are the fit's. */
  read?: Omit<ReadPanelOptions, 'labels'>;
}

/**
 * `squeaky report FIT.json [PANEL.csv]`: load and check the fit, read the panel with the fit's voice
 * labels and check that it matches the fit, then build the page. Nothing is written here.
 */
export async function runReport(fitFile: string, panelFile: string | undefined, options: RunReportOptions = {}): Promise<{ report: Report; panelWarnings: string[] }> {
  const fit = await loadFit(fitFile);
  if (fit.spec.classes) throw new UsageError(`${fitFile} is a fit with ${fit.spec.classes.count} latent classes: the HTML report is not supported with classes yet (squeaky table and squeaky effects are)`);
  // Every input is read and checked before any work.
  const policy = options.policyFile !== undefined ? { report: await loadPolicyReport(options.policyFile), file: options.policyFile } : undefined;
  const selection = options.selectFile !== undefined ? { table: await loadSelectionTable(options.selectFile), file: options.selectFile } : undefined;
  let panel: Panel | undefined;
  let panelWarnings: string[] = [];
  if (panelFile !== undefined) {
    const r = await readPanel(panelFile, { ...options.read, labels: fit.spec.voiceLabels });
    panel = r.panel;
    panelWarnings = r.warnings;
    checkFitMatchesPanel(fit.spec, panel, fitFile, panelFile);
  }
  const report = await buildReport(fit, { ...options, panel, fitFile, policy, selection });
  return { report, panelWarnings };
}

/**
 * Write a report's files whole or not at all. The figures folder is made when missing (and
 * removed again if the write fails). Returns the paths written.
 */
export async function writeReport(report: Report, out: string, figuresDir?: string): Promise<string[]> {
  const files = reportFiles(report, out, figuresDir);
  const made = figuresDir !== undefined ? await mkdirOrRefuse(figuresDir) : undefined;
  try {
    await writeFilesAtomic(files);
  } catch (e) {
    if (made !== undefined) await rm(made, { recursive: true, force: true });
    throw e;
  }
  return files.map((f) => f.path);
}

/** mkdir -p; the first folder it made (undefined when it existed); UsageError naming --figures when the file system refuses. */
async function mkdirOrRefuse(dir: string): Promise<string | undefined> {
  try {
    return await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`--figures ${dir}: cannot make the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was written`);
  }
}
