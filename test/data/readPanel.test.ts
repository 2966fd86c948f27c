import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePanel, readPanel } from '../../src/data/readPanel.js';
import { writePanel } from '../../src/data/writePanel.js';
import { InputError, UsageError, type InputIssue } from '../../src/errors.js';
import { Rng } from '../../src/estimation/rng.js';
import { plainPanel } from '../helpers/plainPanel.js';

const F = 'p.csv';

function issuesOf(text: string, options = {}): { issues: InputIssue[]; more: number; message: string } {
  try {
    parsePanel(text, F, options);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const ie = e as InputError;
    return { issues: ie.issues, more: ie.more, message: ie.message };
  }
  throw new Error('expected an InputError');
}


const GOOD = [
  'customer,period,voice,intervention,followers',
  '2,1,complaint,0,10',
  '2,2,silent,1,10',
  '2,3,Compliment,0,11.5',
  '10,5,neutral,0,3',
  '10,6,,1,3',
  '10,7,NA,0,4',
].join('\n');

describe('parsePanel: a good panel', () => {
  it('builds the typed columnar panel', () => {
    const { panel, warnings } = parsePanel(GOOD, F);
    expect(warnings).toEqual([]);
    expect(plainPanel(panel)).toEqual({
      customers: ['2', '10'], // numeric order
      offsets: [0, 3, 6],
      period: [1, 2, 3, 5, 6, 7],
      voice: [0, 3, 1, 2, -1, -1],
      voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'],
      columns: { intervention: [0, 1, 0, 0, 1, 0], followers: [10, 10, 11.5, 3, 3, 4] },
    });
    expect(panel.source).toBe(F);
  });

  it('keeps only the default labels that occur, in default order', () => {
    const { panel } = parsePanel('customer,period,voice,intervention\na,1,silent,0\na,2,complaint,1\n', F);
    expect(panel.voiceLabels).toEqual(['complaint', 'silent']);
    expect(Array.from(panel.voice)).toEqual([1, 0]);
  });

  it('handles BOM, CRLF, quoted fields, trailing blank lines', () => {
    const text = '\ufeffcustomer,period,voice,intervention,"x"\r\n"a, inc",1,"complaint",0,"1.5"\r\n"a, inc",2,silent,1,2\r\n\r\n\r\n';
    const { panel } = parsePanel(text, F);
    expect(panel.customers).toEqual(['a, inc']);
    expect(Array.from(panel.columns.x)).toEqual([1.5, 2]);
  });

  it('accepts configurable column names and declared labels (declared order, unused warned)', () => {
    const text = 'user,t,tone,reply\nu,1,angry,0\nu,2,happy,1\n';
    const { panel, warnings } = parsePanel(text, F, {
      columns: { customer: 'user', period: 't', voice: 'tone', intervention: 'reply' },
      labels: ['happy', 'angry', 'quiet'],
    });
    expect(panel.voiceLabels).toEqual(['happy', 'angry', 'quiet']);
    expect(Array.from(panel.voice)).toEqual([1, 0]);
    expect(Object.keys(panel.columns)).toEqual(['intervention']);
    expect(warnings.join('\n')).toMatch(/'quiet' never occurs/);
  });

  it('warns about a customer with one row', () => {
    const { warnings } = parsePanel('customer,period,voice,intervention\na,1,silent,0\nb,1,silent,0\nb,2,silent,0\n', F);
    expect(warnings.join('\n')).toMatch(/1 customer has a single period: 'a' \(line 2\)/);
  });

  it('fills gaps as missing-voice rows with intervention 0 when asked', () => {
    const text = 'customer,period,voice,intervention,x\na,1,complaint,1,5\na,4,silent,1,6\n';
    const { panel, warnings } = parsePanel(text, F, { fillGaps: true });
    expect(Array.from(panel.period)).toEqual([1, 2, 3, 4]);
    expect(Array.from(panel.voice)).toEqual([0, -1, -1, 1]);
    expect(Array.from(panel.columns.intervention)).toEqual([1, 0, 0, 1]);
    expect(Array.from(panel.columns.x)).toEqual([5, 0, 0, 6]);
    expect(warnings.join('\n')).toMatch(/filled 2 missing periods/);
  });
});

