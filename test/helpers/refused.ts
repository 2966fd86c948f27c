import { expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { runCli } from './runCli.js';

/**
 * Run the CLI and expect a refusal: exit 2, stderr matching `message`, no stack trace, nothing on
 * stdout and nothing new, changed or removed in `dir`. Returns stderr.
 */
export async function expectRefused(dir: string, args: string[], message: RegExp): Promise<string> {
  const before = readdirSync(dir).sort();
  const r = await runCli(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stdout).toBe('');
  expect(readdirSync(dir).sort()).toEqual(before);
  return r.stderr;
}
