import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { intOption, numberOption } from '../options.js';
import { UsageError } from '../../errors.js';
import { simulatePanel } from '../../report/simulatePanel.js';

export function simulateCommand(io: CliIO): Command {
  return new Command('simulate')
    .description('simulate a panel from a saved fit or a truth file, with a firm that intervenes in response to voice')
    .argument('<model>', 'fit.json written by squeaky fit, or a truth file ({ spec, parameters })')
    .requiredOption('--customers <N>', 'number of customers')
    .requiredOption('--periods <T>', 'periods per customer')
    .option('--policy <p,q>', 'probability of an intervention in a period with a complaint, and in any other period', '0.5,0.02')
    .option('--seed <S>', 'seed of the simulation', '1')
    .requiredOption('--out <panel.csv>', 'panel CSV to write')
    .option('--states-out <file>', 'also write the true states (customer, period, state)')
    .addHelpText(
      'after',
      `
Example:
  $ squeaky simulate data/example-truth.json --customers 500 --periods 60 --policy 0.6,0.02 --seed 3 --out sim.csv`,
    )
    .action(async (model: string, f: { customers: string; periods: string; policy: string; seed: string; out: string; statesOut?: string }) => {
      const customers = intOption('--customers', f.customers, 1) as number;
      const periods = intOption('--periods', f.periods, 1) as number;
      const seed = intOption('--seed', f.seed, 0) as number;
      const parts = f.policy.split(',');
      if (parts.length !== 2) throw new UsageError(`--policy must be two probabilities 'p,q' (after a complaint, otherwise), got '${f.policy}'`);
      const prob = (s: string) => numberOption('--policy', s, (x) => x >= 0 && x <= 1, 'two probabilities between 0 and 1') as number;
      const policy = { afterComplaint: prob(parts[0]), otherwise: prob(parts[1]) };
      const r = await simulatePanel(model, { customers, periods, policy, seed }, f.out, f.statesOut);
      io.out(`Wrote ${f.out} (${r.panel.customers.length} customers x ${periods} periods)${f.statesOut ? ` and ${f.statesOut}` : ''}\n`);
    });
}
