import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { intOption, numberOption } from '../options.js';
import { UsageError, shown } from '../../errors.js';
import { simulatePanel } from '../../report/simulatePanel.js';
import { MAX_SIMULATED_ROWS } from '../../estimation/simulate.js';
import { MAX_SEED } from '../../estimation/rng.js';

export function simulateCommand(io: CliIO): Command {
  return new Command('simulate')
    .description('simulate a panel from a saved fit or a truth file, with a firm that intervenes in response to voice')
    .argument('<model>', 'fit.json written by squeaky fit, or a truth file ({ spec, parameters })')
    .requiredOption('--customers <N>', 'number of customers')
    .requiredOption('--periods <T>', 'periods per customer')
    .option('--policy <p,q>', 'probability of an intervention in a period with a complaint, and in any other period', '0.5,0.02')
    .option('--seed <S>', 'seed of the simulation', '1')
    .requiredOption('--out <panel.csv>', 'panel CSV to write')
    .option('--states-out <file>', 'also write the true states (customer, period, state; with latent classes also class)')
    .option('--covariates <panel.csv>', "take the paths of the covariates the model's formulas read from this panel's customers (one drawn per simulated customer)")
    .addHelpText(
      'after',
      `
At most ${MAX_SIMULATED_ROWS.toLocaleString('en-US')} rows (customers x periods). With --covariates, each simulated
customer copies the first T periods of the covariate columns of a panel customer drawn at random
(seeded) among those with at least T periods; intervention and its lags and stocks follow the
simulated firm. A fit or truth file with latent classes (fit --classes) draws each customer's
class from its membership model first (the class formula's columns come from --covariates).

Examples:
  $ squeaky simulate data/example-truth.json --customers 500 --periods 60 --policy 0.6,0.02 --seed 3 --out sim.csv
  $ squeaky simulate fit3/fit.json --customers 200 --periods 20 --covariates panel.csv --out sim.csv`,
    )
    .action(async (model: string, f: { customers: string; periods: string; policy: string; seed: string; out: string; statesOut?: string; covariates?: string }) => {
      const customers = intOption('--customers', f.customers, 1, MAX_SIMULATED_ROWS) as number;
      const periods = intOption('--periods', f.periods, 1, MAX_SIMULATED_ROWS) as number;
      if (customers * periods > MAX_SIMULATED_ROWS) {
        throw new UsageError(`--customers ${customers} x --periods ${periods} = ${(customers * periods).toLocaleString('en-US')} rows; at most ${MAX_SIMULATED_ROWS.toLocaleString('en-US')} are simulated`);
      }
      const seed = intOption('--seed', f.seed, 0, MAX_SEED) as number;
      const parts = f.policy.split(',');
      if (parts.length !== 2) throw new UsageError(`--policy must be two probabilities 'p,q' (after a complaint, otherwise), got '${shown(f.policy)}'`);
      const prob = (s: string) => numberOption('--policy', s, (x) => x >= 0 && x <= 1, 'two probabilities between 0 and 1') as number;
      const policy = { afterComplaint: prob(parts[0]), otherwise: prob(parts[1]) };
      const r = await simulatePanel(model, { customers, periods, policy, seed, covariates: f.covariates }, f.out, f.statesOut);
      io.out(`Wrote ${f.out} (${r.panel.customers.length} customers x ${periods} periods)${f.statesOut ? ` and ${f.statesOut}` : ''}\n`);
    });
}
