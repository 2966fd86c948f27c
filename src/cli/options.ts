import { UsageError } from '../errors.js';

/** Option values arrive as strings; these turn them into numbers or fail with one clear UsageError. */
export function intOption(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!/^[+-]?\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(`${flag} must be a whole number >= ${min}, got '${value}'`);
  }
  return Number(v);
}

export function numberOption(flag: string, value: string | undefined, check: (x: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const x = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(x) || !check(x)) throw new UsageError(`${flag} must be ${expected}, got '${value}'`);
  return x;
}

export function choiceOption<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  const hit = choices.find((c) => c === v);
  if (!hit) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got '${value}'`);
  return hit;
}

/** A comma-separated list of labels (e.g. --labels complaint,compliment,neutral,silent). */
export function listOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((s) => s.trim());
}
