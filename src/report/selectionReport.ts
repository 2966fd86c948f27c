/**
 * The selection model's report: whom the firm intervenes with, and what modelling that changes.
 *
 *   - Selection contrasts: the log-odds of an intervention in state 1 (worst) minus state k, at
 *     equal voice and history (the state intercepts of the selection logit differ by exactly that),
 *     with standard errors, z, p and 95% intervals from the fit's covariance (delta method, exact
 *     for a difference; bootstrap percentiles when the covariance is a bootstrap). A positive
 *     contrast: the firm answers worse-state customers more than their voice alone explains.
 *   - Channels with and without selection: every transition and emission coefficient of a term
 *     that reads the intervention, in the fit and in the same model fitted without the selection
 *     model (interventions taken as given), and the long-run (or horizon) channel totals of the
 *     effects report of both, so the change the selection model makes is on one screen.
 */
import { derivedIntervals } from '../estimation/inference/derivedIntervals.js';
import { normalTwoSidedP } from '../estimation/inference/distributions.js';
import { standardErrors, type Covariance } from '../estimation/inference/covariance.js';
import type { NamedParameters } from '../estimation/spec.js';
import type { EffectsReport } from './effectsTypes.js';
import { headlineVoices } from './effectsHeadline.js';
import type { EffectsBasis } from './fitFile.js';

/** The model without selection, fitted to the same panel for the comparison (saved in fit.json as `withoutSelection`). */
export interface WithoutSelectionFit {
  logLik: number;
  nParams: number;
  converged: boolean;
  parameters: NamedParameters;
  effectsBasis: EffectsBasis;
  covariance?: Covariance;
}

export interface SelectionContrast {
  /** e.g. 'state 1 - state 2'. */
  label: string;
  estimate: number;
  /** NaN when not available. */
  se: number;
  z: number;
  p: number;
  low: number;
  high: number;
}

export interface ChannelComparison {
  name: string;
  withSelection: number;
  withSelectionSe: number;
  withoutSelection: number;
  withoutSelectionSe: number;
}

export interface EffectComparison {
  voice: string;
  /** 'long run' or 'over H periods'. */
  span: string;
  channel: 'relationship' | 'propensity' | 'net';
  withSelection: number;
  withoutSelection: number;
}

export interface SelectionReport {
  formula: string;
  contrasts: SelectionContrast[];
  withoutSelection?: { logLik: number; nParams: number; converged: boolean };
  channels: ChannelComparison[];
  effects: EffectComparison[];
}

interface FitLike {
  spec: { nStates: number; formulas: { selection?: string } };
  parameters: NamedParameters;
  covariance?: Covariance;
  withoutSelection?: WithoutSelectionFit;
}

const seOf = (cov: Covariance | undefined, name: string): number => {
  if (!cov) return NaN;
  const i = cov.names.indexOf(name);
  return i < 0 ? NaN : standardErrors(cov)[i];
};

/** The report of a fit with a selection model (undefined without one); effects of the fit and of the fit without selection, when computed. */
export function selectionReport(fit: FitLike, effects?: EffectsReport, effectsWithout?: EffectsReport): SelectionReport | undefined {
  const formula = fit.spec.formulas.selection;
  if (formula === undefined) return undefined;
  const K = fit.spec.nStates;
  const names = fit.parameters.names;
  const theta = fit.parameters.values;
  const at = (k: number) => names.indexOf(`selection[${k + 1}]:(Intercept)`);
  const contrastsOf = (x: ArrayLike<number>) => Array.from({ length: K - 1 }, (_, j) => x[at(0)] - x[at(j + 1)]);
  const est = contrastsOf(theta);
  const cov = fit.covariance;
  const usable = cov !== undefined && cov.names.length === names.length && !cov.unavailable.some((u) => u.startsWith('selection['));
  const iv = usable ? derivedIntervals(contrastsOf, Float64Array.from(theta), cov) : undefined;
  const contrasts = est.map((e, j): SelectionContrast => {
    const se = iv ? iv[j].se : NaN;
    const z = e / se;
    return { label: `state 1 - state ${j + 2}`, estimate: e, se, z, p: Number.isFinite(z) ? normalTwoSidedP(z) : NaN, low: iv ? iv[j].low : NaN, high: iv ? iv[j].high : NaN };
  });
  const w = fit.withoutSelection;
  const channels: ChannelComparison[] = [];
  if (w) {
    names.forEach((n, i) => {
      if (!/^(transition|emission)/.test(n) || !n.includes('intervention')) return;
      const j = w.parameters.names.indexOf(n);
      if (j < 0) return;
      channels.push({ name: n, withSelection: theta[i], withSelectionSe: seOf(cov, n), withoutSelection: w.parameters.values[j], withoutSelectionSe: seOf(w.covariance, n) });
    });
  }
  const effectRows: EffectComparison[] = [];
  if (effects && effectsWithout) {
    const long = effects.longRun.effects !== undefined && effectsWithout.longRun.effects !== undefined;
    for (const voice of headlineVoices(effects)) {
      const a = long ? effects.longRun.effects![voice] : effects.net.effects[voice];
      const b = long ? effectsWithout.longRun.effects![voice] : effectsWithout.net.effects[voice];
      if (!a || !b) continue;
      for (const channel of ['relationship', 'propensity', 'net'] as const) {
        effectRows.push({ voice, span: long ? 'long run' : `over ${effects.horizon} periods`, channel, withSelection: a[channel], withoutSelection: b[channel] });
      }
    }
  }
  return {
    formula,
    contrasts,
    ...(w ? { withoutSelection: { logLik: w.logLik, nParams: w.nParams, converged: w.converged } } : {}),
    channels,
    effects: effectRows,
  };
}

