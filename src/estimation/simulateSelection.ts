/**
 * Parametric bootstrap panels of a model with a selection model (spec.formulas.selection): the
 * interventions are outcomes of that model, so a replicate draws them too, together with the
 * states and voices, period by period as simulate.ts does (the firm answers the voice it saw, and
 * lag and stock terms follow the interventions drawn). The panel's own customers, period counts
 * and covariates are kept; a voice missing in the panel is hidden again after the draw (the firm
 * saw it, the analyst does not), and an intervention missing in the panel stays missing.
 *
 * simulate.ts draws every customer over periods 1..T, so the panel must be balanced: every
 * customer observed in each of periods 1..T in order (a ModelError otherwise).
 */
import { columnRecord, type Panel } from '../data/panel.js';
import { ModelError } from '../errors.js';
import type { Rng } from './rng.js';
import { simulate } from './simulate.js';
import type { ModelSpec, NamedParameters } from './spec.js';

/** T when every customer of the panel is observed in periods 1..T in order, else undefined. */
export function balancedPeriods(panel: Panel): number | undefined {
  const N = panel.offsets.length - 1;
  if (N === 0) return undefined;
  const T = panel.offsets[1] - panel.offsets[0];
  for (let i = 0; i < N; i++) {
    if (panel.offsets[i + 1] - panel.offsets[i] !== T) return undefined;
    for (let t = 0; t < T; t++) if (panel.period[panel.offsets[i] + t] !== t + 1) return undefined;
  }
  return T;
}

/** ModelError unless a model with a selection model can be simulated on this panel's rows. */
export function checkSelectionSimulation(panel: Panel): number {
  const T = balancedPeriods(panel);
  if (T === undefined) {
    throw new ModelError(
      'the parametric bootstrap with a selection model (--selection) simulates whole histories of voices and interventions, which needs every customer observed in each of periods 1..T (a balanced panel); this panel is not: use --bootstrap-type nonparametric (customers resampled)',
    );
  }
  return T;
}

/** A replicate panel: states, voices and interventions drawn from the model at `params` (see the file header). */
export function simulateSelectionPanel(panel: Panel, spec: ModelSpec, params: NamedParameters, rng: Rng): Panel {
  const T = checkSelectionSimulation(panel);
  const N = panel.offsets.length - 1;
  const covariates: Record<string, Float64Array> = {};
  for (const [name, col] of Object.entries(panel.columns)) if (name !== 'intervention') covariates[name] = col;
  // simulate() takes a seed: one drawn from the replicate's own stream
  const seed = rng.int(2 ** 31 - 1);
  const sim = simulate(spec, params, { customers: N, periods: T, policy: { afterComplaint: 0, otherwise: 0 }, seed, covariates }).panel;
  const voice = sim.voice;
  const intervention = sim.columns.intervention;
  const observed = panel.columns.intervention;
  for (let r = 0; r < voice.length; r++) {
    if (panel.voice[r] < 0) voice[r] = -1;
    if (Number.isNaN(observed[r])) intervention[r] = NaN;
  }
  return { ...panel, voice, columns: columnRecord({ ...panel.columns, intervention }) };
}
