import { simulate, type SimulationPolicy, type SimulationResult } from '../estimation/simulate.js';
import { panelCsv } from '../data/writePanel.js';
import { loadModelSource } from './modelSource.js';
import { writeFilesAtomic, type OutputFile } from './writeAtomic.js';

/** True states as CSV: customer, period, state (1-based). */
export function formatStatesCsv(r: SimulationResult): string {
  const lines = ['customer,period,state'];
  const p = r.panel;
  for (let i = 0; i < p.customers.length; i++) {
    for (let row = p.offsets[i]; row < p.offsets[i + 1]; row++) lines.push(`${p.customers[i]},${p.period[row]},${r.states[row] + 1}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `squeaky simulate`: a panel from a saved fit or truth file, written to `out` (and the true
 * states to `statesOut` when given). Both are written in full before either is put in place, so
 * a failure leaves neither.
 */
export async function simulatePanel(
  modelFile: string,
  options: { customers: number; periods: number; policy: SimulationPolicy; seed: number },
  out: string,
  statesOut?: string,
): Promise<SimulationResult> {
  const model = await loadModelSource(modelFile);
  const r = simulate(model.spec, model.parameters, options);
  const files: OutputFile[] = [{ path: out, content: panelCsv(r.panel), option: '--out' }];
  if (statesOut !== undefined) files.push({ path: statesOut, content: formatStatesCsv(r), option: '--states-out' });
  await writeFilesAtomic(files);
  return r;
}
