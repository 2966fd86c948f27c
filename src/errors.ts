/**
 * Typed errors. Every error squeaky raises on purpose is a SqueakyError carrying the exit code
 * of DESIGN.md: 2 for bad usage or bad input (a clear message, nothing written). Anything else
 * that escapes is a bug and exits 1 (see src/cli/printError.ts).
 */

/** One located problem in an input file. */
export interface InputIssue {
  file: string;
  /** 1-based physical line in the file (header = line 1); undefined when not tied to a line. */
  line?: number;
  /** Column name (or formula position) the problem is in. */
  column?: string;
  /** The offending value as read. */
  value?: string;
  /** What was expected, in words. */
  expected: string;
}

/** Longest value echoed in a message; longer ones are cut (with their length said). */
export const MAX_SHOWN = 80;

/**
 * Control characters (ESC, NUL, CR, DEL, C1 controls, ...) as visible escapes such as \x1b, so a
 * message never drives the terminal; line feeds are kept only when `keepNewlines`.
 */
export function escapeControls(s: string, keepNewlines = false): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (keepNewlines && c === '\n') return c;
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    if (c === '\n') return '\\n';
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** A value as echoed in a message: control characters escaped, at most MAX_SHOWN characters. */
export function shown(value: string, max = MAX_SHOWN): string {
  const e = escapeControls(value);
  return e.length <= max ? e : `${e.slice(0, max - 3)}... (${value.length} characters)`;
}

export function formatIssue(i: InputIssue): string {
  const where = [shown(i.file, 200), i.line !== undefined ? `line ${i.line}` : undefined, i.column !== undefined ? `column '${shown(i.column)}'` : undefined]
    .filter((s) => s !== undefined)
    .join(', ');
  const value = i.value !== undefined ? `: value '${shown(i.value)}'` : '';
  return `${where}${value}: ${i.expected}`;
}

export class SqueakyError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments. Exit 2. */
export class UsageError extends SqueakyError {
  override readonly exitCode = 2;
}

/** Bad input data or files (collected issues, each located). Exit 2. */
export class InputError extends SqueakyError {
  override readonly exitCode = 2;
  readonly issues: InputIssue[];
  /** How many further issues were found beyond the cap and not listed. */
  readonly more: number;
  constructor(summary: string, issues: InputIssue[] = [], more = 0) {
    const lines = issues.map((i) => '  ' + formatIssue(i));
    if (more > 0) lines.push(`  ... and ${more} more`);
    super(lines.length ? `${summary}\n${lines.join('\n')}` : summary);
    this.issues = issues;
    this.more = more;
  }
}

/** A formula that cannot be turned into a design. Exit 2. `position` is 0-based in `formula`. */
export class FormulaError extends SqueakyError {
  override readonly exitCode = 2;
  constructor(
    readonly formula: string,
    readonly reason: string,
    readonly position?: number,
  ) {
    const caret = position !== undefined ? `\n  ${formula}\n  ${' '.repeat(Math.max(0, position))}^` : `\n  ${formula}`;
    super(`formula error: ${reason}${caret}`);
  }
}

/** A model specification or parameter vector that does not fit the data or itself. Exit 2. */
export class ModelError extends SqueakyError {
  override readonly exitCode = 2;
}