const num = (x: number, d = 4): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const pText = (p: number): string => (!Number.isFinite(p) ? 'n/a' : p < 1e-4 ? '<0.0001' : p.toFixed(4));

/** The report as text (after the fit summary and in `squeaky effects`). */
export function formatSelectionReport(r: SelectionReport): string {
  const lines = [`Selection: whom the firm intervenes with (${r.formula})`];
  lines.push('  Log-odds of an intervention in state 1 (worst) minus state k, at equal voice and history:');
  lines.push(`  ${'contrast'.padEnd(20)} ${'estimate'.padStart(9)} ${'std. error'.padStart(10)} ${'z'.padStart(7)} ${'p'.padStart(8)}   95% interval`);
  for (const c of r.contrasts) {
    const ci = Number.isFinite(c.low) ? `[${num(c.low)}, ${num(c.high)}]` : 'n/a';
    lines.push(`  ${c.label.padEnd(20)} ${num(c.estimate).padStart(9)} ${num(c.se).padStart(10)} ${num(c.z, 2).padStart(7)} ${pText(c.p).padStart(8)}   ${ci}`);
  }
  const sig = r.contrasts.filter((c) => c.low > 0);
  if (r.contrasts.length === 0) lines.push('  (one state: there is no state to contrast; the selection model is a logit of the interventions on its terms)');
  else if (sig.length === r.contrasts.length) lines.push('  The firm answers worse-state customers more than their voice and history explain: interventions carry information about the state.');
  else if (r.contrasts.some((c) => c.high < 0)) lines.push('  The firm answers better-state customers more than their voice and history explain.');
  else if (r.contrasts.every((c) => Number.isFinite(c.low))) lines.push('  No clear selection on the state beyond voice and history: the intervals include 0.');
  if (r.withoutSelection) {
    const w = r.withoutSelection;
    lines.push('');
    lines.push(`Channels with and without the selection model (the model without it: log-likelihood of the voices given the interventions ${num(w.logLik)}, ${w.nParams} parameters${w.converged ? '' : ', not converged'}; not comparable with the joint log-likelihood)`);
    if (r.channels.length) {
      const wn = Math.max(9, ...r.channels.map((c) => c.name.length));
      lines.push(`  ${'parameter'.padEnd(wn)} ${'with selection'.padStart(22)} ${'without selection'.padStart(22)} ${'change'.padStart(9)}`);
      for (const c of r.channels) {
        const a = `${num(c.withSelection)} (${num(c.withSelectionSe)})`;
        const b = `${num(c.withoutSelection)} (${num(c.withoutSelectionSe)})`;
        lines.push(`  ${c.name.padEnd(wn)} ${a.padStart(22)} ${b.padStart(22)} ${num(c.withSelection - c.withoutSelection).padStart(9)}`);
      }
      lines.push('  (std. errors in parentheses)');
    }
    if (r.effects.length) {
      lines.push(`  Intervention effects per customer who complained (${r.effects[0].span}):`);
      for (const e of r.effects) lines.push(`    ${`${e.voice}s, ${e.channel}`.padEnd(28)} with selection ${num(e.withSelection, 3).padStart(7)}   without ${num(e.withoutSelection, 3).padStart(7)}`);
    }
  }
  return lines.join('\n') + '\n';
}
