import type { InputIssue } from '../errors.js';

export type Json = unknown;

/** Collects located problems while checking the shape of a parsed fit.json. */
export class Checker {
  readonly issues: InputIssue[] = [];
  constructor(readonly file: string) {}

  fail(path: string, value: Json, expected: string): void {
    const shown = value === undefined ? 'missing' : JSON.stringify(value);
    this.issues.push({ file: this.file, column: path, value: shown.length > 60 ? shown.slice(0, 57) + '...' : shown, expected });
  }

  obj(v: Json, path: string): Record<string, Json> | undefined {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, Json>;
    this.fail(path, v, 'an object');
    return undefined;
  }

  num(v: Json, path: string, opts: { int?: boolean; min?: number; finite?: boolean } = {}): number {
    const finite = opts.finite ?? true;
    if (typeof v !== 'number' || Number.isNaN(v) || (finite && !Number.isFinite(v)) || (opts.int && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min)) {
      this.fail(path, v, `${opts.int ? 'an integer' : 'a finite number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}`);
      return NaN;
    }
    return v;
  }

  str(v: Json, path: string): string {
    if (typeof v !== 'string') {
      this.fail(path, v, 'a string');
      return '';
    }
    return v;
  }

  bool(v: Json, path: string): boolean {
    if (typeof v !== 'boolean') {
      this.fail(path, v, 'true or false');
      return false;
    }
    return v;
  }

  arr(v: Json, path: string): Json[] {
    if (!Array.isArray(v)) {
      this.fail(path, v, 'an array');
      return [];
    }
    return v;
  }

  numArr(v: Json, path: string): number[] {
    return this.arr(v, path).map((x, i) => this.num(x, `${path}[${i}]`));
  }

  strArr(v: Json, path: string): string[] {
    return this.arr(v, path).map((x, i) => this.str(x, `${path}[${i}]`));
  }
}
