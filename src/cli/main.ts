import { Command } from 'commander';
import { processIO, type CliIO } from './io.js';
import { printError } from './printError.js';
import { escapeControls } from '../errors.js';
import { VERSION } from '../version.js';
import { validateCommand } from './commands/validate.js';
import { prepareCommand } from './commands/prepare.js';
import { fitCommand } from './commands/fit.js';
import { tableCommand } from './commands/table.js';
import { effectsCommand } from './commands/effects.js';
import { decodeCommand } from './commands/decode.js';
import { simulateCommand } from './commands/simulate.js';
import { reportCommand } from './commands/report.js';
import { testCommand } from './commands/test.js';
import { policyCommand } from './commands/policy.js';
import { selectCommand } from './commands/select.js';
import { channelsCommand } from './commands/channels.js';

/** Every command: a factory taking the IO, returning a commander Command whose action throws typed errors. */
const COMMANDS: ((io: CliIO) => Command)[] = [validateCommand, prepareCommand, fitCommand, tableCommand, effectsCommand, decodeCommand, simulateCommand, testCommand, policyCommand, selectCommand, channelsCommand, reportCommand];

export function buildProgram(io: CliIO): Command {
  const program = new Command('squeaky')
    .description('Hidden Markov models of customer-firm relationships: does an intervention improve the relationship, or teach the squeaky wheel to squeak?')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(escapeControls(s, true)) })
    .exitOverride();
  for (const make of COMMANDS) {
    const cmd = make(io);
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(escapeControls(s, true)) }).showHelpAfterError('(run with --help for usage)');
    program.addCommand(cmd);
  }
  return program;
}

/** Run the CLI. argv as process.argv (node, script, ...args). Resolves to the exit code; never throws. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv);
    return 0;
  } catch (e) {
    return printError(e, io);
  }
}
