import { simulate, type SimulationPolicy, type SimulationResult } from '../estimation/simulate.js';
import { panelCsv } from '../data/writePanel.js';
import { loadModelSource } from './modelSource.js';
import { writeFilesAtomic, type OutputFile } from './writeAtomic.js';
import { readPanel } from '../data/readPanel.js';
import { covariatePaths, exogenousColumns } from './covariatePaths.js';
import { UsageError } from '../errors.js';

/** True states as CSV: customer, period, state (1-based); with latent classes also the customer's true class (1-based). */
export function formatStatesCsv(r: SimulationResult): string {
  const lines = [r.classes ? 'customer,period,state,class' : 'customer,period,state'];
  const p = r.panel;
  for (let i = 0; i < p.customers.length; i++) {
    const cls = r.classes ? `,${r.classes[i] + 1}` : '';
    for (let row = p.offsets[i]; row < p.offsets[i + 1]; row++) lines.push(`${p.customers[i]},${p.period[row]},${r.states[row] + 1}${cls}`);
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
  options: { customers: number; periods: number; policy: SimulationPolicy; seed: number; covariates?: string },
  out: string,
  statesOut?: string,
): Promise<SimulationResult> {
  const model = await loadModelSource(modelFile);
  const { covariates: covFile, ...sim } = options;
  let covariates;
  if (covFile !== undefined) {
    const labels = model.spec.voiceLabels.length >= 2 ? model.spec.voiceLabels : undefined;
    const { panel } = await readPanel(covFile, { labels });
    const names = exogenousColumns(model.spec, Object.keys(panel.columns));
    covariates = covariatePaths(panel, names, sim.customers, sim.periods, sim.seed, covFile);
  } else {
    const names = exogenousColumns(model.spec, []);
    if (names.length) {
      throw new UsageError(
        `the model's formulas read ${names.map((n) => `'${n}'`).join(', ')}, which simulate does not generate: give --covariates PANEL.csv to take covariate paths from a panel's customers`,
      );
    }
  }
  const r = simulate(model.spec, model.parameters, { ...sim, covariates });
  const files: OutputFile[] = [{ path: out, content: panelCsv(r.panel), option: '--out' }];
  if (statesOut !== undefined) files.push({ path: statesOut, content: formatStatesCsv(r), option: '--states-out' });
  await writeFilesAtomic(files);
  return r;
}