describe('parsePanel: every fault names line and column', () => {
  const H = 'customer,period,voice,intervention,x';

  it('empty file and header only', () => {
    expect(issuesOf('').issues[0].expected).toMatch(/the file is empty/);
    expect(issuesOf('\n\n').issues[0].expected).toMatch(/the file is empty/);
    expect(issuesOf(H + '\n').issues[0].expected).toMatch(/header only/);
  });

  it('missing, duplicate and unnamed header columns', () => {
    const r = issuesOf('customer,periods,voice,voice,intervention,\na,1,silent,silent,0,\n');
    const byCol = (c: string) => r.issues.find((i) => i.column === c);
    expect(byCol('voice')).toMatchObject({ line: 1, value: 'voice' });
    expect(byCol('voice')?.expected).toMatch(/once/);
    expect(byCol('period')).toMatchObject({ line: 1 });
    expect(byCol('period')?.expected).toMatch(/did you mean 'periods'/);
    expect(byCol('#6')).toMatchObject({ line: 1, value: '' });
  });

  it('rows with the wrong number of fields', () => {
    const r = issuesOf(`${H}\na,1,silent,0,1\na,2,silent,0\n`);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ file: F, line: 3 });
    expect(r.issues[0].expected).toMatch(/5 fields as in the header, got 4/);
  });

  it('unknown voice label with a did-you-mean', () => {
    const r = issuesOf(`${H}\na,1,silent,0,1\na,2,complain,0,1\n`);
    expect(r.issues[0]).toMatchObject({ line: 3, column: 'voice', value: 'complain' });
    expect(r.issues[0].expected).toMatch(/did you mean 'complaint'/);
    const r2 = issuesOf(`${H}\na,1,happy,0,1\na,2,angry,0,1\n`, { labels: ['happy', 'sad'] });
    expect(r2.issues[0]).toMatchObject({ line: 3, column: 'voice', value: 'angry' });
    expect(r2.issues[0].expected).toMatch(/declared labels/);
  });

  it('inconsistent declared labels are a usage error', () => {
    expect(() => parsePanel(`${H}\n`, F, { labels: ['a', 'A'] })).toThrow(UsageError);
    expect(() => parsePanel(`${H}\n`, F, { labels: ['a', 'NA'] })).toThrow(UsageError);
  });

  it('non-integer or negative period', () => {
    const r = issuesOf(`${H}\na,1.5,silent,0,1\na,-2,silent,0,1\na,,silent,0,1\na,two,silent,0,1\n`);
    expect(r.issues.map((i) => [i.line, i.column, i.value])).toEqual([
      [2, 'period', '1.5'],
      [3, 'period', '-2'],
      [4, 'period', ''],
      [5, 'period', 'two'],
    ]);
  });

  it('duplicate (customer, period) with both line numbers', () => {
    const r = issuesOf(`${H}\na,1,silent,0,1\nb,1,silent,0,1\na,2,silent,0,1\na,1,complaint,0,1\n`);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ line: 5, column: 'period', value: '1' });
    expect(r.issues[0].expected).toMatch(/customer 'a' has period 1 on lines 2 and 5/);
  });

  it('gaps in a customer\'s periods', () => {
    const r = issuesOf(`${H}\na,3,silent,0,1\na,1,silent,0,1\na,2,silent,0,1\na,6,silent,0,1\n`);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ line: 5, column: 'period', value: '6' });
    expect(r.issues[0].expected).toMatch(/from period 3 \(line 2\) to 6; periods 4..5 are missing/);
  });

  it('intervention not 0/1', () => {
    const r = issuesOf(`${H}\na,1,silent,2,1\na,2,silent,yes,1\na,3,silent,,1\n`);
    expect(r.issues.map((i) => [i.line, i.column, i.value])).toEqual([
      [2, 'intervention', '2'],
      [3, 'intervention', 'yes'],
      [4, 'intervention', ''],
    ]);
    expect(r.issues[0].expected).toBe('0 or 1');
  });

  it('non-numeric, non-finite and missing covariates', () => {
    const r = issuesOf(`${H}\na,1,silent,0,abc\na,2,silent,0,Infinity\na,3,silent,0,NA\na,4,silent,0,\n`);
    expect(r.issues.map((i) => [i.line, i.column, i.value])).toEqual([
      [2, 'x', 'abc'],
      [3, 'x', 'Infinity'],
      [4, 'x', 'NA'],
      [5, 'x', ''],
    ]);
    expect(r.issues[1].expected).toMatch(/a decimal number/);
    expect(r.issues[2].expected).toMatch(/may not be missing/);
  });

  it('no observed voice at all', () => {
    const r = issuesOf(`${H}\na,1,,0,1\na,2,NA,0,1\n`);
    expect(r.issues[0].expected).toMatch(/at least one observed voice/);
  });

  it('reports line numbers correctly after multi-line quoted fields and blank lines (CRLF too)', () => {
    for (const nl of ['\n', '\r\n']) {
      const text = [H, 'a,1,silent,0,1', '"b', 'c",1,silent,0,1', '', 'a,2,bad,0,1'].join(nl);
      const r = issuesOf(text);
      expect(r.issues[0], JSON.stringify(nl)).toMatchObject({ line: 6, column: 'voice', value: 'bad' });
    }
  });

  it('valid CSV errors are located', () => {
    const r = issuesOf(`${H}\na,1,silent,0,1\na,2,sil"ent,0,1\n`);
    expect(r.issues[0].line).toBe(3);
    expect(r.issues[0].expected).toMatch(/valid CSV/);
  });

  it('collects issues up to the cap and counts the rest', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `a,${i + 1},silent,7,1`);
    const r = issuesOf([H, ...rows].join('\n'), { maxErrors: 5 });
    expect(r.issues).toHaveLength(5);
    expect(r.more).toBe(25);
    expect(r.message).toMatch(/30 problems found/);
    expect(r.message).toMatch(/\.\.\. and 25 more/);
    expect(r.issues[4]).toMatchObject({ line: 6, column: 'intervention', value: '7' });
  });
});

