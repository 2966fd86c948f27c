import type { Panel } from '../data/panel.js';
import { decodeStates } from '../estimation/fit.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';
import { checkFitMatchesPanel } from './panelMatch.js';

/** Per customer-period state estimates of a panel under a fitted model. */
export interface DecodedStates {
  nStates: number;
  /** Posterior state probabilities, row-major [row*K + k]. */
  posterior: Float64Array;
  /** Most likely state path (Viterbi), 0-based, one per row (with classes: within the customer's most probable class). */
  viterbi: Int32Array;
  /** With latent classes: the number of classes and the posterior class probabilities per customer [customer*C + c]. */
  classes?: { nClasses: number; classPosterior: Float64Array };
}

/**
 * Posterior state probabilities and the Viterbi path of `panel` under a saved fit, after checking
 * that the fit applies to the panel (voice labels, columns its formulas read): InputError otherwise.
 */
export function decodePanel(fit: { spec: ModelSpec; parameters: NamedParameters }, panel: Panel, fitFile = 'the fit'): DecodedStates {
  checkFitMatchesPanel(fit.spec, panel, fitFile);
  const d = decodeStates(panel, fit.spec, fit.parameters);
  const out: DecodedStates = { nStates: fit.spec.nStates, posterior: d.posterior, viterbi: d.viterbi };
  if (d.classes) out.classes = { nClasses: d.classes.nClasses, classPosterior: d.classes.classPosterior };
  return out;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * states.csv: customer, period, voice, intervention, state (Viterbi, 1-based), p_state1..p_stateK;
 * with classes also class (the customer's most probable class, 1-based) and p_class1..p_classC
 * (the customer's posterior class probabilities, repeated on each of its rows).
 */
export function formatDecodedCsv(panel: Panel, d: DecodedStates): string {
  const K = d.nStates;
  const C = d.classes?.nClasses ?? 0;
  const header = ['customer', 'period', 'voice', 'intervention', 'state', ...Array.from({ length: K }, (_, k) => `p_state${k + 1}`)];
  if (C) header.push('class', ...Array.from({ length: C }, (_, c) => `p_class${c + 1}`));
  const lines = [header.join(',')];
  const iv = panel.columns.intervention;
  for (let i = 0; i < panel.customers.length; i++) {
    const id = csvField(panel.customers[i]);
    const classCells: string[] = [];
    if (C) {
      const p = d.classes!.classPosterior;
      let best = 0;
      for (let c = 1; c < C; c++) if (p[i * C + c] > p[i * C + best]) best = c;
      classCells.push(String(best + 1));
      for (let c = 0; c < C; c++) classCells.push(String(p[i * C + c]));
    }
    for (let r = panel.offsets[i]; r < panel.offsets[i + 1]; r++) {
      const v = panel.voice[r];
      const cells = [id, String(panel.period[r]), v >= 0 ? panel.voiceLabels[v] : '', iv ? String(iv[r]) : '', String(d.viterbi[r] + 1)];
      for (let k = 0; k < K; k++) cells.push(String(d.posterior[r * K + k]));
      cells.push(...classCells);
      lines.push(cells.join(','));
    }
  }
  return lines.join('\n') + '\n';
}
