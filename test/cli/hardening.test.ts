/**
 * One test per numbered case of the hardening issue: whole-or-nothing output (1), exit 2 instead
 * of a stack trace (2), bounded work (3), strict numbers (4), fits every command reads (5),
 * warnings (6), messages (7), simulate with covariates and truth files as fits (8).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, REPO, buildDist, runCli } from '../helpers/runCli.js';
import { workspace, removeWorkspaces } from './fixtures.js';
import { expectRefused } from '../helpers/refused.js';
import { parsePanel } from '../../src/data/readPanel.js';
import { InputError } from '../../src/errors.js';

const TRUTH = join(REPO, 'data', 'example-truth.json');
const H = 'customer,period,voice,intervention';

let ws: { dir: string; panel: string; truth: string };
let n = 0;
const path = (name: string): string => join(ws.dir, `${n++}-${name}`);
const file = (name: string, text: string): string => {
  const p = path(name);
  writeFileSync(p, text);
  return p;
};

/** Exit 2, the message, no stack trace, nothing on stdout, nothing new in the workspace. */
const refused = (args: string[], message: RegExp): Promise<string> => expectRefused(ws.dir, args, message);

async function ok(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await runCli(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

const quickFit = ['--states', '2', '--starts', '0', '--max-iter', '3', '--quiet'];

beforeAll(async () => {
  ws = await workspace(30, 12, 21);
});
afterAll(removeWorkspaces);

describe('1. output folders are one unit', () => {
  it('a re-fit without an effects report removes the previous effects.json', async () => {
    const out = path('fit');
    await ok(['fit', ws.panel, ...quickFit, '--out', out]);
    expect(readdirSync(out).sort()).toEqual(['effects.json', 'fit.json', 'parameters.csv']);
    await ok(['fit', ws.panel, ...quickFit, '--emission', '~ scale(stock(intervention, 0.8))', '--out', out]);
    expect(readdirSync(out).sort()).toEqual(['fit.json', 'parameters.csv']);
    expect(readdirSync(ws.dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('simulate to a missing folder leaves no states file either', async () => {
    const states = path('st.csv');
    await refused(['simulate', TRUTH, '--customers', '5', '--periods', '5', '--out', join(ws.dir, 'missing-dir', 'x.csv'), '--states-out', states], /--out: cannot write .*missing-dir' does not exist/);
    expect(existsSync(states)).toBe(false);
  });
});

describe('2. user input never exits 1', () => {
  it('fit --states 256', async () => {
    await refused(['fit', ws.panel, '--states', '256', '--out', path('o')], /--states must be a whole number from 1 to 16, got '256'/);
  });

  it("simulate --out to a missing folder, a folder, '' and --customers 100000000000", async () => {
    const s = ['simulate', TRUTH, '--customers', '5', '--periods', '5'];
    await refused([...s, '--out', join(ws.dir, 'nope', 'x.csv')], /--out: cannot write/);
    await refused([...s, '--out', ws.dir], /--out: cannot write .* is a folder/);
    await refused([...s, '--out', ''], /--out: expected a file name/);
    await refused(['simulate', TRUTH, '--customers', '100000000000', '--periods', '5', '--out', path('x.csv')], /--customers must be a whole number from 1 to 50000000/);
  });

  it('a tweet dated 9999 with --period 1h', async () => {
    const ev = file('ev.csv', 'customer,timestamp,author,label\na,9999-01-01T00:00:00Z,customer,complaint\nb,2024-01-01T00:00:00Z,customer,neutral\n');
    await refused(['prepare', ev, '--period', '1h', '--out', path('p.csv')], /the panel would have 69,907,418 rows .* --max-rows raises the limit/);
  });

  it('validate --fill-gaps on periods 1 and 2147483647', async () => {
    const p = file('gap.csv', `${H}\na,1,silent,0\na,2147483647,silent,0\n`);
    await refused(['validate', '--fill-gaps', p], /--fill-gaps would add 2,147,483,645 missing periods .*customer 'a' goes from period 1 to 2147483647 \(line 3\)/);
  });

  it('decode > /dev/full is exit 2 with a message', async () => {
    buildDist();
    const out = path('fit');
    await ok(['fit', ws.panel, ...quickFit, '--out', out]);
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" decode "${join(out, 'fit.json')}" "${ws.panel}" > /dev/full`], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write to standard output \(ENOSPC\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a truth file with numeric voice labels', async () => {
    const t = JSON.parse(readFileSync(TRUTH, 'utf8'));
    t.spec.voiceLabels = [1, 2, 3, 4];
    const f = file('truth.json', JSON.stringify(t));
    await refused(['simulate', f, '--customers', '5', '--periods', '5', '--out', path('x.csv')], /spec\.voiceLabels\[0\].*a string/);
  });
});

describe('3. work is estimated before it is done', () => {
  it('epoch milliseconds and an ambiguous --start are refused', async () => {
    const ev = file('ms.csv', 'customer,timestamp,author,label\na,1700000000000,customer,complaint\n');
    await refused(['prepare', ev, '--period', 'day', '--out', path('p.csv')], /line 2, column 'timestamp'.*milliseconds\? divide by 1000/);
    const ev2 = file('ev.csv', 'customer,timestamp,author,label\na,2024-01-02T00:00:00Z,customer,complaint\n');
    await refused(['prepare', ev2, '--period', 'day', '--start', '20240101', '--out', path('p.csv')], /--start: '20240101' is ambiguous/);
    await ok(['prepare', ev2, '--period', 'day', '--start', '@1704067200', '--out', path('p.csv')]);
  });

  it('--starts 100000, more parameters than observations, 399 lag() terms', async () => {
    await refused(['fit', ws.panel, '--starts', '100000', '--out', path('o')], /--starts must be a whole number from 0 to 1000/);
    const tiny = file('tiny.csv', `${H}\n${Array.from({ length: 20 }, (_, i) => `a,${i + 1},${['silent', 'complaint'][i % 2]},${i % 3 === 0 ? 1 : 0}`).join('\n')}\n`);
    await refused(['fit', tiny, '--states', '16', '--out', path('o')], /the model has \d+ parameters but .* has only 20 observed voices: use fewer --states \(now 16\)/);
    const terms = Array.from({ length: 399 }, (_, k) => `lag(intervention, ${k + 1})`).join(' + ');
    await refused(['fit', ws.panel, '--emission', `~ ${terms}`, '--out', path('o')], /--emission: the formula has 399 terms; at most 50/);
  });
});

describe('4. numbers are read as data', () => {
  const issues = (text: string): InputError => {
    try {
      parsePanel(text, 'p.csv');
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  it('period and intervention are exact integers; covariates one decimal grammar', () => {
    for (const bad of ['0x1', '0b1', '.1e1', '+1', '01', '1.0', '1e0']) {
      const e = issues(`${H}\na,1,silent,${bad}\na,2,silent,0\n`);
      expect(e.issues.map((i) => [i.line, i.column, i.value])).toEqual([[2, 'intervention', bad]]);
      const p = issues(`${H}\na,${bad},silent,0\na,3,silent,0\n`);
      expect(p.issues[0]).toMatchObject({ line: 2, column: 'period', value: bad });
    }
    for (const bad of ['0x1', '.5', '5.', 'Infinity', '1e400', '1e-400', '1_000']) {
      const e = issues(`${H},x\na,1,silent,0,${bad}\na,2,silent,0,1\n`);
      expect(e.issues).toHaveLength(1);
      expect(e.issues[0]).toMatchObject({ line: 2, column: 'x', value: bad });
    }
    const good = parsePanel(`${H},x\na,1,silent,0, -1.5e-3 \na,2,silent,1,+2\n`, 'p.csv').panel;
    expect(Array.from(good.columns.x)).toEqual([-1.5e-3, 2]);
  });

  it('NA in any case is missing; a __proto__ column is kept', () => {
    const { panel } = parsePanel(`${H},__proto__,constructor\na,1,nA,0,1,2\na,2,Na,1,3,4\na,3,silent,0,5,6\n`, 'p.csv');
    expect(Array.from(panel.voice)).toEqual([-1, -1, 0]);
    expect(Object.keys(panel.columns)).toEqual(['intervention', '__proto__', 'constructor']);
    expect(Array.from(panel.columns['__proto__'])).toEqual([1, 3, 5]);
    expect(Array.from(panel.columns['constructor'])).toEqual([2, 4, 6]);
  });
});

describe('5. a fit every command reads', () => {
  it('a panel with one observed voice is refused at fit time', async () => {
    const one = file('one.csv', `${H}\n${Array.from({ length: 30 }, (_, i) => `c${i % 3},${Math.floor(i / 3) + 1},silent,${i % 4 === 0 ? 1 : 0}`).join('\n')}\n`);
    await refused(['fit', one, '--out', path('o')], /only the voice 'silent' is observed; a voice model needs at least two/);
    await refused(['fit', one, '--labels', 'silent,complaint', '--out', path('o')], /only the voice 'silent' is observed/);
  });
});

describe('6. warnings for silent acceptance', () => {
  it('constant covariate, duplicated term, lag beyond every history, no interventions', async () => {
    const rows = readFileSync(ws.panel, 'utf8').trim().split('\n');
    const withConst = file('const.csv', [rows[0] + ',k', ...rows.slice(1).map((r) => r + ',7')].join('\n') + '\n');
    const a = await ok(['fit', withConst, ...quickFit, '--emission', '~ k + intervention ++ intervention + lag(intervention, 1e9)', '--out', path('o')]);
    expect(a.stdout).toMatch(/emission formula: 'k' \(always 7\), 'lag\(intervention, 1e\+9\)' \(always 0\) are constant over the panel/);
    expect(a.stdout).toMatch(/the terms 'intervention' and '\+intervention' are identical columns/);
    const header = rows[0].split(',');
    const iv = header.indexOf('intervention');
    const none = file('none.csv', [rows[0], ...rows.slice(1).map((r) => r.split(',').map((x, j) => (j === iv ? '0' : x)).join(','))].join('\n') + '\n');
    const b = await ok(['fit', none, ...quickFit, '--out', path('o')]);
    expect(b.stdout).toMatch(/the panel has no interventions .* the intervention effects are not measured/);
  });

  it('an unobserved --reference and seeds past 32 bits are refused', async () => {
    await refused(['fit', ws.panel, '--labels', 'complaint,compliment,neutral,silent,shouting', '--reference', 'shouting', '--out', path('o')], /--reference shouting: the reference voice never occurs/);
    await refused(['fit', ws.panel, '--seed', '4294967297', '--out', path('o')], /--seed must be a whole number from 0 to 4294967295/);
    await refused(['simulate', TRUTH, '--customers', '5', '--periods', '5', '--seed', '4294967296', '--out', path('x.csv')], /--seed must be a whole number from 0 to 4294967295/);
  });
});

describe('7. messages', () => {
  it('values are cut to about 80 characters and control characters escaped', async () => {
    const long = 'x'.repeat(500);
    const p = file('ctl.csv', `${H}\na,1,\u001b[31mred\u0007,0\na,2,${long},0\n`);
    const err = await refused(['validate', p], /value '\\x1b\[31mred\\x07'/);
    expect(err).toMatch(/value 'x{77}\.\.\. \(500 characters\)'/);
    expect(err).not.toMatch(/[\u0000\u0007\u001b\r]/);
    await refused(['validate', file('nul.csv', `${H}\na,1,silent\u0000,0\n`)], /line 2: the file holds a NUL byte \(binary data\?\) at character 11/);
    const opt = await refused(['fit', ws.panel, '--states', `2\u001b]0;owned\u0007`, '--out', path('o')], /--states must be/);
    expect(opt).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('UTF-16, tabs, semicolons and CR-only line ends are one line each', async () => {
    const text = `${H}\na,1,silent,0\n`;
    const u16 = path('u16.csv');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const cases: [string, RegExp][] = [
      [u16, /line 1: the file is UTF-16/],
      [file('tab.csv', text.replace(/,/g, '\t')), /line 1: the header is separated by tabs/],
      [file('semi.csv', text.replace(/,/g, ';')), /line 1: the header is separated by semicolons/],
      [file('cr.csv', text.replace(/\n/g, '\r')), /line 1: lines end with CR only/],
    ];
    for (const [f, m] of cases) {
      const err = await refused(['validate', f], m);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
  });

  it("decode --out '' names the option", async () => {
    const out = path('fit');
    await ok(['fit', ws.panel, ...quickFit, '--out', out]);
    await refused(['decode', join(out, 'fit.json'), ws.panel, '--out', ''], /^squeaky: --out: expected a file name, got ''\n$/);
  });

  it('the not-converged message names --tol, says no NaN, and speaks of slopes only when there are some', async () => {
    const r = await ok(['fit', ws.panel, '--states', '2', '--starts', '0', '--max-iter', '1', '--tol', '1e-9', '--emission', '~ 1', '--out', path('o')]);
    expect(r.stdout).toMatch(/reached the maximum of 1 iteration \(--tol 1e-9; EM hands over/);
    expect(r.stdout).not.toMatch(/NaN/);
    expect(r.stdout).toMatch(/emission ~ 1 \(reference voice silent\)/);
    const s = await ok(['fit', ws.panel, ...quickFit, '--out', path('o')]);
    expect(s.stdout).toMatch(/\(state-specific slopes; reference voice silent\)/);
  });

  it('validate reports bad cells, duplicates and gaps in one pass', async () => {
    const p = file('all.csv', `${H}\na,1,silent,2\na,1,silent,0\nb,1,silent,0\nb,4,silent,0\n`);
    const err = await refused(['validate', p], /3 problems found/);
    expect(err).toMatch(/line 2, column 'intervention': value '2'/);
    expect(err).toMatch(/line 3, column 'period': value '1': one row per customer and period/);
    expect(err).toMatch(/line 5, column 'period': value '4': consecutive periods/);
  });
});

describe('8. simulate with covariates; truth files load where fits do', () => {
  it('simulate --covariates draws covariate paths from a panel; without it the missing column is named', async () => {
    const rows = readFileSync(ws.panel, 'utf8').trim().split('\n');
    const withX = file('x.csv', [rows[0] + ',friends_complaints', ...rows.slice(1).map((r, i) => `${r},${i % 5}`)].join('\n') + '\n');
    const out = path('fit');
    await ok(['fit', withX, ...quickFit, '--emission', '~ stock(intervention, 0.8) + log1p(friends_complaints)', '--out', out]);
    const fitJson = join(out, 'fit.json');
    await refused(['simulate', fitJson, '--customers', '4', '--periods', '6', '--out', path('s.csv')], /read 'friends_complaints', which simulate does not generate: give --covariates PANEL\.csv/);
    const sim = path('s.csv');
    await ok(['simulate', fitJson, '--customers', '4', '--periods', '6', '--covariates', withX, '--seed', '3', '--out', sim]);
    const simRows = readFileSync(sim, 'utf8').trim().split('\n');
    expect(simRows[0]).toBe('customer,period,voice,intervention,friends_complaints');
    expect(simRows).toHaveLength(1 + 24);
    // Every simulated path is the start of some panel customer's path.
    const src = new Map<string, string[]>();
    for (const r of rows.slice(1).map((r, i) => `${r},${i % 5}`)) {
      const f = r.split(',');
      src.set(f[0], [...(src.get(f[0]) ?? []), f[f.length - 1]]);
    }
    const starts = new Set([...src.values()].map((v) => v.slice(0, 6).join(' ')));
    for (let c = 0; c < 4; c++) expect(starts.has(simRows.slice(1 + c * 6, 7 + c * 6).map((r) => r.split(',')[4]).join(' '))).toBe(true);
    await refused(['simulate', fitJson, '--customers', '4', '--periods', '600', '--covariates', withX, '--out', path('s.csv')], /--periods 600: no customer of .* has that many periods/);
  });

  it('data/example-truth.json loads in effects, table and fit --start', async () => {
    const e = await ok(['effects', TRUTH, '--format', 'json']);
    const report = JSON.parse(e.stdout);
    expect(report.net).toBeDefined();
    expect(e.stdout).not.toMatch(/NaN|null|Infinity/);
    const t = await ok(['table', TRUTH, '--format', 'csv']);
    expect(t.stdout.split('\n')[1]).toMatch(/^initial\[2\]:\(Intercept\),initial/);
    const f = await ok(['fit', join(REPO, 'data', 'example-panel.csv'), '--start', TRUTH, '--max-iter', '0', '--quiet', '--out', path('o')]);
    // data/README.md quotes the log-likelihood of the truth on the example panel.
    const readme = readFileSync(join(REPO, 'data', 'README.md'), 'utf8');
    const quoted = /([\u2212-][\d,]+\.\d+) at the true parameters/.exec(readme);
    const ll = /Log-likelihood (-[\d.]+)/.exec(f.stdout);
    expect(quoted).not.toBeNull();
    expect(ll).not.toBeNull();
    expect(Number(ll![1])).toBeCloseTo(-Number(quoted![1].replace(/[,\u2212-]/g, '')), 0);
    mkdirSync(path('unused'));
  });
});
