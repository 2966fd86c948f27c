import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/estimation/simulate.js';
import { parsePanel } from '../../src/data/readPanel.js';
import type { ModelSpec } from '../../src/estimation/spec.js';

const root = new URL('../../', import.meta.url);
const truth = JSON.parse(readFileSync(new URL('data/example-truth.json', root), 'utf8')) as {
  seed: number;
  customers: number;
  periods: number;
  policy: { afterComplaint: number; otherwise: number };
  spec: ModelSpec;
  parameters: { names: string[]; values: number[] };
  command: string;
};

describe('shipped example panel', () => {
  it('is exactly what its truth file regenerates', () => {
    const csv = readFileSync(new URL('data/example-panel.csv', root), 'utf8');
    const { panel } = parsePanel(csv, 'data/example-panel.csv');
    expect(panel.customers).toHaveLength(714);
    expect(panel.voice).toHaveLength(714 * 90);
    expect(truth.customers).toBe(714);
    expect(truth.periods).toBe(90);
    expect(truth.spec.nStates).toBe(3);
    expect(truth.spec.formulas.transition).toBe('~ lag(intervention)');
    expect(truth.spec.formulas.emission).toBe('~ stock(intervention, 0.8)');
    expect(truth.command).toContain(`--seed ${truth.seed}`);
    const sim = simulate(
      truth.spec,
      { names: truth.parameters.names, values: Float64Array.from(truth.parameters.values), blocks: [] },
      { customers: truth.customers, periods: truth.periods, policy: truth.policy, seed: truth.seed },
    );
    expect(panel.customers).toEqual(sim.panel.customers);
    expect(Array.from(panel.period)).toEqual(Array.from(sim.panel.period));
    // Labels by name: the reader orders labels its own way.
    const label = (p: typeof panel, v: number) => (v < 0 ? 'NA' : p.voiceLabels[v]);
    for (let r = 0; r < panel.voice.length; r++) {
      if (label(panel, panel.voice[r]) !== label(sim.panel, sim.panel.voice[r])) throw new Error(`voice differs at row ${r}`);
    }
    expect(Array.from(panel.columns.intervention)).toEqual(Array.from(sim.panel.columns.intervention));
  });

  it('shows both channels in its truth: interventions move customers up and raise complaint propensity', () => {
    const v = new Map(truth.parameters.names.map((n, i) => [n, truth.parameters.values[i]]));
    expect(v.get('transition[1->2]:lag(intervention)')!).toBeGreaterThan(0);
    expect(v.get('transition[2->3]:lag(intervention)')!).toBeGreaterThan(0);
    expect(v.get('transition[2->1]:lag(intervention)')!).toBeLessThan(0);
    for (const k of [1, 2, 3]) expect(v.get(`emission[${k}]:complaint:stock(intervention, 0.8)`)!).toBeGreaterThan(0);
    // state 1 complains most, state 3 least (at zero stock)
    expect(v.get('emission[1]:complaint:(Intercept)')!).toBeGreaterThan(v.get('emission[2]:complaint:(Intercept)')!);
    expect(v.get('emission[2]:complaint:(Intercept)')!).toBeGreaterThan(v.get('emission[3]:complaint:(Intercept)')!);
  });
});
