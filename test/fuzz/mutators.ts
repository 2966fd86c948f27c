/**
 * Seeded mutators of squeaky's inputs, as a careless or hostile user would produce them: panels,
 * event logs and fit files (as text) and command-line option values. Every choice comes from the
 * Rng passed in, so a case is reproduced exactly from (seed, case index).
 */
import type { Rng } from '../../src/estimation/rng.js';

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

/** Values that have broken parsers before: number forms, missing markers, control characters, huge. */
export const NASTY = [
  '', ' ', 'NA', 'nA', 'na', 'null', 'NaN', 'Infinity', '-Infinity', 'undefined', '0x1', '0b1', '0o7', '.1e1', '+1', ' 1 ', '01', '1.0',
  '1e400', '-1e400', '1e-400', '-0', '0', '1', '2', '-1', '1.5', '2147483647', '2147483648', '9007199254740993', '9'.repeat(40),
  '__proto__', 'constructor', 'toString', 'complaint', 'COMPLAINT', 'silent', 'shouting', '\u001b[31mred\u001b[0m', '\u0000', '\r', '\t',
  'é', '日本', '\u202e', '"', '""', '"a,b"', 'a,b', ';', 'x'.repeat(300), '1,000', '1_000', '1e5', '  -2.5e-3  ', 'true',
] as const;

const TIMESTAMPS = [
  '2024-01-01', '2024-02-30', '2024-13-01', '2024-01-01T25:00:00Z', '2024-01-01T24:00:00Z', '9999-12-31T23:59:59Z', '0001-01-01',
  '1700000000', '1700000000000', '-1', '1e10', '20240101', 'now', '2024-01-01T00:00:00+25:00', '2024-01-01 10:00', '@1704067200',
] as const;

/** CSV text -> rows of cells (no quoting: the base files have none). */
const split = (text: string): string[][] => text.replace(/\n$/, '').split('\n').map((l) => l.split(','));
const join = (rows: string[][]): string => rows.map((r) => r.join(',')).join('\n') + '\n';

/** One random edit of a CSV text. `cellValues` adds domain values for cells (e.g. timestamps). */
export function mutateCsv(rng: Rng, text: string, cellValues: readonly string[] = []): { text: string | Buffer; what: string } {
  const rows = split(text);
  const r = 1 + rng.int(Math.max(1, rows.length - 1));
  const c = rng.int(rows[0].length);
  const kind = rng.int(20);
  switch (kind) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4: {
      const v = rng.uniform() < 0.3 && cellValues.length ? pick(rng, cellValues) : pick(rng, NASTY);
      if (rows[r]) rows[r][c] = v;
      return { text: join(rows), what: `cell ${r + 1}:${c + 1} = ${JSON.stringify(v)}` };
    }
    case 5:
      rows.splice(r, 1);
      return { text: join(rows), what: `delete line ${r + 1}` };
    case 6:
      rows.splice(r, 0, [...(rows[r] ?? rows[0] ?? [])]);
      return { text: join(rows), what: `duplicate line ${r + 1}` };
    case 7:
      for (const row of rows) row.splice(c, 1);
      return { text: join(rows), what: `delete column ${c + 1}` };
    case 8: {
      const v = pick(rng, NASTY);
      rows[0][c] = v;
      return { text: join(rows), what: `header ${c + 1} = ${JSON.stringify(v)}` };
    }
    case 9:
      rows[0].push(pick(rng, ['x', 'extra', '__proto__', 'intervention', '']));
      for (const row of rows.slice(1)) row.push(pick(rng, ['1', '0', '', 'NA', '2.5']));
      return { text: join(rows), what: 'add column' };
    case 10: {
      const at = rng.int(text.length + 1);
      return { text: text.slice(0, at), what: `truncate at ${at}` };
    }
    case 11:
      return { text: '\ufeff' + text.replace(/\n/g, '\r\n'), what: 'BOM + CRLF' };
    case 12: {
      const d = pick(rng, [';', '\t']);
      return { text: text.replace(/,/g, d), what: `delimiter ${JSON.stringify(d)}` };
    }
    case 13:
      return { text: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), what: 'UTF-16LE' };
    case 14:
      return { text: rng.uniform() < 0.5 ? '' : rows[0].join(',') + '\n', what: 'empty or header only' };
    case 15:
      return { text: text.replace(/\n/g, '\r'), what: 'CR-only line ends' };
    case 16: {
      const at = rng.int(text.length + 1);
      const ch = String.fromCharCode(rng.int(256));
      return { text: text.slice(0, at) + ch + text.slice(at), what: `insert char ${ch.charCodeAt(0)} at ${at}` };
    }
    case 17: {
      if (rows.length < 3) return { text, what: 'swap lines (too few)' };
      const a = 1 + rng.int(rows.length - 1);
      const b = 1 + rng.int(rows.length - 1);
      [rows[a], rows[b]] = [rows[b], rows[a]];
      return { text: join(rows), what: `swap lines ${a + 1} and ${b + 1}` };
    }
    case 18: {
      const at = rng.int(text.length + 1);
      return { text: text.slice(0, at) + '"' + text.slice(at), what: `stray quote at ${at}` };
    }
    default:
      if (rows[r]) rows[r].push('extra');
      return { text: join(rows), what: `extra field on line ${r + 1}` };
  }
}

