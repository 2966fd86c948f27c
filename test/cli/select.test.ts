import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDist, runCli } from '../helpers/runCli.js';
import { removeWorkspaces, workspace } from './fixtures.js';
import { loadFit } from '../../src/report/fitFile.js';

const FAST = ['--shared-slopes', '--starts', '1', '--max-iter', '80', '--seed', '3', '--se', 'none'];

describe('squeaky select, channels and fit --finish (in-process)', () => {
  let ws: { dir: string; panel: string };
  afterAll(removeWorkspaces);
  beforeAll(async () => {
    buildDist();
    ws = await workspace(50, 12, 6);
  });

  it('select writes every fit as fit does and the table in every format, progress per K on stderr', async () => {
    const out = join(ws.dir, 'sel');
    const r = await runCli(['select', ws.panel, '--states', '1..2', ...FAST, '--threads', '2', '--progress', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Choosing the number of states/);
    expect(r.stdout).toMatch(/Picks \(smallest value\): AIC K = \d; BIC \(n = voices\) K = \d; BIC \(n = customers\) K = \d; ICL \(BIC n = voices\) K = \d/);
    expect(r.stderr).toMatch(/select: K = 1 fitted/);
    expect(r.stderr).toMatch(/select: K = 2 fitted/);
    expect(readdirSync(out).sort()).toEqual(['K1', 'K2', 'selection.csv', 'selection.json', 'selection.md', 'selection.tex', 'selection.txt']);
    expect(readdirSync(join(out, 'K2')).sort()).toEqual(['effects.json', 'fit.json', 'parameters.csv']);
    const table = JSON.parse(readFileSync(join(out, 'selection.json'), 'utf8'));
    const k2 = await loadFit(join(out, 'K2', 'fit.json'));
    expect(table.rows[1].log_likelihood).toBe(k2.logLik);
    const fit = await runCli(['fit', ws.panel, '--states', '2', ...FAST, '--out', join(ws.dir, 'fit2')]);
    expect(fit.code).toBe(0);
    expect((await loadFit(join(ws.dir, 'fit2', 'fit.json'))).logLik).toBe(k2.logLik);
    expect(fit.stdout).toMatch(/Finished starts: 2; \d reached the best log-likelihood \(within 1e-6\)/);
  });

  it('bad --states, --threads, --bootstrap-lr, --transition-type: exit 2 naming the option, nothing written', async () => {
    const out = join(ws.dir, 'bad');
    for (const [args, msg] of [
      [['--states', '0'], /--states/],
      [['--states', '5..2'], /--states needs a range going up/],
      [['--states', '2,40'], /--states 40: the 40-state model has \d+ free parameters, but the panel has only 600 observed voices/],
      [['--threads', '0'], /--threads/],
      [['--bootstrap-lr', '-3'], /--bootstrap-lr/],
      [['--transition-type', 'ladder'], /--transition-type must be one of multinomial, ordered, both/],
    ] as const) {
      const r = await runCli(['select', ws.panel, ...args, '--out', out]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('channels: a formula without intervention exits 2 naming the option; --finish 0 too', async () => {
    const out = join(ws.dir, 'ch');
    let r = await runCli(['channels', ws.panel, '--emission', '~ 1', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--emission '~ 1' has no term reading intervention/);
    r = await runCli(['channels', ws.panel, '--transition', '~ 1', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--transition '~ 1' has no term reading intervention/);
    r = await runCli(['select', ws.panel, '--states', '1', '--channels', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--channels needs a number of states >= 2/);
    r = await runCli(['fit', ws.panel, '--finish', '0', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--finish must be a whole number >= 1/);
    expect(existsSync(out)).toBe(false);
  });

  it('channels writes the four fits and the comparison', async () => {
    const out = join(ws.dir, 'ch2');
    const r = await runCli(['channels', ws.panel, '--states', '2', ...FAST, '--threads', '2', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/LR test of the propensity channel \(full model against no-propensity\): statistic [\d.]+, df 3, p/);
    expect(r.stdout).toMatch(/A model that ignores the squeaky wheel/);
    expect(readdirSync(out).sort()).toEqual(['channels.csv', 'channels.json', 'channels.md', 'channels.tex', 'channels.txt', 'full', 'neither', 'no-propensity', 'no-relationship']);
  });

  it('--help of select and channels shows examples', async () => {
    for (const c of ['select', 'channels']) {
      const r = await runCli([c, '--help']);
      expect(r.stdout).toMatch(/Examples:/);
      expect(r.stdout).toMatch(new RegExp(`\\$ squeaky ${c} `));
    }
  });
});
