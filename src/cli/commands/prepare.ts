import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../../errors.js';

// Placeholder until the data layer lands: registers the command so --help lists it.
export function prepareCommand(_io: CliIO): Command {
  return new Command('prepare').description('(not available yet)').action(() => {
    throw new UsageError('prepare is not available yet');
  });
}
