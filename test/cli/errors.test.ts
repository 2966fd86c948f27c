import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli.js';
import { workspace, removeWorkspaces } from './fixtures.js';
import { expectRefused } from '../helpers/refused.js';

/** Every bad input: exit 2, one clear message on stderr (no stack trace), nothing on stdout, nothing written. */
describe('bad input gets one clear message and exit 2, nothing written', () => {
  let ws: { dir: string; panel: string; truth: string };
  let fitFile: string;

  afterAll(removeWorkspaces);

  beforeAll(async () => {
    ws = await workspace(30, 12, 9);
    const r = await runCli(['fit', ws.panel, '--states', '2', '--starts', '0', '--max-iter', '20', '--out', join(ws.dir, 'good')]);
    expect(r.code, r.stderr).toBe(0);
    fitFile = join(ws.dir, 'good', 'fit.json');
  });

  async function bad(args: string[], message: RegExp, unwritten?: string): Promise<void> {
    await expectRefused(ws.dir, args, message);
    if (unwritten) expect(existsSync(unwritten)).toBe(false);
  }

  it('fit: missing panel file', async () => {
    await bad(['fit', join(ws.dir, 'nope.csv'), '--out', join(ws.dir, 'o1')], /nope\.csv/);
  });

  it('fit: bad flag values', async () => {
    const o = join(ws.dir, 'o2');
    await bad(['fit', ws.panel, '--states', 'three', '--out', o], /^squeaky: --states must be a whole number from 1 to 16, got 'three'\n$/);
    await bad(['fit', ws.panel, '--states', '0', '--out', o], /--states must be a whole number from 1 to 16/);
    await bad(['fit', ws.panel, '--transition-type', 'ladder', '--out', o], /--transition-type must be one of multinomial, ordered, got 'ladder'/);
    await bad(['fit', ws.panel, '--tol', '-1', '--out', o], /--tol must be a number > 0/);
    await bad(['fit', ws.panel, '--max-iter', '1.5', '--out', o], /--max-iter must be a whole number >= 0/);
    await bad(['fit', ws.panel, '--horizon', '0', '--out', o], /--horizon must be a whole number >= 1/);
    await bad(['fit', ws.panel, '--reference', 'shouting', '--out', o], /--reference 'shouting' is not a voice label/);
    await bad(['fit', ws.panel, '--no-such-flag', '--out', o], /unknown option '--no-such-flag'/);
  });

  it('fit: an output folder that cannot be made', async () => {
    const r = await runCli(['fit', ws.panel, '--states', '2', '--starts', '0', '--max-iter', '2', '--out', join(ws.panel, 'sub')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^squeaky: --out: cannot write .*panel\.csv\/sub' \(a part of the path .* is not a folder\)/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('fit: formula errors point into the formula', async () => {
    await bad(['fit', ws.panel, '--emission', '~ stock(intervention, 0.8) + satisfaction', '--out', join(ws.dir, 'o3')], /formula error: unknown column 'satisfaction'[\s\S]*\^/);
  });

  it('fit: a --start fit from another panel (different voice labels)', async () => {
    const other = join(ws.dir, 'other.csv');
    writeFileSync(other, readFileSync(ws.panel, 'utf8').replace(/silent/g, 'quiet').replace(/compliment/g, 'praise'));
    await bad(['fit', other, '--labels', 'complaint,praise,neutral,quiet', '--start', fitFile, '--out', join(ws.dir, 'o4')], /does not match the panel[\s\S]*voice labels of the fit/);
  });

  it('table / effects: not a fit file, bad format, bad horizon', async () => {
    await bad(['table', ws.panel], /is not a squeaky fit file/);
    const other = join(ws.dir, 'other.json');
    writeFileSync(other, '{"hello": 1}');
    await bad(['table', other], /written by 'squeaky fit'/);
    await bad(['table', fitFile, '--format', 'xlsx'], /--format must be one of text, csv, json, markdown, latex, got 'xlsx'/);
    await bad(['effects', fitFile, '--horizon', '-3'], /--horizon must be a whole number >= 1/);
    await bad(['effects', join(ws.dir, 'missing.json')], /cannot read fit file/);
  });

  it('decode: a fit from another panel (a column the formulas read is missing)', async () => {
    const fitX = join(ws.dir, 'fitx');
    const withX = join(ws.dir, 'withx.csv');
    const lines = readFileSync(ws.panel, 'utf8').trimEnd().split('\n');
    writeFileSync(withX, lines.map((l, i) => `${l},${i === 0 ? 'x' : (i % 7) / 7}`).join('\n') + '\n');
    const r = await runCli(['fit', withX, '--states', '2', '--emission', '~ stock(intervention, 0.8) + x', '--starts', '0', '--max-iter', '5', '--out', fitX]);
    expect(r.code, r.stderr).toBe(0);
    await bad(['decode', join(fitX, 'fit.json'), ws.panel, '--out', join(ws.dir, 's.csv')], /does not match the panel[\s\S]*column 'x'[\s\S]*emission formula/, join(ws.dir, 's.csv'));
  });

  it('simulate: bad policy and counts', async () => {
    const o = join(ws.dir, 'sim.csv');
    await bad(['simulate', ws.truth, '--customers', '5', '--periods', '5', '--policy', '0.5', '--out', o], /--policy must be two probabilities/, o);
    await bad(['simulate', ws.truth, '--customers', '5', '--periods', '5', '--policy', '0.5,1.5', '--out', o], /--policy must be two probabilities between 0 and 1, got '1.5'/, o);
    await bad(['simulate', ws.truth, '--customers', '0', '--periods', '5', '--out', o], /--customers must be a whole number from 1 to 50000000/, o);
    await bad(['simulate', ws.panel, '--customers', '5', '--periods', '5', '--out', o], /not a squeaky fit file/, o);
  });
});
