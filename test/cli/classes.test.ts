/**
 * `squeaky fit --classes` and the commands that read a fit with latent classes (table, effects,
 * decode, simulate), the class options' usage errors and the located error for a class column
 * that varies within a customer.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../helpers/runCli.js';
import { simulate } from '../../src/estimation/simulate.js';
import { writePanel } from '../../src/data/writePanel.js';
import { loadFit } from '../../src/report/fitFile.js';
import { readPanel } from '../../src/data/readPanel.js';
import { logLikelihood } from '../../src/estimation/fit.js';
import { Rng } from '../../src/estimation/rng.js';
import type { ModelSpec } from '../../src/estimation/spec.js';
import { assertClose } from '../helpers/assert.js';
import { TRUTH_SPEC } from './fixtures.js';

const SPEC: ModelSpec = { ...TRUTH_SPEC, classes: { count: 2, formula: '~ followers', specific: ['initial', 'transition', 'emission'] } };

function truth(): { names: string[]; values: Float64Array } {
  const one = (c: number): Record<string, number> => ({
    'initial[2]:(Intercept)': 0,
    'transition[1->2]:(Intercept)': -2.5,
    'transition[1->2]:lag(intervention)': c === 1 ? 1.5 : 0.2,
    'transition[2->1]:(Intercept)': -3,
    'transition[2->1]:lag(intervention)': -0.5,
    'emission[1]:complaint:(Intercept)': c === 1 ? -0.8 : 0.2,
    'emission[1]:compliment:(Intercept)': -3,
    'emission[1]:neutral:(Intercept)': -1.5,
    'emission[2]:complaint:(Intercept)': c === 1 ? -3 : -1.5,
    'emission[2]:compliment:(Intercept)': -1,
    'emission[2]:neutral:(Intercept)': -1.2,
    'emission:complaint:stock(intervention, 0.8)': c === 1 ? 0.1 : 0.8,
    'emission:compliment:stock(intervention, 0.8)': 0.2,
    'emission:neutral:stock(intervention, 0.8)': 0,
  });
  const names: string[] = [];
  const values: number[] = [];
  for (const c of [1, 2]) for (const [n, v] of Object.entries(one(c))) names.push(`class[${c}].${n}`), values.push(v);
  names.push('class[2]:(Intercept)', 'class[2]:followers');
  values.push(-0.5, 0.8);
  return { names, values: Float64Array.from(values) };
}

let dir: string;
let panelFile: string;
let out: string;
let run: { code: number; stdout: string; stderr: string };
const FAST = ['--states', '2', '--shared-slopes', '--starts', '1', '--max-iter', '60', '--seed', '3', '--threads', '1'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'squeaky-classes-'));
  const rng = new Rng(11);
  const followers = Float64Array.from({ length: 150 }, () => Math.round(rng.normal() * 4) / 4);
  const sim = simulate(SPEC, truth(), { customers: 150, periods: 20, policy: { afterComplaint: 0.6, otherwise: 0.03 }, seed: 5, covariates: { followers: (i) => followers[i] } });
  panelFile = join(dir, 'panel.csv');
  await writePanel(sim.panel, panelFile);
  out = join(dir, 'fit');
  run = await runCli(['fit', panelFile, ...FAST, '--classes', '2', '--class-formula', '~ followers', '--out', out]);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('squeaky fit --classes 2', () => {
  it('exits 0 and prints per-class blocks, the membership logit and a report per class', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const s of ['Classes: 2 (membership ~ followers', 'Class 1: Transition from state 1', 'Class 2: Emission in state 2', 'Class membership (multinomial logit; reference class 1)', 'class 2: followers', 'Class 2: Baseline probabilities', 'Class 2\nIntervention effects']) {
      expect(run.stdout).toContain(s);
    }
    expect(readdirSync(out).sort()).toEqual(['effects.json', 'fit.json', 'parameters.csv']);
  });

  it('fit.json reloads with its classes; its log-likelihood is the exact mixture likelihood; shares sum to 1', async () => {
    const fit = await loadFit(join(out, 'fit.json'));
    expect(fit.spec.classes).toEqual({ count: 2, formula: '~ followers', specific: ['initial', 'transition', 'emission'] });
    expect(fit.parameters.names).toContain('class[2].emission:complaint:stock(intervention, 0.8)');
    expect(fit.classes!.shares.length).toBe(2);
    assertClose(fit.classes!.shares[0] + fit.classes!.shares[1], 1, { atol: 1e-12 });
    expect(fit.classes!.shares[0]).toBeGreaterThanOrEqual(fit.classes!.shares[1]);
    const { panel } = await readPanel(panelFile);
    assertClose(logLikelihood(panel, fit.spec, fit.parameters), fit.logLik, { atol: 1e-6 });
    // observed standard errors exist for the membership slope
    expect(fit.covariance?.method).toBe('observed');
    // no profile-likelihood searches for a mixture (their cost)
    expect(fit.covariance?.profile === undefined || Object.keys(fit.covariance.profile.intervals).length === 0).toBe(true);
    const csv = parse(readFileSync(join(out, 'parameters.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(csv[0]).slice(0, 3)).toEqual(['name', 'block', 'class']);
    const slope = csv.find((r) => r.name === 'class[2]:followers')!;
    expect(slope.block).toBe('membership');
    expect(Number(slope.std_error)).toBeGreaterThan(0);
    const effects = JSON.parse(readFileSync(join(out, 'effects.json'), 'utf8'));
    expect(effects.classes.map((x: { class: number }) => x.class)).toEqual([1, 2]);
  });

  it('table and effects read the saved fit', async () => {
    const t = await runCli(['table', join(out, 'fit.json')]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('Class 2: Transition from state 2');
    const e = await runCli(['effects', join(out, 'fit.json')]);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^Class 1 \(posterior share \d+\.\d%\)\nIntervention effects/);
    expect(e.stdout).toContain('\nClass 2 (posterior share');
  });

  it('decode adds the posterior class of every customer', async () => {
    const d = await runCli(['decode', join(out, 'fit.json'), panelFile]);
    expect(d.code).toBe(0);
    const rows = parse(d.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['customer', 'period', 'voice', 'intervention', 'state', 'p_state1', 'p_state2', 'class', 'p_class1', 'p_class2']);
    for (const r of rows.slice(0, 50)) {
      assertClose(Number(r.p_class1) + Number(r.p_class2), 1, { atol: 1e-12 });
      expect(r.class).toBe(Number(r.p_class1) >= Number(r.p_class2) ? '1' : '2');
    }
  });

  it('simulate draws classes from the fit (class column in --states-out)', async () => {
    const sim = join(dir, 'sim.csv');
    const st = join(dir, 'states.csv');
    const s = await runCli(['simulate', join(out, 'fit.json'), '--customers', '40', '--periods', '8', '--covariates', panelFile, '--out', sim, '--states-out', st]);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const rows = parse(readFileSync(st, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(['customer', 'period', 'state', 'class']);
    expect(new Set(rows.map((r) => r.class)).size).toBe(2);
  });

  it('--se bootstrap: replicates resample customers on worker threads, matched to the classes; the same fit.json for 1 and 2 threads', async () => {
    const dirs = [join(dir, 'boot1'), join(dir, 'boot2')];
    const runs = [];
    for (const [i, o] of dirs.entries()) {
      runs.push(await runCli(['fit', panelFile, ...FAST, '--classes', '2', '--class-formula', '~ followers', '--se', 'bootstrap', '--bootstrap', '4', '--threads', String(i + 1), '--out', o]));
    }
    for (const r of runs) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(runs[0].stdout).toContain('Standard errors: nonparametric bootstrap, 4 of 4 replicates used');
    expect(runs[0].stdout).toContain('Class 2\nIntervention effects');
    expect(readFileSync(join(dirs[1], 'fit.json'), 'utf8')).toBe(readFileSync(join(dirs[0], 'fit.json'), 'utf8'));
    const fit = await loadFit(join(dirs[0], 'fit.json'));
    expect(fit.covariance?.method).toBe('bootstrap');
    expect(fit.covariance?.bootstrap?.replicates.length).toBe(4);
    expect(fit.covariance?.bootstrap?.replicates[0].length).toBe(fit.parameters.names.length);
  }, 120_000);

  it('--classes 1 writes the same fit.json as no class options', async () => {
    const a = join(dir, 'one-a');
    const b = join(dir, 'one-b');
    expect((await runCli(['fit', panelFile, ...FAST, '--se', 'none', '--out', a])).code).toBe(0);
    expect((await runCli(['fit', panelFile, ...FAST, '--se', 'none', '--classes', '1', '--out', b])).code).toBe(0);
    expect(readFileSync(join(b, 'fit.json'), 'utf8')).toBe(readFileSync(join(a, 'fit.json'), 'utf8'));
  });
});

describe('squeaky select --classes', () => {
  it('fits every K x C, one folder per model, a C column in the table', async () => {
    const sel = join(dir, 'sel');
    const r = await runCli(['select', panelFile, '--states', '2', '--classes', '1..2', '--class-formula', '~ followers', '--shared-slopes', '--starts', '1', '--max-iter', '40', '--se', 'none', '--threads', '1', '--out', sel]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Choosing the numbers of states and classes');
    expect(readdirSync(sel).filter((n) => n.startsWith('K')).sort()).toEqual(['K2-C1', 'K2-C2']);
    const rows = JSON.parse(readFileSync(join(sel, 'selection.json'), 'utf8')).rows as Record<string, number>[];
    expect(rows.map((x) => x.classes)).toEqual([1, 2]);
    expect(rows[1].parameters).toBe(2 * 14 + 2);
    expect((await loadFit(join(sel, 'K2-C2', 'fit.json'))).spec.classes?.formula).toBe('~ followers');
  });

  it('--bootstrap-lr with classes exits 2', async () => {
    const r = await runCli(['select', panelFile, '--states', '2', '--classes', '2', '--bootstrap-lr', '5', '--out', join(dir, 'never3')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bootstrap-lr is not supported with --classes yet/);
  });
});

describe('class options: bad usage and bad input exit 2, nothing written', () => {
  it('a class formula column that varies within a customer is located (file, customer, periods, values)', async () => {
    const bad = join(dir, 'varying.csv');
    const text = readFileSync(panelFile, 'utf8').split('\n');
    const header = text[0].split(',');
    const fi = header.indexOf('followers');
    const cells = text[3].split(','); // the first customer's third period
    cells[fi] = '99';
    text[3] = cells.join(',');
    writeFileSync(bad, text.join('\n'));
    const o = join(dir, 'never');
    const r = await runCli(['fit', bad, ...FAST, '--classes', '2', '--class-formula', '~ followers', '--out', o]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain("column 'followers'");
    expect(r.stderr).toMatch(/customer 'c0*1': -?[\d.]+ in period 1 but 99 in period 3/);
    expect(existsSync(o)).toBe(false);
  });

  for (const [args, message] of [
    [['--class-formula', '~ followers'], /--class-formula applies with --classes 2 or more/],
    [['--classes', '2', '--class-specific', 'emission,voice'], /--class-specific: 'voice' is not a block/],
    [['--classes', '0'], /--classes/],
    [['--classes', '2', '--html'], /--html is not supported with --classes yet/],
    [['--classes', '2', '--class-formula', '~ nosuch'], /nosuch/],
  ] as [string[], RegExp][]) {
    it(args.join(' '), async () => {
      const o = join(dir, 'never2');
      const r = await runCli(['fit', panelFile, ...FAST, ...args, '--out', o]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(o)).toBe(false);
    });
  }
});
