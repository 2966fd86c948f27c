import type { Panel } from '../../data/panel.js';
import type { Rng } from '../rng.js';

/**
 * A nonparametric bootstrap sample of a panel: as many customers as the panel has, drawn with
 * replacement (customers are the independent units), each keeping all its rows, covariates and
 * interventions. Draw i is `rng.int(nCustomers)`, in order, so the sample depends only on the
 * stream. A customer drawn twice appears twice, with ids `id`, `id#2`, ... (ids stay distinct).
 */
export function resampleCustomers(panel: Panel, rng: Rng): Panel {
  const N = panel.offsets.length - 1;
  const { offsets } = panel;
  const pick = new Int32Array(N);
  let rows = 0;
  for (let i = 0; i < N; i++) {
    const c = rng.int(N);
    pick[i] = c;
    rows += offsets[c + 1] - offsets[c];
  }
  const outOffsets = new Int32Array(N + 1);
  const period = new Int32Array(rows);
  const voice = new Int32Array(rows);
  const names = Object.keys(panel.columns);
  const columns: Record<string, Float64Array> = {};
  for (const name of names) columns[name] = new Float64Array(rows);
  const copies = new Int32Array(N);
  const customers = new Array<string>(N);
  let r = 0;
  for (let i = 0; i < N; i++) {
    const c = pick[i];
    const a = offsets[c];
    const b = offsets[c + 1];
    period.set(panel.period.subarray(a, b), r);
    voice.set(panel.voice.subarray(a, b), r);
    for (const name of names) columns[name].set(panel.columns[name].subarray(a, b), r);
    r += b - a;
    outOffsets[i + 1] = r;
    copies[c]++;
    customers[i] = copies[c] === 1 ? panel.customers[c] : `${panel.customers[c]}#${copies[c]}`;
  }
  return { customers, offsets: outOffsets, period, voice, voiceLabels: panel.voiceLabels, columns, source: panel.source };
}
