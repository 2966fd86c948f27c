import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from '../../src/estimation/simulate.js';
import { writePanel } from '../../src/data/writePanel.js';
import { buildModelDesigns } from '../../src/estimation/fit.js';
import { createModel } from '../../src/model/hmmModel.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { runCli } from '../helpers/runCli.js';
import { expectRefused } from '../helpers/refused.js';
import { TRUTH_SPEC, truthParameters } from './fixtures.js';

const SELECTION = '~ voice_complaint + lag(intervention)';
const SPEC: ModelSpec = { ...TRUTH_SPEC, formulas: { ...TRUTH_SPEC.formulas, selection: SELECTION } };
let dir: string;
let panelFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'squeaky-firm-'));
  const plain = truthParameters();
  // the truth's names with the selection block: a firm answering state 1 far more at equal voice
  const skeleton = simulate(TRUTH_SPEC, plain, { customers: 1, periods: 3, policy: { afterComplaint: 0.5, otherwise: 0.5 }, seed: 1 }).panel;
  const names = createModel(SPEC, buildModelDesigns(skeleton, SPEC), skeleton.offsets).getParameters().names;
  const sel: Record<string, number> = { 'selection[1]:(Intercept)': -1.5, 'selection[2]:(Intercept)': -4, 'selection:voice_complaint': 1.5, 'selection:lag(intervention)': -0.5 };
  const values = Float64Array.from(names, (n) => sel[n] ?? plain.values[plain.names.indexOf(n)]);
  const sim = simulate(SPEC, { names, values, blocks: [] }, { customers: 150, periods: 20, policy: { afterComplaint: 0, otherwise: 0 }, seed: 3 });
  panelFile = join(dir, 'panel.csv');
  await writePanel(sim.panel, panelFile);
  writeFileSync(join(dir, 'truth.json'), JSON.stringify({ spec: SPEC, parameters: { names, values: Array.from(values) } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fit --selection', () => {
  it('refuses a selection formula reading this period\'s intervention: exit 2, located, nothing written', async () => {
    const err = await expectRefused(dir, ['fit', panelFile, '--selection', '~ voice_complaint + intervention', '--out', join(dir, 'bad')], /selection term 'intervention' reads this period's intervention/);
    expect(err).toContain('~ voice_complaint + intervention\n' + ' '.repeat(2 + '~ voice_complaint + '.length) + '^');
    await expectRefused(dir, ['fit', panelFile, '--selection', '~ lead(voice_complaint)', '--out', join(dir, 'bad')], /future/);
    await expectRefused(dir, ['fit', panelFile, '--selection', '~ voice_complaint - 1', '--out', join(dir, 'bad')], /selection formula needs its intercept/);
    await expectRefused(dir, ['fit', panelFile, '--selection', '~ voice_complaint', '--classes', '2', '--out', join(dir, 'bad')], /--selection is not supported with --classes/);
  });

  it('fits the joint model, the model without selection, and reports both; table, effects, decode and simulate read the fit', async () => {
    const out = join(dir, 'fit-sel');
    const r = await runCli(['fit', panelFile, '--states', '2', '--shared-slopes', '--selection', SELECTION, '--starts', '1', '--threads', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Selection \(the firm intervenes\) in state 1\n {2}\(Intercept\)/);
    expect(r.stdout).toMatch(/Selection: whom the firm intervenes with \(~ voice_complaint \+ lag\(intervention\)\)/);
    expect(r.stdout).toMatch(/state 1 - state 2 +\d/);
    expect(r.stdout).toMatch(/Channels with and without the selection model/);
    const saved = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(saved.spec.formulas.selection).toBe(SELECTION);
    expect(saved.parameters.names).toContain('selection:voice_complaint');
    expect(saved.parameters.blocks.map((b: { block: string }) => b.block)).toEqual(['initial', 'transition', 'emission', 'selection']);
    expect(saved.covariance.names).toEqual(saved.parameters.names);
    expect(saved.withoutSelection.parameters.names.some((n: string) => n.startsWith('selection'))).toBe(false);
    const report = JSON.parse(readFileSync(join(out, 'selection.json'), 'utf8'));
    // the firm of the truth answers state 1 far more at equal voice (log-odds difference 2.5)
    expect(report.contrasts[0].estimate).toBeGreaterThan(1);
    expect(report.contrasts[0].low).toBeGreaterThan(0);

    const t = await runCli(['table', join(out, 'fit.json')]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/Selection \(slopes shared across states\)\n {2}voice_complaint/);
    const e = await runCli(['effects', join(out, 'fit.json')]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/Selection: whom the firm intervenes with/);
    expect(e.stdout).toMatch(/complaints, relationship +with selection/);
    const d = await runCli(['decode', join(out, 'fit.json'), panelFile, '--out', join(dir, 'states.csv')]);
    expect(d.code, d.stderr).toBe(0);
    const s = await runCli(['simulate', join(out, 'fit.json'), '--customers', '30', '--periods', '10', '--out', join(dir, 'sim.csv')]);
    expect(s.code, s.stderr).toBe(0);
    expect(readFileSync(join(dir, 'sim.csv'), 'utf8').split('\n')[0]).not.toMatch(/voice_/);
  }, 120_000);

  it('without --selection, fit.json and the folder have no trace of a selection model', async () => {
    const out = join(dir, 'fit-plain');
    const r = await runCli(['fit', panelFile, '--states', '2', '--shared-slopes', '--starts', '1', '--threads', '1', '--se', 'none', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(out, 'fit.json'), 'utf8');
    expect(text).not.toMatch(/selection/i);
    expect(existsSync(join(out, 'selection.json'))).toBe(false);
    expect(r.stdout).not.toMatch(/Selection/);
  }, 60_000);
});
