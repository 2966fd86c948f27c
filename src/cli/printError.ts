import { CommanderError } from 'commander';
import { SqueakyError, escapeControls } from '../errors.js';
import type { CliIO } from './io.js';

/** The one place errors become messages and exit codes (DESIGN.md: 1 internal, 2 usage/input). */
export function printError(e: unknown, io: CliIO): number {
  if (e instanceof CommanderError) {
    // commander already printed its message through configureOutput.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof SqueakyError) {
    io.err(`squeaky: ${escapeControls(e.message, true)}\n`);
    return e.exitCode;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  io.err(`squeaky: internal error (this is a bug; please report it with the command you ran):\n${detail}\n`);
  return 1;
}
