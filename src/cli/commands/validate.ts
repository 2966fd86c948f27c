import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { UsageError } from '../../errors.js';

// Placeholder until the data layer lands: registers the command so --help lists it.
export function validateCommand(_io: CliIO): Command {
  return new Command('validate').description('(not available yet)').action(() => {
    throw new UsageError('validate is not available yet');
  });
}
