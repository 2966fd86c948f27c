/**
 * `squeaky channels`: does each channel belong in the model? Four fits with the same K, starts
 * and options: the full model, the model without the propensity channel (every emission term that
 * reads `intervention` removed), without the relationship channel (every such transition term
 * removed), and without either; a likelihood-ratio test of the full model against each, AIC and
 * BIC; and the naive-model bias: the intervention's net effect on expected complaints and
 * compliments as the propensity-free model estimates it, next to the full model's.
 */
import type { Panel } from '../../data/panel.js';
import { readPanel, type ReadPanelOptions } from '../../data/readPanel.js';
import { dropTermsReading, type DroppedTerms } from '../../data/dropTerms.js';
import { likelihoodRatioTest, type LikelihoodRatioTest } from '../../estimation/inference/likelihoodRatio.js';
import { UsageError } from '../../errors.js';
import { defaultThreads, runParallel } from '../../parallel/runParallel.js';
import { sharePanel } from '../../parallel/sharePanel.js';
import type { ComparisonTable } from '../comparisonTable.js';
import { specFor, type FitRun } from '../runFit.js';
import { FIT_JOB, type FitJobResult, type PlainFitOptions } from './fitJob.js';
import { biasSentences, channelEffectsOf, type ChannelEffects, type NetEffect } from './biasSentences.js';

export { biasSentences, channelEffectsOf, type ChannelEffects, type ChannelSplit, type NetEffect } from './biasSentences.js';

export const CHANNEL_MODELS = ['full', 'no-propensity', 'no-relationship', 'neither'] as const;
export type ChannelModel = (typeof CHANNEL_MODELS)[number];

export interface ChannelsOptions extends PlainFitOptions {
  threads?: number;
  read?: ReadPanelOptions;
  onProgress?: (line: string) => void;
}

export interface ChannelFit {
  model: ChannelModel;
  formulas: { transition: string; emission: string };
  run: FitRun;
  logLik: number;
  nParams: number;
  aic: number;
  bic: number;
  converged: boolean;
}

export interface ChannelTest extends LikelihoodRatioTest {
  /** The restricted model tested against the full one. */
  restricted: Exclude<ChannelModel, 'full'>;
  /** What the test asks, e.g. 'the propensity channel'. */
  channel: string;
}

export interface ChannelsResult {
  states: number;
  horizon: number;
  removed: { emission: DroppedTerms; transition: DroppedTerms };
  fits: ChannelFit[];
  tests: ChannelTest[];
  /** Net effect of one intervention over the horizon (expected counts, with minus without), by model; undefined without an effects report. */
  netEffects: Partial<Record<ChannelModel, NetEffect>>;
  /** The same by channel (relationship, propensity, net), over the horizon and in the long run, by model. */
  channelEffects: Partial<Record<ChannelModel, ChannelEffects>>;
  /** The naive-model bias in plain words. */
  bias: string[];
  table: ComparisonTable;
  warnings: string[];
}

/** The restricted formulas; UsageError naming the option when a formula has no intervention term. */
export function channelFormulas(emission: string, transition: string, columns: string[]): ChannelsResult['removed'] {
  const e = dropTermsReading(emission, 'intervention', columns);
  if (e.removed.length === 0) throw new UsageError(`--emission '${emission}' has no term reading intervention: there is no propensity channel to compare (e.g. --emission '~ stock(intervention, 0.8)')`);
  const t = dropTermsReading(transition, 'intervention', columns);
  if (t.removed.length === 0) throw new UsageError(`--transition '${transition}' has no term reading intervention: there is no relationship channel to compare (e.g. --transition '~ lag(intervention)')`);
  return { emission: e, transition: t };
}

const voiceNet = (run: FitRun, voice: string): number => run.effects?.net.effects[voice]?.net ?? NaN;

