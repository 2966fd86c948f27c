import { describe, expect, it } from 'vitest';
import { ChunkedFloat64, ChunkedInt16, ChunkedInt32, ChunkedInt8, ChunkedUint8, RowLines } from '../../src/data/chunked.js';
import { parsePanel } from '../../src/data/readPanel.js';
import { InputError } from '../../src/errors.js';
import { Rng } from '../../src/estimation/rng.js';

describe('chunked columns', () => {
  it('keep every value across chunk boundaries in each element type, and are empty after clear', () => {
    const n = 3 * 65536 + 17;
    const cases = [
      [new ChunkedFloat64(), (i: number) => i * 0.5 - 7],
      [new ChunkedInt32(), (i: number) => i * 7919 - 1e6],
      [new ChunkedInt16(), (i: number) => (i % 65535) - 32767],
      [new ChunkedInt8(), (i: number) => (i % 255) - 127],
      [new ChunkedUint8(), (i: number) => i % 256],
    ] as const;
    for (const [col, f] of cases) {
      for (let i = 0; i < n; i++) col.push(f(i));
      expect(col.length).toBe(n);
      let bad = 0;
      for (let i = 0; i < n; i++) if (col.get(i) !== f(i)) bad++;
      expect(bad).toBe(0);
      col.clear();
      expect(col.length).toBe(0);
      col.push(f(5));
      expect(col.get(0)).toBe(f(5));
    }
  });

  it('RowLines gives back every pushed line (consecutive runs, jumps, repeats)', () => {
    const rng = new Rng(11);
    const lines: number[] = [];
    const rl = new RowLines();
    let line = 1;
    for (let i = 0; i < 200_000; i++) {
      const u = rng.uniform();
      line += u < 0.9 ? 1 : u < 0.97 ? 2 + Math.floor(rng.uniform() * 5) : 0; // a multi-line record's rows share a line
      lines.push(line);
      rl.push(line);
    }
    expect(rl.length).toBe(lines.length);
    let bad = 0;
    for (let i = 0; i < lines.length; i++) if (rl.get(i) !== lines[i]) bad++;
    expect(bad).toBe(0);
  });
});

describe('reading into compact columns', () => {
  it('names the right lines of a duplicate and a gap far past the first chunk, after blank lines and a quoted record', () => {
    const rows = ['customer,period,voice,intervention'];
    for (let c = 0; c < 800; c++) for (let t = 0; t < 100; t++) rows.push(`${c},${t},${t % 3 === 0 ? 'complaint' : 'silent'},${t % 7 === 0 ? 1 : 0}`);
    // 80,001 lines so far; a blank line, a two-line quoted customer id, then the bad rows
    rows.push('');
    rows.push('"x\ny",0,silent,0');
    rows.push('"x\ny",1,silent,0'); // lines 80003-80004 and 80005-80006
    rows.push('5,50,silent,0'); // line 80007: duplicate of customer 5's period 50 (line 1 + 5*100 + 50 + 1)
    rows.push('"x\ny",3,silent,0'); // lines 80008-80009: period 2 missing
    try {
      parsePanel(rows.join('\n'), 'big.csv');
      throw new Error('expected an InputError');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const msgs = (e as InputError).issues.map((i) => `${i.line}: ${i.expected}`);
      expect(msgs).toContain("80007: one row per customer and period: customer '5' has period 50 on lines 552 and 80007");
      expect(msgs.some((m) => m.startsWith('80008: consecutive periods:') && m.includes('(line 80005)'))).toBe(true);
      expect(msgs).toHaveLength(2);
    }
  });

  it('builds the same panel from rows in any order (8-bit voice and intervention gathered by period)', () => {
    const rng = new Rng(3);
    const rows: string[] = [];
    const labels = ['complaint', 'compliment', 'neutral', 'silent', 'NA'];
    for (let c = 0; c < 50; c++) for (let t = 0; t < 30; t++) rows.push(`c${c},${t + c},${labels[Math.floor(rng.uniform() * 5)]},${rng.uniform() < 0.2 ? 1 : 0},${(c * t) / 8}`);
    const header = 'customer,period,voice,intervention,x';
    const a = parsePanel([header, ...rows].join('\n'), 'a.csv').panel;
    const shuffled = rows.slice();
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const b = parsePanel([header, ...shuffled].join('\n'), 'b.csv').panel;
    expect(b.customers).toEqual(a.customers);
    expect(Array.from(b.period)).toEqual(Array.from(a.period));
    expect(Array.from(b.voice)).toEqual(Array.from(a.voice));
    expect(Array.from(b.columns.intervention)).toEqual(Array.from(a.columns.intervention));
    expect(Array.from(b.columns.x)).toEqual(Array.from(a.columns.x));
    // row by row against the text: customer c's period p holds the row written for it
    const byKey = new Map(rows.map((r) => [r.split(',').slice(0, 2).join(','), r.split(',')]));
    const vi = (s: string): number => (s === 'NA' ? -1 : a.voiceLabels.indexOf(s));
    for (let i = 0; i < a.customers.length; i++) {
      for (let r = a.offsets[i]; r < a.offsets[i + 1]; r++) {
        const f = byKey.get(`${a.customers[i]},${a.period[r]}`)!;
        expect([a.voice[r], a.columns.intervention[r], a.columns.x[r]]).toEqual([vi(f[2]), +f[3], +f[4]]);
      }
    }
  });
});
