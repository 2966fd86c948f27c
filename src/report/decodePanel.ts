import type { Panel } from '../data/panel.js';
import { decodeStates } from '../estimation/fit.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';
import { checkFitMatchesPanel } from './panelMatch.js';

/** Per customer-period state estimates of a panel under a fitted model. */
export interface DecodedStates {
  nStates: number;
  /** Posterior state probabilities, row-major [row*K + k]. */
  posterior: Float64Array;
  /** Most likely state path (Viterbi), 0-based, one per row. */
  viterbi: Int32Array;
}

/**
 * Posterior state probabilities and the Viterbi path of `panel` under a saved fit, after checking
 * that the fit applies to the panel (voice labels, columns its formulas read): InputError otherwise.
 */
export function decodePanel(fit: { spec: ModelSpec; parameters: NamedParameters }, panel: Panel, fitFile = 'the fit'): DecodedStates {
  checkFitMatchesPanel(fit.spec, panel, fitFile);
  return { nStates: fit.spec.nStates, ...decodeStates(panel, fit.spec, fit.parameters) };
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** states.csv: customer, period, voice, intervention, state (Viterbi, 1-based), p_state1..p_stateK. */
export function formatDecodedCsv(panel: Panel, d: DecodedStates): string {
  const K = d.nStates;
  const header = ['customer', 'period', 'voice', 'intervention', 'state', ...Array.from({ length: K }, (_, k) => `p_state${k + 1}`)];
  const lines = [header.join(',')];
  const iv = panel.columns.intervention;
  for (let i = 0; i < panel.customers.length; i++) {
    const id = csvField(panel.customers[i]);
    for (let r = panel.offsets[i]; r < panel.offsets[i + 1]; r++) {
      const v = panel.voice[r];
      const cells = [id, String(panel.period[r]), v >= 0 ? panel.voiceLabels[v] : '', iv ? String(iv[r]) : '', String(d.viterbi[r] + 1)];
      for (let k = 0; k < K; k++) cells.push(String(d.posterior[r * K + k]));
      lines.push(cells.join(','));
    }
  }
  return lines.join('\n') + '\n';
}
