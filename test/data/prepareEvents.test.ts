import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareEvents } from '../../src/data/prepareEvents.js';
import { readPanel } from '../../src/data/readPanel.js';
import { writePanel } from '../../src/data/writePanel.js';
import { InputError, UsageError, type InputIssue } from '../../src/errors.js';
import type { Panel } from '../../src/data/panel.js';
import { plainPanel } from '../helpers/plainPanel.js';

const dir = mkdtempSync(join(tmpdir(), 'squeaky-prepare-'));
let k = 0;
function file(text: string): string {
  const f = join(dir, `f${k++}.csv`);
  writeFileSync(f, text);
  return f;
}

function rowsOf(p: Panel, customer: string): Record<string, unknown>[] {
  const i = p.customers.indexOf(customer);
  const out: Record<string, unknown>[] = [];
  for (let r = p.offsets[i]; r < p.offsets[i + 1]; r++) {
    const row: Record<string, unknown> = { period: p.period[r], voice: p.voice[r] < 0 ? null : p.voiceLabels[p.voice[r]] };
    for (const [name, col] of Object.entries(p.columns)) if (name !== 'period_hours') row[name] = col[r];
    out.push(row);
  }
  return out;
}


// Out of time order on purpose; mixed timestamp forms.
const EVENTS = [
  'customer,timestamp,author,label,text',
  'a,2024-03-03T09:00:00+02:00,customer,neutral,"ok, thanks"', // 07:00Z Mar 3
  'a,2024-03-01T11:00:00Z,customer,compliment,nice',
  'b,1709337600,customer,Compliment,great', // 2024-03-02T00:00Z
  'a,2024-03-01T10:00:00Z,customer,complaint,broken',
  'a,2024-03-01T12:00:00Z,firm,,sorry',
  'b,2024-03-02T23:59:59-01:00,FIRM,,hi', // 2024-03-03T00:59:59Z
  'a,2024-03-02T05:00:00Z,customer,complaint,still broken',
  'c,2024-03-02T10:00:00Z,firm,,hello',
].join('\n');

function row(period: number, voice: string, c: number[], rest: Record<string, number> = {}) {
  return { period, voice, intervention: c[3] > 0 ? 1 : 0, n_complaint: c[0], n_compliment: c[1], n_neutral: c[2], n_firm: c[3], ...rest };
}

