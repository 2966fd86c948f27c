import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CsvRecords, CsvSyntaxError } from '../../src/data/csvRecords.js';
import { Rng } from '../../src/estimation/rng.js';

function collect(text: string, pieces: number[] = []): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const r = new CsvRecords((fields, line) => out.push({ fields, line }));
  let at = 0;
  for (const p of pieces) {
    r.push(text.slice(at, at + p));
    at += p;
  }
  r.push(text.slice(at));
  r.end();
  return out;
}

describe('CsvRecords', () => {
  it('splits plain and quoted records with start lines; BOM, CRLF, blank lines', () => {
    const text = '\ufeffa,b\r\n1,"x,\r\ny"\r\n\r\n2,"say ""hi"""\r\n3,4';
    expect(collect(text)).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['1', 'x,\r\ny'], line: 2 },
      { fields: ['2', 'say "hi"'], line: 5 },
      { fields: ['3', '4'], line: 6 },
    ]);
  });

  it('reports an unclosed quote at the line where it opens', () => {
    expect(() => collect('a,b\n1,2\n3,"4\n5,6\n')).toThrow(CsvSyntaxError);
    try {
      collect('a,b\n1,2\n3,"4\n5,6\n');
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(3);
    }
  });

  it('agrees with csv-parse on random files cut into random pieces', () => {
    const rng = new Rng(7);
    const atoms = ['a', 'b', '1', '2.5', '', ' x ', 'é', '"q,1"', '"l\nm"', '"r\r\ns"', '"say ""y"""', '""'];
    for (let rep = 0; rep < 200; rep++) {
      const nl = rng.uniform() < 0.5 ? '\n' : '\r\n';
      const nCols = 1 + rng.int(4);
      const lines: string[] = [];
      const nRec = 1 + rng.int(8);
      for (let i = 0; i < nRec; i++) {
        if (rng.uniform() < 0.1) lines.push('');
        lines.push(Array.from({ length: nCols }, () => atoms[rng.int(atoms.length)]).join(','));
      }
      const text = (rng.uniform() < 0.3 ? '\ufeff' : '') + lines.join(nl) + (rng.uniform() < 0.5 ? nl : '');
      const expected = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
      const pieces = Array.from({ length: rng.int(6) }, () => rng.int(10));
      const got = collect(text, pieces).map((r) => r.fields);
      // A record whose only field is empty ("" quoted) is skipped by the readers either way.
      const nonEmpty = (f: string[]) => !(f.length === 1 && f[0] === '');
      expect(got.filter(nonEmpty)).toEqual(expected.filter(nonEmpty));
    }
  });
});
