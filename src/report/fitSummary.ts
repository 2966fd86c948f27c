import type { FitResult, StartResult } from '../estimation/fitTypes.js';
import type { EffectsReport } from './effects.js';
import { formatEffectsText } from './effects.js';
import { formatText, type ParameterTable } from './parameterTable.js';

function matrixText(rowLabel: string, rowNames: string[], colNames: string[], m: number[][]): string[] {
  const w0 = Math.max(rowLabel.length, ...rowNames.map((s) => s.length));
  const w = Math.max(8, ...colNames.map((s) => s.length));
  const lines = [`  ${rowLabel.padEnd(w0)}  ${colNames.map((c) => c.padStart(w)).join(' ')}`];
  m.forEach((row, i) => lines.push(`  ${rowNames[i].padEnd(w0)}  ${row.map((p) => p.toFixed(4).padStart(w)).join(' ')}`));
  return lines;
}

/** The header of a fit: data, model, fit statistics, starts. */
export function formatFitHeader(fit: FitResult): string {
  const d = fit.data;
  const s = fit.spec;
  const lines = [
    `squeaky ${fit.version}: ${s.nStates}-state model of ${d.source ?? 'the panel'}`,
    `Data: ${d.customers} customers, ${d.rows} rows (${d.observations} observed voices), periods ${d.periods.min}..${d.periods.max}, ${d.interventions} interventions`,
    `      voices: ${Object.entries(d.voiceCounts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `Model: initial ${s.formulas.initial}; transition ${s.formulas.transition} (${s.transitionType}); emission ${s.formulas.emission} (${emissionSlopes(fit)}reference voice ${s.referenceVoice})${s.formulas.selection !== undefined ? `; selection ${s.formulas.selection} (the firm's interventions: an intercept per state, shared slopes)` : ''}`,
    ...(s.classes ? [classLine(fit)] : []),
    `Log-likelihood ${fit.logLik.toFixed(4)}   parameters ${fit.nParams}   AIC ${fit.aic.toFixed(2)}   BIC ${fit.bic.toFixed(2)}`,
    `EM: ${fit.status}`,
  ];
  if (fit.starts.length > 1) {
    // A start stopped after its screening iterations (it trailed the best) is marked apart from one that ran out of iterations.
    const mark = (st: StartResult): string => (st.converged ? '' : st.screened ? '~' : '*');
    const legend = [
      fit.starts.some((st) => mark(st) === '~') ? '~ stopped after screening' : '',
      fit.starts.some((st) => mark(st) === '*') ? '* not converged' : '',
    ].filter((x) => x !== '');
    lines.push(`Starts (${fit.starts.length}; kept ${fit.bestStart + 1}): ` + fit.starts.map((st) => `${st.index + 1}:${st.kind} ${Number.isFinite(st.logLik) ? st.logLik.toFixed(2) : 'failed'}${mark(st)}`).join('  ') + (legend.length ? `   (${legend.join('; ')})` : ''));
    if (fit.finished !== undefined) lines.push(`Finished starts: ${fit.finished}; ${fit.reachedBest} reached the best log-likelihood (within 1e-6)`);

  }
  return lines.join('\n') + '\n';
}

/** The classes line of the header of a fit with latent classes. */
function classLine(fit: FitResult & { classes?: { shares: number[] } }): string {
  const cs = fit.spec.classes!;
  const shared = (['initial', 'transition', 'emission'] as const).filter((b) => !cs.specific.includes(b));
  const shares = fit.classes ? `; posterior shares ${fit.classes.shares.map((x, c) => `class ${c + 1} ${(100 * x).toFixed(1)}%`).join(', ')}` : '';
  return `Classes: ${cs.count} (membership ${cs.formula}; class-specific ${cs.specific.join(', ') || 'none'}${shared.length ? `; shared ${shared.join(', ')}` : ''})${shares}`;
}

/** Baseline (no intervention, covariates at sample means) transition and emission probabilities as matrices. */
export function formatBaselineMatrices(effects: EffectsReport): string {
  const states = Array.from({ length: effects.nStates }, (_, k) => `state ${k + 1}`);
  const lines = ['Baseline probabilities (no intervention, other covariates at sample means; state 1 = worst)', 'Transition (row: from, column: to next period)'];
  lines.push(...matrixText('from', states, states.map((s) => `to ${s.slice(6)}`), effects.relationship.transitionWithout));
  lines.push('Emission (row: state, column: voice)');
  lines.push(...matrixText('state', states, effects.voiceLabels, effects.propensity.emissionWithout));
  return lines.join('\n') + '\n';
}

/** The whole text summary `squeaky fit` prints: header, parameter table, baseline matrices, warnings, effects report. */
export function formatFitSummary(fit: FitResult, table: ParameterTable, effects?: EffectsReport, classEffects?: EffectsReport[]): string {
  const parts = [formatFitHeader(fit), formatText({ ...table, warnings: [] })];
  if (effects) parts.push(formatBaselineMatrices(effects));
  classEffects?.forEach((ce, c) => parts.push(`Class ${c + 1}: ${formatBaselineMatrices(ce)}`));
  if (table.warnings.length) parts.push(['Warnings', ...table.warnings.map((w, i) => `${i + 1}. ${w}`)].join('\n') + '\n');
  // The report's own warnings are in the footer above.
  if (effects) parts.push(formatEffectsText(effects, { warnings: false }));
  classEffects?.forEach((ce, c) => parts.push(`Class ${c + 1}\n${formatEffectsText(ce, { warnings: false })}`));
  return parts.join('\n');
}

/** How the emission slopes are laid out, or nothing when the emission formula has no slopes. */
function emissionSlopes(fit: Pick<FitResult, 'spec' | 'parameters'>): string {
  const hasSlopes = fit.parameters.names.some((n) => n.replace(/^class\[\d+\]\./, '').startsWith('emission') && !n.endsWith(':(Intercept)'));
  if (!hasSlopes) return '';
  return fit.spec.sharedSlopes ? 'slopes shared across states; ' : 'state-specific slopes; ';
}
