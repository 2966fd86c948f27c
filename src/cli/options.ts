import { UsageError, shown } from '../errors.js';
import { parseDecimal, parseWhole } from '../data/strictNumber.js';

/**
 * Option values arrive as strings; these turn them into numbers or fail with one clear UsageError
 * naming the option. Numbers follow the one grammar of src/data/strictNumber.ts.
 */
export function intOption(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const neg = /^-(?:0|[1-9][0-9]*)$/.test(v);
  const x = neg ? -(parseWhole(v.slice(1)) ?? NaN) : (parseWhole(v) ?? NaN);
  if (Number.isNaN(x) || x < min || x > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? `from ${min} to ${max}` : `>= ${min}`;
    throw new UsageError(`${flag} must be a whole number ${range}, got '${shown(value)}'`);
  }
  return x;
}

export function numberOption(flag: string, value: string | undefined, check: (x: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const x = parseDecimal(value);
  if (typeof x !== 'number' || !check(x)) throw new UsageError(`${flag} must be ${expected}, got '${shown(value)}'`);
  return x;
}

export function choiceOption<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  const hit = choices.find((c) => c === v);
  if (!hit) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got '${shown(value)}'`);
  return hit;
}

/** A comma-separated list of labels (e.g. --labels complaint,compliment,neutral,silent). */
export function listOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((s) => s.trim());
}
