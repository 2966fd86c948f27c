/**
 * The one number grammar of every numeric field squeaky reads (panel cells, option values):
 *
 *   decimal  = [sign] digits [ "." digits ] [ ("e" | "E") [sign] digits ]     sign = "+" | "-"
 *
 * Surrounding spaces and tabs are ignored. Nothing else is a number: no hexadecimal, octal or
 * binary (`0x1`, `0o1`, `0b1`), no bare point (`.5`, `5.`), no `Infinity`, no digit separators.
 * The value must be representable: a decimal that overflows to infinity or underflows to zero
 * from a non-zero mantissa (`1e-400`) is refused, never rounded silently.
 * A whole number (periods) is digits only, without sign or leading zeros; intervention is exactly
 * `0` or `1`.
 */
const DECIMAL = /^[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const WHOLE = /^(?:0|[1-9][0-9]*)$/;

/** Why a text is not a number under the grammar above, or undefined when it is. */
export type NumberProblem = 'not a number' | 'out of range';

/** The value of a decimal under the grammar, or the problem. */
export function parseDecimal(text: string): number | NumberProblem {
  const s = text.trim();
  if (!DECIMAL.test(s)) return 'not a number';
  const x = Number(s);
  if (!Number.isFinite(x)) return 'out of range';
  if (x === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return 'out of range';
  return x;
}

/** A whole number 0..max written as digits only (no sign, no leading zeros), else undefined. */
export function parseWhole(text: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const s = text.trim();
  if (!WHOLE.test(s) || s.length > 16) return undefined;
  const x = Number(s);
  return x <= max ? x : undefined;
}

/** What a decimal cell or option must look like, in words (for messages). */
export const DECIMAL_WORDS = 'a decimal number such as 3, -0.25 or 1.5e-3';