export function mutateTimestampCell(rng: Rng): string {
  return pick(rng, TIMESTAMPS);
}
export const TIMESTAMP_VALUES = TIMESTAMPS;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a JSON value (arrays by index), for choosing where to mutate. */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.slice(0, 20).forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

const JSON_VALUES: Json[] = [null, true, 0, -1, 1.5, 256, 1e308, -1e308, 'x', '', 'NaN', [], {}, [1, 2], { a: 1 }, 'complaint', 3, 2, 1, 'ordered', '~ 1', '~ lag(intervention, 1e9)', '~ (', 1e-320];

/** One random edit of a fit.json (or truth) text. */
export function mutateJson(rng: Rng, text: string): { text: string; what: string } {
  const kind = rng.int(10);
  if (kind === 0) {
    const at = rng.int(text.length + 1);
    return { text: text.slice(0, at), what: `truncate at ${at}` };
  }
  const doc = JSON.parse(text) as Json;
  const all = paths(doc).filter((p) => p.length > 0);
  const p = pick(rng, all);
  let parent = doc as Record<string | number, Json>;
  for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const last = p[p.length - 1];
  if (kind <= 2 && !Array.isArray(parent)) {
    delete parent[last];
    return { text: JSON.stringify(doc, null, 2), what: `delete ${p.join('.')}` };
  }
  if (kind === 3 && Array.isArray(parent)) {
    (parent as Json[]).splice(Number(last), 1);
    return { text: JSON.stringify(doc, null, 2), what: `remove ${p.join('.')}` };
  }
  const v = pick(rng, JSON_VALUES);
  parent[last] = v;
  return { text: JSON.stringify(doc, null, 2), what: `${p.join('.')} = ${JSON.stringify(v)}` };
}

/** Option values to try, by option. */
export const OPTION_VALUES: Record<string, readonly string[]> = {
  '--states': ['0', '1', '2', '3', '16', '17', '256', '-1', '1.5', 'x', '', '0x2', '1e1'],
  '--starts': ['0', '1', '3', '1000', '1001', '100000', '-1', 'many', ''],
  '--seed': ['0', '1', '4294967295', '4294967296', '-1', '1.5', '1e3', '0x10', ''],
  '--max-iter': ['0', '1', '5', '-1', '1e9', 'x', ''],
  '--tol': ['1e-9', '0', '-1', 'NaN', 'Infinity', '0x1', '1e-400', '', '.1'],
  '--horizon': ['1', '5', '0', '-1', '1.5', 'x', ''],
  '--transition-type': ['ordered', 'multinomial', 'ladder', '', 'ORDERED'],
  '--reference': ['silent', 'complaint', 'shouting', '', 'SILENT', '__proto__'],
  '--labels': ['complaint,compliment,neutral,silent', 'a,b', 'silent', ',', 'silent,silent', 'complaint,compliment,neutral,silent,shouting', ''],
  '--initial': ['~ 1', '~', '~ x', '~ (', '~ 1 - 1', '~ lag(intervention, 0)', '~ intervention', '~ log(-1)'],
  '--transition': ['~ lag(intervention)', '~ lag(intervention, 1e9)', '~ stock(intervention, 2)', '~ lead(intervention)', '~ intervention ++ intervention', '~ lag(intervention', '~ scale(intervention)', '~ 1/0'],
  '--emission': ['~ stock(intervention, 0.8)', '~ 1', '~ - 1', '~ cumsum(intervention)', '~ exp(1000 * lag(intervention))', '~ nothing', '~ sqrt(-lag(intervention))', '~ x'],
  '--customers': ['1', '3', '0', '-1', '100000000000', '1.5', 'x', ''],
  '--periods': ['1', '4', '0', '100000000', 'x', ''],
  '--policy': ['0.5,0.02', '1,0', '0.5', '2,0', 'a,b', '0.5,0.02,0.1', ',', '', 'NaN,0'],
  '--period': ['day', 'week', '6h', '1h', '0h', 'month', '', '24H', '-1h', '1.5h'],
  '--start': ['2024-01-01', '20240101', '@1704067200', 'yesterday', '2024-02-30', '', '1704067200'],
  '--end': ['2024-07-01', '2023-01-01', '@0', 'x', ''],
  '--rule': ['complaint,compliment,neutral', 'neutral,compliment,complaint', 'complaint', 'a,b,c', ''],
  '--max-errors': ['1', '5', '0', '-1', 'x', '1e9', ''],
  '--max-rows': ['10', '0', 'x', '1000000000'],
  '--format': ['text', 'json', 'csv', 'markdown', 'latex', 'html', '', 'JSON'],
};
