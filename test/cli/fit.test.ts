import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../helpers/runCli.js';
import { workspace, removeWorkspaces } from './fixtures.js';
import { loadFit } from '../../src/report/fitFile.js';
import { readPanel } from '../../src/data/readPanel.js';
import { logLikelihood } from '../../src/estimation/fit.js';
import { computeEffects } from '../../src/report/computeEffects.js';
import { assertClose } from '../helpers/assert.js';

const FAST = ['--states', '2', '--shared-slopes', '--starts', '1', '--max-iter', '80', '--seed', '3'];

describe('squeaky fit (in-process)', () => {
  let ws: { dir: string; panel: string; truth: string };
  let out: string;
  let run: { code: number; stdout: string; stderr: string };

  afterAll(removeWorkspaces);

  beforeAll(async () => {
    ws = await workspace();
    out = join(ws.dir, 'fit');
    run = await runCli(['fit', ws.panel, ...FAST, '--out', out]);
  });

  it('exits 0, prints the summary and the report, writes the three files', async () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const s of ['Log-likelihood', 'Transition from state 1', 'Baseline probabilities', 'Relationship channel', 'Propensity channel', 'Net effect', 'through propensity']) {
      expect(run.stdout).toContain(s);
    }
    expect(readdirSync(out).sort()).toEqual(['effects.json', 'fit.json', 'parameters.csv']);
  });

  it('fit.json reloads; its log-likelihood is the panel log-likelihood of its parameters', async () => {
    const fit = await loadFit(join(out, 'fit.json'));
    expect(fit.spec.nStates).toBe(2);
    expect(fit.spec.sharedSlopes).toBe(true);
    expect(fit.starts.length).toBe(2);
    const { panel } = await readPanel(ws.panel);
    assertClose(logLikelihood(panel, fit.spec, fit.parameters), fit.logLik, { rtol: 1e-9 });
    expect(fit.data.customers).toBe(60);
    expect(fit.effectsBasis.complaintRows).toBe(fit.data.voiceCounts.complaint);
    expect(run.stdout).toContain(fit.logLik.toFixed(4));
  });

  it('parameters.csv holds every parameter at full precision; effects.json equals a recomputation', async () => {
    const fit = await loadFit(join(out, 'fit.json'));
    const rows = parse(readFileSync(join(out, 'parameters.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.name)).toEqual(fit.parameters.names);
    expect(rows.map((r) => Number(r.estimate))).toEqual(Array.from(fit.parameters.values));
    const effects = JSON.parse(readFileSync(join(out, 'effects.json'), 'utf8'));
    expect(effects).toEqual(JSON.parse(JSON.stringify(computeEffects(fit))));
  });

  it('--start FIT --max-iter 0 only evaluates the log-likelihood', async () => {
    const out2 = join(ws.dir, 'eval');
    const r = await runCli(['fit', ws.panel, '--start', join(out, 'fit.json'), '--max-iter', '0', '--out', out2]);
    expect(r.code, r.stderr).toBe(0);
    const a = await loadFit(join(out, 'fit.json'));
    const b = await loadFit(join(out2, 'fit.json'));
    expect(Array.from(b.parameters.values)).toEqual(Array.from(a.parameters.values));
    assertClose(b.logLik, a.logLik, { rtol: 1e-12 });
    expect(b.iterations).toBe(0);
    expect(b.starts.map((s) => s.kind)).toEqual(['given']);
  });

  it('--start refuses options that contradict the saved model', async () => {
    const out3 = join(ws.dir, 'conflict');
    const r = await runCli(['fit', ws.panel, '--start', join(out, 'fit.json'), '--states', '3', '--out', out3]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--start .* fixes the model; .*--states 3 \(the fit has 2\)/);
    expect(existsSync(out3)).toBe(false);
  });

  it('progress goes to stderr on a terminal or with --progress, never with --quiet', async () => {
    const tty = await runCli(['fit', ws.panel, ...FAST, '--max-iter', '3', '--out', join(ws.dir, 'p1')], { errIsTTY: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/\rstart 1\/2 {2}iteration 1 {2}log-likelihood -\d+\.\d{4} {2}change/);
    const asked = await runCli(['fit', ws.panel, ...FAST, '--max-iter', '3', '--progress', '--out', join(ws.dir, 'p2')]);
    const lines = asked.stderr.split('\n');
    expect(lines.filter((l) => l.startsWith('start 2/2')).length).toBe(3);
    // reading: the megabytes read, ending at the file's size; standard errors: the last parameter of each step
    const size = (statSync(ws.panel).size / 1e6).toFixed(0);
    expect(lines).toContain(`reading: ${size} of ${size} MB (100%); checking and ordering the rows`);
    expect(lines.filter((l) => l.startsWith('[') && l.includes('] designs: ')).map((l) => l.replace(/^.*\] designs: (\w+) .*$/, '$1'))).toEqual(['initial', 'transition', 'emission']); // each built and compressed to its patterns in turn
    expect(lines.some((l) => /^standard errors: observed information (\d+)\/\1 parameters$/.test(l))).toBe(true);
    // --max-iter 3 stops before convergence: no likelihood intervals (profiles) around a point that is not a maximum
    expect(lines.some((l) => l.startsWith('standard errors: likelihood-interval checks'))).toBe(false);
    const quiet = await runCli(['fit', ws.panel, ...FAST, '--max-iter', '3', '--quiet', '--out', join(ws.dir, 'p3')], { errIsTTY: true });
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toContain('Net effect');
  });

  it('--threads 1 and --threads 2 write the same fit.json; --threads 0 is refused before any work', async () => {
    const dirs = [join(ws.dir, 't1'), join(ws.dir, 't2')];
    for (const [i, t] of ['1', '2'].entries()) {
      const r = await runCli(['fit', ws.panel, ...FAST, '--threads', t, '--progress', '--out', dirs[i]]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/\] reading [\s\S]*\] building the designs [\s\S]*\] EM from 2 start\(s\), E-step on 1 shard\(s\), 1 thread\(s\)[\s\S]*\] writing /);
    }
    expect(readFileSync(join(dirs[1], 'fit.json'), 'utf8')).toBe(readFileSync(join(dirs[0], 'fit.json'), 'utf8'));
    const bad = await runCli(['fit', ws.panel, '--threads', '0', '--out', join(ws.dir, 't0')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threads must be a whole number >= 1/);
    expect(existsSync(join(ws.dir, 't0'))).toBe(false);
  });

  it('ordered transitions and custom voice labels without a complaint label', async () => {
    const ord = await runCli(['fit', ws.panel, '--states', '2', '--transition-type', 'ordered', '--starts', '0', '--max-iter', '10', '--out', join(ws.dir, 'ord')]);
    expect(ord.code, ord.stderr).toBe(0);
    expect((await loadFit(join(ws.dir, 'ord', 'fit.json'))).spec.transitionType).toBe('ordered');
    const other = join(ws.dir, 'moods.csv');
    const text = readFileSync(ws.panel, 'utf8').replace(/,complaint,/g, ',angry,').replace(/,compliment,/g, ',happy,');
    writeFileSync(other, text);
    const r = await runCli(['fit', other, '--labels', 'angry,happy,neutral,silent', '--states', '2', '--starts', '0', '--max-iter', '10', '--out', join(ws.dir, 'moods')]);
    expect(r.code, r.stderr).toBe(0);
    const fit = await loadFit(join(ws.dir, 'moods', 'fit.json'));
    expect(fit.spec.voiceLabels).toEqual(['angry', 'happy', 'neutral', 'silent']);
    expect(fit.effectsBasis.complaintRows).toBe(0);
    // Without a complaint label the report lists every voice and makes no complaint claim.
    expect(r.stdout).toMatch(/Net effect[\s\S]*angry[\s\S]*happy/);
    expect(r.stdout).not.toContain('expected complaints');
  });

  it('keeps the fit when the report cannot be computed (scale() of a covariate held at its mean)', async () => {
    const withX = join(ws.dir, 'withx.csv');
    const lines = readFileSync(ws.panel, 'utf8').trimEnd().split('\n');
    writeFileSync(withX, lines.map((l, i) => `${l},${i === 0 ? 'x' : (i % 5) / 5}`).join('\n') + '\n');
    const dir = join(ws.dir, 'scaled');
    const r = await runCli(['fit', withX, '--states', '2', '--emission', '~ stock(intervention, 0.8) + scale(x)', '--starts', '0', '--max-iter', '5', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['fit.json', 'parameters.csv']);
    expect(r.stdout).toMatch(/Warnings[\s\S]*no intervention-effect report: [\s\S]*scale\(x\)/);
    expect(r.stdout).not.toContain('Net effect');
    const e = await runCli(['effects', join(dir, 'fit.json')]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/sample means[\s\S]*scale\(x\)/);
  });
});