describe('readPanel (streaming) and writePanel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squeaky-panel-'));

  it('reads files like parsePanel and round-trips through writePanel', async () => {
    const f1 = join(dir, 'a.csv');
    writeFileSync(f1, GOOD);
    const a = await readPanel(f1);
    expect(plainPanel(a.panel)).toEqual(plainPanel(parsePanel(GOOD, f1).panel));
    const f2 = join(dir, 'b.csv');
    await writePanel(a.panel, f2);
    const b = await readPanel(f2);
    expect(plainPanel(b.panel)).toEqual(plainPanel(a.panel));
    const f3 = join(dir, 'c.csv');
    await writePanel(b.panel, f3);
    expect(readFileSync(f3, 'utf8')).toBe(readFileSync(f2, 'utf8'));
  });

  it('reports a missing file as an input error', async () => {
    await expect(readPanel(join(dir, 'nope.csv'))).rejects.toBeInstanceOf(InputError);
  });

  it('streaming reader locates faults like the string reader', async () => {
    const f = join(dir, 'bad.csv');
    writeFileSync(f, 'customer,period,voice,intervention\r\na,1,silent,0\r\na,1,silent,0\r\n');
    await expect(readPanel(f)).rejects.toMatchObject({ issues: [{ file: f, line: 3, column: 'period' }] });
  });

  it('writes nothing when the target folder does not exist', async () => {
    const target = join(dir, 'missing', 'x.csv');
    await expect(writePanel(parsePanel(GOOD, F).panel, target)).rejects.toThrow();
    expect(existsSync(target)).toBe(false);
  });
});

describe('property: row order does not matter', () => {
  it('shuffled rows give an identical panel', () => {
    const rng = new Rng(2024);
    for (let rep = 0; rep < 25; rep++) {
      const rows: string[] = [];
      const nCust = 1 + rng.int(8);
      const alpha = rng.uniform() < 0.5;
      for (let c = 0; c < nCust; c++) {
        const id = alpha ? `c${rng.int(1000)}x${c}` : String(rng.int(100000) * 10 + c);
        const first = rng.int(5);
        const len = 1 + rng.int(6);
        for (let t = 0; t < len; t++) {
          const voice = ['complaint', 'compliment', 'neutral', 'silent', '', 'NA'][rng.int(6)];
          rows.push(`${id},${first + t},${voice},${rng.int(2)},${(rng.normal() * 10).toFixed(3)}`);
        }
      }
      // make sure some voice is observed
      rows.push(`zz,0,complaint,0,1`);
      const H = 'customer,period,voice,intervention,x';
      const a = parsePanel([H, ...rows].join('\n'), F).panel;
      const shuffled = [...rows];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const b = parsePanel([H, ...shuffled].join('\n'), F).panel;
      expect(plainPanel(b)).toEqual(plainPanel(a));
      // sorted by customer, periods strictly consecutive within a customer
      for (let i = 0; i + 1 < a.offsets.length; i++) {
        for (let r = a.offsets[i] + 1; r < a.offsets[i + 1]; r++) expect(a.period[r]).toBe(a.period[r - 1] + 1);
      }
    }
  });
});
