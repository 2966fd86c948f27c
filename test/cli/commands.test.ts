import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../helpers/runCli.js';
import { workspace, removeWorkspaces, TRUTH_SPEC } from './fixtures.js';
import { loadFit } from '../../src/report/fitFile.js';
import { readPanel } from '../../src/data/readPanel.js';
import { posterior, viterbi } from '../../src/estimation/fit.js';
import { computeEffects } from '../../src/report/computeEffects.js';
import { formatTable, parameterTable } from '../../src/report/parameterTable.js';
import { formatEffectsText } from '../../src/report/effects.js';

describe('table, effects, decode, simulate', () => {
  let ws: { dir: string; panel: string; truth: string };
  let fitFile: string;

  afterAll(removeWorkspaces);

  beforeAll(async () => {
    ws = await workspace(40, 15, 21);
    const r = await runCli(['fit', ws.panel, '--states', '2', '--shared-slopes', '--starts', '1', '--max-iter', '40', '--out', join(ws.dir, 'fit')]);
    expect(r.code, r.stderr).toBe(0);
    fitFile = join(ws.dir, 'fit', 'fit.json');
  });

  it('table: every format; CSV and JSON parse back to the saved parameters', async () => {
    const fit = await loadFit(fitFile);
    const csv = await runCli(['table', fitFile, '--format', 'csv']);
    expect(csv.code).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.name, Number(r.estimate)])).toEqual(fit.parameters.names.map((n, i) => [n, fit.parameters.values[i]]));
    const json = JSON.parse((await runCli(['table', fitFile, '--format', 'json'])).stdout);
    expect(json.rows.map((r: { estimate: number }) => r.estimate)).toEqual(Array.from(fit.parameters.values));
    expect(json.warnings).toEqual(fit.warnings);
    const text = await runCli(['table', fitFile]);
    expect(text.stdout).toBe(formatTable(parameterTable(fit, { warnings: fit.warnings }), 'text'));
    for (const f of ['markdown', 'latex']) expect((await runCli(['table', fitFile, '--format', f])).code).toBe(0);
    expect(readFileSync(join(ws.dir, 'fit', 'parameters.csv'), 'utf8')).toBe(csv.stdout);
  });

  it('effects: text and JSON re-emitted from fit.json alone, horizon respected', async () => {
    const fit = await loadFit(fitFile);
    const text = await runCli(['effects', fitFile, '--horizon', '12']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(formatEffectsText(computeEffects(fit, { horizon: 12 })));
    const json = JSON.parse((await runCli(['effects', fitFile, '--format', 'json'])).stdout);
    expect(json.horizon).toBe(30);
    expect(json).toEqual(JSON.parse(readFileSync(join(ws.dir, 'fit', 'effects.json'), 'utf8')));
  });

  it('decode: posterior probabilities and Viterbi states per customer-period', async () => {
    const out = join(ws.dir, 'states.csv');
    const r = await runCli(['decode', fitFile, ws.panel, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const fit = await loadFit(fitFile);
    const { panel } = await readPanel(ws.panel);
    const post = posterior(panel, fit.spec, fit.parameters);
    const path = viterbi(panel, fit.spec, fit.parameters);
    expect(rows.length).toBe(panel.voice.length);
    expect(Object.keys(rows[0])).toEqual(['customer', 'period', 'voice', 'intervention', 'state', 'p_state1', 'p_state2']);
    rows.forEach((row, i) => {
      expect(Number(row.p_state1)).toBe(post[2 * i]);
      expect(Number(row.p_state2)).toBe(post[2 * i + 1]);
      expect(Number(row.state)).toBe(path[i] + 1);
    });
    expect(rows[0].customer).toBe(panel.customers[0]);
    // stdout when no --out
    const s = await runCli(['decode', fitFile, ws.panel]);
    expect(s.stdout).toBe(readFileSync(out, 'utf8'));
  });

  it('simulate: from a truth file or a fit; same seed, same panel', async () => {
    const a = join(ws.dir, 'a.csv');
    const b = join(ws.dir, 'b.csv');
    const st = join(ws.dir, 'a-states.csv');
    expect((await runCli(['simulate', ws.truth, '--customers', '25', '--periods', '10', '--policy', '0.7,0.01', '--seed', '4', '--out', a, '--states-out', st])).code).toBe(0);
    expect((await runCli(['simulate', ws.truth, '--customers', '25', '--periods', '10', '--policy', '0.7,0.01', '--seed', '4', '--out', b])).code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const { panel } = await readPanel(a);
    expect(panel.customers.length).toBe(25);
    expect(panel.voice.length).toBe(250);
    expect(panel.voiceLabels).toEqual(TRUTH_SPEC.voiceLabels);
    const states = parse(readFileSync(st, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(states.length).toBe(250);
    expect(new Set(states.map((s) => s.state))).toEqual(new Set(['1', '2']));
    const c = join(ws.dir, 'c.csv');
    expect((await runCli(['simulate', fitFile, '--customers', '5', '--periods', '4', '--out', c])).code).toBe(0);
    expect((await readPanel(c)).panel.voice.length).toBe(20);
  });

  it('every command has --help with an example', async () => {
    for (const cmd of ['fit', 'table', 'effects', 'decode', 'simulate']) {
      const r = await runCli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: squeaky ${cmd}`));
      expect(r.stdout).toMatch(/Examples?:\n\s+\$ squeaky /);
    }
  });
});
