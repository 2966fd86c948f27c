import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../../src/estimation/simulate.js';
import { writePanel } from '../../src/data/writePanel.js';
import { syntheticDesigns, syntheticHistory } from '../../src/report/scenarios.js';
import { createModel } from '../../src/model/hmmModel.js';
import type { ModelSpec, NamedParameters } from '../../src/estimation/spec.js';

/** A two-state squeaky-wheel truth (default formulas, shared slopes) with known parameters. */
export const TRUTH_SPEC: ModelSpec = {
  nStates: 2,
  voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'],
  referenceVoice: 'silent',
  formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' },
  transitionType: 'multinomial',
  sharedSlopes: true,
};

const TRUTH_VALUES: Record<string, number> = {
  'initial[2]:(Intercept)': 0,
  'transition[1->2]:(Intercept)': -2.5,
  'transition[1->2]:lag(intervention)': 1.5,
  'transition[2->1]:(Intercept)': -3,
  'transition[2->1]:lag(intervention)': -0.5,
  'emission[1]:complaint:(Intercept)': -0.5,
  'emission[1]:compliment:(Intercept)': -3,
  'emission[1]:neutral:(Intercept)': -1.5,
  'emission[2]:complaint:(Intercept)': -3,
  'emission[2]:compliment:(Intercept)': -1,
  'emission[2]:neutral:(Intercept)': -1.2,
  'emission:complaint:stock(intervention, 0.8)': 0.6,
  'emission:compliment:stock(intervention, 0.8)': 0.2,
  'emission:neutral:stock(intervention, 0.8)': 0,
};

export function truthParameters(): NamedParameters {
  const h = syntheticHistory(TRUTH_SPEC.voiceLabels, {}, 2);
  const p = createModel(TRUTH_SPEC, syntheticDesigns(TRUTH_SPEC, h), h.offsets).getParameters();
  p.names.forEach((n, i) => {
    if (!(n in TRUTH_VALUES)) throw new Error(`truth has no value for ${n}`);
    p.values[i] = TRUTH_VALUES[n];
  });
  return p;
}

const made: string[] = [];

/** Remove every folder `workspace` made (call from afterAll). */
export function removeWorkspaces(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A fresh folder with panel.csv (simulated from the truth) and truth.json. */
export async function workspace(customers = 60, periods = 20, seed = 5): Promise<{ dir: string; panel: string; truth: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'squeaky-cli-'));
  made.push(dir);
  const params = truthParameters();
  const sim = simulate(TRUTH_SPEC, params, { customers, periods, policy: { afterComplaint: 0.6, otherwise: 0.03 }, seed });
  const panel = join(dir, 'panel.csv');
  await writePanel(sim.panel, panel);
  const truth = join(dir, 'truth.json');
  writeFileSync(truth, JSON.stringify({ spec: TRUTH_SPEC, parameters: { names: params.names, values: Array.from(params.values) } }));
  return { dir, panel, truth };
}