/** The channel comparison on a panel in memory; `fullRun` reuses a fit of the full model with the same options. */
export async function runChannelsOnPanel(panel: Panel, options: ChannelsOptions, fullRun?: FitRun): Promise<ChannelsResult> {
  const { threads: th, read: _r, onProgress, ...fitOptions } = options;
  const threads = th ?? defaultThreads();
  const spec = specFor(panel, fitOptions);
  if (spec.nStates < 2) throw new UsageError(`--states ${spec.nStates}: a one-state model has no transitions, hence no relationship channel to compare; use --states 2 or more`);
  const removed = channelFormulas(spec.formulas.emission, spec.formulas.transition, Object.keys(panel.columns));
  const formulas: Record<ChannelModel, { transition: string; emission: string }> = {
    full: { transition: spec.formulas.transition, emission: spec.formulas.emission },
    'no-propensity': { transition: spec.formulas.transition, emission: removed.emission.formula },
    'no-relationship': { transition: removed.transition.formula, emission: spec.formulas.emission },
    neither: { transition: removed.transition.formula, emission: removed.emission.formula },
  };
  const todo = CHANNEL_MODELS.filter((m) => !(m === 'full' && fullRun));
  onProgress?.(`channels: fitting ${todo.join(', ')} (K = ${spec.nStates}) on ${Math.min(threads, todo.length)} thread(s)`);
  const payloads: PlainFitOptions[] = todo.map((m) => ({ ...fitOptions, formulas: { ...fitOptions.formulas, ...formulas[m] } }));
  const results = await runParallel<PlainFitOptions, FitJobResult, Panel>(FIT_JOB, payloads, {
    threads,
    shared: sharePanel(panel),
    onDone: (i, n, total) => onProgress?.(`channels: ${todo[i]} fitted (${n}/${total})`),
  });
  const runs = new Map<ChannelModel, FitRun>(todo.map((m, i) => [m, results[i].run]));
  if (fullRun) runs.set('full', fullRun);
  const fits: ChannelFit[] = CHANNEL_MODELS.map((m) => {
    const run = runs.get(m)!;
    return { model: m, formulas: formulas[m], run, logLik: run.fit.logLik, nParams: run.fit.nParams, aic: run.fit.aic, bic: run.fit.bic, converged: run.fit.converged };
  });
  const full = fits[0];
  const warnings: string[] = [];
  const channelOf: Record<Exclude<ChannelModel, 'full'>, string> = { 'no-propensity': 'the propensity channel', 'no-relationship': 'the relationship channel', neither: 'both channels' };
  const tests: ChannelTest[] = fits.slice(1).map((f) => {
    const restricted = f.model as Exclude<ChannelModel, 'full'>;
    if (f.logLik > full.logLik + 1e-6) {
      warnings.push(`the ${restricted} model reached a higher log-likelihood (${f.logLik.toFixed(4)}) than the full model (${full.logLik.toFixed(4)}), which nests it: the full fit missed its maximum; use more --starts or --finish`);
    }
    const df = full.nParams - f.nParams;
    // With one state there are no transitions, hence no relationship parameters to remove.
    if (df < 1) return { restricted, channel: channelOf[restricted], statistic: NaN, df, p: NaN };
    return { restricted, channel: channelOf[restricted], ...likelihoodRatioTest(full.logLik, f.logLik, df) };
  });
  for (const f of fits) if (!f.converged) warnings.push(`the ${f.model} model did not converge: ${f.run.fit.status}`);
  const horizon = full.run.effects?.horizon ?? options.horizon ?? 30;
  const netEffects: Partial<Record<ChannelModel, NetEffect>> = {};
  const channelEffects: Partial<Record<ChannelModel, ChannelEffects>> = {};
  for (const f of fits) {
    if (!f.run.effects) continue;
    netEffects[f.model] = { complaint: voiceNet(f.run, 'complaint'), compliment: voiceNet(f.run, 'compliment') };
    channelEffects[f.model] = channelEffectsOf(f.run.effects);
  }
  const split = channelEffects.full && channelEffects['no-propensity'] ? { full: channelEffects.full, naive: channelEffects['no-propensity'] } : undefined;
  const bias = netEffects.full && netEffects['no-propensity'] ? biasSentences(netEffects.full, netEffects['no-propensity'], horizon, split) : ['No naive-model bias: the intervention-effect report could not be computed for these formulas (see the fits\' warnings).'];
  const table = channelsTable(spec.nStates, removed, fits, tests, netEffects, bias, warnings, horizon);
  return { states: spec.nStates, horizon, removed, fits, tests, netEffects, channelEffects, bias, table, warnings };
}

/** `squeaky channels`: read the panel and compare the channels. */
export async function runChannels(panelFile: string, options: ChannelsOptions): Promise<ChannelsResult & { panelWarnings: string[] }> {
  const { panel, warnings } = await readPanel(panelFile, options.read);
  return { ...(await runChannelsOnPanel(panel, options)), panelWarnings: warnings };
}

function channelsTable(
  K: number,
  removed: ChannelsResult['removed'],
  fits: ChannelFit[],
  tests: ChannelTest[],
  net: ChannelsResult['netEffects'],
  bias: string[],
  warnings: string[],
  horizon: number,
): ComparisonTable {
  const rows = fits.map((f, i) => {
    const t = i > 0 ? tests[i - 1] : undefined;
    return {
      model: f.model,
      transition: f.formulas.transition,
      emission: f.formulas.emission,
      log_likelihood: f.logLik,
      parameters: f.nParams,
      aic: f.aic,
      bic: f.bic,
      lr_statistic: t ? t.statistic : NaN,
      df: t ? t.df : NaN,
      p: t ? t.p : NaN,
      net_complaints: net[f.model]?.complaint ?? NaN,
      net_compliments: net[f.model]?.compliment ?? NaN,
      converged: f.converged,
    };
  });
  const notes = [
    `Removed from the emission formula (propensity channel): ${removed.emission.removed.join(', ')}; from the transition formula (relationship channel): ${removed.transition.removed.join(', ')}.`,
    ...tests.filter((t) => t.df >= 1).map((t) => `LR test of ${t.channel} (full model against ${t.restricted}): statistic ${t.statistic.toFixed(2)}, df ${t.df}, p ${t.p < 1e-4 ? '< 0.0001' : t.p.toFixed(4)} (chi-square).`),
    `net: change in expected complaints / compliments over ${horizon} periods after one intervention on a customer who complained (see the effects report).`,
    ...bias,
    ...warnings,
  ];
  return {
    title: `Channel comparison (K = ${K}; BIC with n = observed voices)`,
    columns: [
      { key: 'model', header: 'model' },
      { key: 'transition', header: 'transition' },
      { key: 'emission', header: 'emission' },
      { key: 'log_likelihood', header: 'log-likelihood' },
      { key: 'parameters', header: 'parameters', digits: 0 },
      { key: 'aic', header: 'AIC' },
      { key: 'bic', header: 'BIC' },
      { key: 'lr_statistic', header: 'LR' },
      { key: 'df', header: 'df', digits: 0 },
      { key: 'p', header: 'p', digits: 4 },
      { key: 'net_complaints', header: 'net complaints', digits: 3 },
      { key: 'net_compliments', header: 'net compliments', digits: 3 },
      { key: 'converged', header: 'converged' },
    ],
    rows,
    notes,
  };
}
