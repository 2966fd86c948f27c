/**
 * Likelihood-ratio test of two saved fits, a restricted model nested in a full one. The fits must
 * describe the same panel (identical data summaries: customers, rows, observed voices, periods,
 * voice counts, interventions) with the same model frame (number of states, voice labels,
 * reference voice, transition type), and every term of the restricted model's formulas must be a
 * term of the full model's formula of the same block (slopes shared across states nest in
 * state-specific ones, not the reverse). df = difference in free parameters.
 */
import { UsageError } from '../errors.js';
import { likelihoodRatioTest } from '../estimation/inference/likelihoodRatio.js';
import type { DataSummary } from '../estimation/fitTypes.js';
import type { SavedFit } from './fitFile.js';
import { parseParameterName } from './parameterName.js';

export interface LikelihoodRatioResult {
  full: { file: string; logLik: number; nParams: number };
  restricted: { file: string; logLik: number; nParams: number };
  statistic: number;
  df: number;
  p: number;
  /** Cautions (a fit that did not converge, a restricted fit above the full one). */
  notes: string[];
}

const BLOCKS = ['initial', 'transition', 'emission'] as const;

function summaryKey(d: DataSummary): string {
  const counts = Object.keys(d.voiceCounts).sort().map((k) => `${k} ${d.voiceCounts[k]}`).join(', ');
  return `${d.customers} customers, ${d.rows} rows, ${d.observations} observed voices, periods ${d.periods.min}..${d.periods.max}, ${d.interventions} interventions, voices ${counts}`;
}

/** Terms of each block, read from the parameter names (thresholds of ordered transitions excluded). */
function termsOf(fit: SavedFit): Record<(typeof BLOCKS)[number], Set<string>> {
  const out = { initial: new Set<string>(), transition: new Set<string>(), emission: new Set<string>() };
  for (const name of fit.parameters.names) {
    const p = parseParameterName(name);
    if (!p || p.block === 'membership' || p.block === 'selection' || /^cut\[/.test(p.term)) continue;
    out[p.block].add(p.term.replace(/\s+/g, ''));
  }
  return out;
}

/** Why `restricted` is not nested in `full` (empty when it is). */
export function nestingProblems(full: SavedFit, restricted: SavedFit): string[] {
  const problems: string[] = [];
  const a = full.spec;
  const b = restricted.spec;
  if (a.nStates !== b.nStates) problems.push(`the numbers of states differ (${a.nStates} and ${b.nStates}): models with different numbers of states are not nested in the sense the chi-square test needs`);
  const la = a.voiceLabels.map((l) => l.toLowerCase()).join(',');
  const lb = b.voiceLabels.map((l) => l.toLowerCase()).join(',');
  if (la !== lb) problems.push(`the voice labels differ (${a.voiceLabels.join(', ')} and ${b.voiceLabels.join(', ')})`);
  if (a.referenceVoice.toLowerCase() !== b.referenceVoice.toLowerCase()) problems.push(`the reference voices differ (${a.referenceVoice} and ${b.referenceVoice})`);
  if (a.transitionType !== b.transitionType) problems.push(`the transition types differ (${a.transitionType} and ${b.transitionType})`);
  const sa = a.formulas.selection !== undefined;
  if (sa !== (b.formulas.selection !== undefined)) {
    problems.push(`only the ${sa ? 'full' : 'restricted'} model has a selection model: its likelihood is of the voices and the interventions, the other's of the voices given the interventions, so the two are not comparable`);
  }
  if (a.sharedSlopes && !b.sharedSlopes) problems.push('the full model shares emission slopes across states and the restricted one does not: state-specific slopes do not nest in shared ones');
  const ca = a.classes?.count ?? 1;
  const cb = b.classes?.count ?? 1;
  if (ca !== cb) problems.push(`the numbers of classes differ (${ca} and ${cb}): fewer classes put parameters on the boundary, where the chi-square reference does not hold; compare them by BIC (squeaky select --classes)`);
  else if (a.classes && b.classes && (a.classes.specific.join(',') !== b.classes.specific.join(',') || a.classes.formula.replace(/\s+/g, '') !== b.classes.formula.replace(/\s+/g, ''))) {
    problems.push(`the class models differ (class-specific ${a.classes.specific.join(',')} with membership ${a.classes.formula}, and ${b.classes.specific.join(',')} with ${b.classes.formula}): test nested class models by refitting with the same class options`);
  }
  const ta = termsOf(full);
  const tb = termsOf(restricted);
  for (const block of BLOCKS) {
    const extra = [...tb[block]].filter((t) => !ta[block].has(t));
    if (extra.length) problems.push(`the restricted ${block} formula has term${extra.length === 1 ? '' : 's'} ${extra.join(', ')} that the full one (${a.formulas[block]}) lacks`);
  }
  return problems;
}

/** LR test of `restricted` (nested) against `full`; UsageError naming every reason when the pair cannot be tested. */
export function likelihoodRatioOfFits(full: SavedFit, restricted: SavedFit, files: { full: string; restricted: string } = { full: 'FULL', restricted: 'RESTRICTED' }): LikelihoodRatioResult {
  const reasons: string[] = [];
  const da = summaryKey(full.data);
  const db = summaryKey(restricted.data);
  if (da !== db) {
    const src = (d: DataSummary) => (d.source ? ` (${d.source})` : '');
    reasons.push(`they were fitted to different panels: ${files.full}${src(full.data)} has ${da}; ${files.restricted}${src(restricted.data)} has ${db}`);
  }
  reasons.push(...nestingProblems(full, restricted));
  const df = full.nParams - restricted.nParams;
  if (reasons.length === 0 && df < 1) reasons.push(`the restricted model has ${restricted.nParams} free parameters, not fewer than the full model's ${full.nParams}: give the larger model first`);
  if (!Number.isFinite(full.logLik) || !Number.isFinite(restricted.logLik)) reasons.push('a log-likelihood is not finite');
  if (reasons.length) throw new UsageError(`cannot compare ${files.full} and ${files.restricted} by a likelihood-ratio test: ${reasons.join('; ')}`);
  const notes: string[] = [];
  for (const [f, file] of [[full, files.full], [restricted, files.restricted]] as const) {
    if (!f.converged) notes.push(`${file} did not converge (${f.status}): the statistic may be off`);
  }
  if (restricted.logLik > full.logLik + 1e-6 * Math.max(1, Math.abs(full.logLik))) {
    notes.push(`the restricted fit's log-likelihood is above the full fit's: the full fit stopped at a local maximum (refit it with more --starts); the statistic is set to 0`);
  }
  const t = likelihoodRatioTest(full.logLik, restricted.logLik, df);
  return {
    full: { file: files.full, logLik: full.logLik, nParams: full.nParams },
    restricted: { file: files.restricted, logLik: restricted.logLik, nParams: restricted.nParams },
    ...t,
    notes,
  };
}