describe('prepareEvents', () => {
  it('builds one row per customer-period with the default rule and counts', async () => {
    const { panel, warnings } = await prepareEvents(file(EVENTS), { period: 'day' });
    expect(panel.customers).toEqual(['a', 'b']);
    expect(panel.voiceLabels).toEqual(['complaint', 'compliment', 'neutral', 'silent']);
    expect(rowsOf(panel, 'a')).toEqual([
      row(1, 'complaint', [1, 1, 0, 1]),
      row(2, 'complaint', [1, 0, 0, 0]),
      row(3, 'neutral', [0, 0, 1, 0]),
    ]);
    expect(rowsOf(panel, 'b')).toEqual([row(1, 'compliment', [0, 1, 0, 0]), row(2, 'silent', [0, 0, 0, 1])]);
    expect(warnings.join('\n')).toMatch(/1 firm tweet to accounts that never tweeted/);
    // The period length in hours, on every row, for the fit to state horizons in days.
    expect(Array.from(panel.columns.period_hours)).toEqual(new Array(5).fill(24));
  });

  it('applies a configured rule', async () => {
    const { panel } = await prepareEvents(file(EVENTS), { period: 'day', rule: ['compliment', 'neutral', 'complaint'] });
    expect(rowsOf(panel, 'a')[0].voice).toBe('compliment');
    await expect(prepareEvents(file(EVENTS), { period: 'day', rule: ['complaint', 'compliment'] })).rejects.toBeInstanceOf(UsageError);
  });

  it('respects the observation window: start for everyone, common end', async () => {
    const { panel, warnings } = await prepareEvents(file(EVENTS), { period: 'day', start: '2024-03-02', end: '2024-03-03T12:00:00Z' });
    expect(rowsOf(panel, 'a')).toEqual([row(1, 'complaint', [1, 0, 0, 0]), row(2, 'neutral', [0, 0, 1, 0])]);
    expect(rowsOf(panel, 'b')).toEqual([row(1, 'compliment', [0, 1, 0, 0]), row(2, 'silent', [0, 0, 0, 1])]);
    expect(warnings.join('\n')).toMatch(/3 events before 2024-03-02T00:00:00Z .*outside the window/);
    // an end later than the data extends everyone to it
    const late = await prepareEvents(file(EVENTS), { period: 'day', end: '2024-03-06' });
    expect(rowsOf(late.panel, 'b').map((r) => r.period)).toEqual([1, 2, 3, 4]);
    expect(rowsOf(late.panel, 'b')[3].voice).toBe('silent');
    await expect(prepareEvents(file(EVENTS), { period: 'day', start: '2024-03-05', end: '2024-03-01' })).rejects.toBeInstanceOf(UsageError);
    await expect(prepareEvents(file(EVENTS), { period: 'day', start: 'soon' })).rejects.toBeInstanceOf(UsageError);
  });

  it('adds friends\' complaints and compliments of the same calendar period', async () => {
    const edges = file('follower,followee\nb,a\na,b\nx,a\nb,a\n');
    const { panel, warnings } = await prepareEvents(file(EVENTS), { period: 'day', friends: edges });
    // b (from Mar 2) follows a: a complained on Mar 2, was neutral on Mar 3.
    expect(rowsOf(panel, 'b').map((r) => [r.friends_complaints, r.friends_compliments])).toEqual([
      [1, 0],
      [0, 0],
    ]);
    // a follows b: b complimented on Mar 2 (a's period 2); b had not started on Mar 1.
    expect(rowsOf(panel, 'a').map((r) => [r.friends_complaints, r.friends_compliments])).toEqual([
      [0, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(warnings.join('\n')).toMatch(/1 edge from accounts that are not customers/);
  });

  it('coarser periods: week and 24h', async () => {
    const w = await prepareEvents(file(EVENTS), { period: 'week' });
    expect(rowsOf(w.panel, 'a')).toEqual([row(1, 'complaint', [2, 1, 1, 1])]);
    const h = await prepareEvents(file(EVENTS), { period: '24h' });
    expect(plainPanel(h.panel)).toEqual(plainPanel((await prepareEvents(file(EVENTS), { period: 'day' })).panel));
  });

  it('round trip: prepare -> write -> read -> write -> read', async () => {
    const edges = file('follower,followee\nb,a\na,b\n');
    const { panel } = await prepareEvents(file(EVENTS), { period: 'day', friends: edges });
    const f1 = join(dir, 'rt1.csv');
    await writePanel(panel, f1);
    const r1 = await readPanel(f1);
    expect(plainPanel(r1.panel)).toEqual(plainPanel(panel));
    const f2 = join(dir, 'rt2.csv');
    await writePanel(r1.panel, f2);
    expect(plainPanel((await readPanel(f2)).panel)).toEqual(plainPanel(panel));
  });

  it('reports bad rows with line and column, never dropping them silently', async () => {
    const text = [
      'customer,timestamp,author,label',
      'a,2024-03-01T10:00:00Z,customer,complaint',
      'a,2024-03-32,customer,complaint',
      'a,2024-03-02,custmer,complaint',
      'a,2024-03-02,customer,complain',
      ',2024-03-02,customer,neutral',
      'a,2024-03-02,customer',
    ].join('\r\n');
    let issues: InputIssue[] = [];
    try {
      await prepareEvents(file(text), { period: 'day' });
      throw new Error('expected an InputError');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      issues = (e as InputError).issues;
    }
    expect(issues.map((i) => [i.line, i.column, i.value])).toEqual([
      [3, 'timestamp', '2024-03-32'],
      [4, 'author', 'custmer'],
      [5, 'label', 'complain'],
      [6, 'customer', ''],
      [7, undefined, 'a,2024-03-02,customer'],
    ]);
    expect(issues[1].expected).toMatch(/did you mean 'customer'/);
    expect(issues[2].expected).toMatch(/did you mean 'complaint'/);
  });

  it('missing header columns, empty files, bad edge rows', async () => {
    await expect(prepareEvents(file('customer,time,author,label\na,1,firm,\n'), { period: 'day' })).rejects.toMatchObject({
      issues: [{ line: 1, column: 'timestamp' }],
    });
    await expect(prepareEvents(file(''), { period: 'day' })).rejects.toBeInstanceOf(InputError);
    await expect(prepareEvents(file('customer,timestamp,author,label\n'), { period: 'day' })).rejects.toThrow(/header only/);
    const edges = file('follower,followee\nb,a\n,a\n');
    await expect(prepareEvents(file(EVENTS), { period: 'day', friends: edges })).rejects.toMatchObject({
      issues: [{ file: edges, line: 3, column: 'follower' }],
    });
    await expect(prepareEvents(file('customer,timestamp,author,label\na,1,firm,\n'), { period: 'day' })).rejects.toThrow(/no customer tweets/);
  });
});
