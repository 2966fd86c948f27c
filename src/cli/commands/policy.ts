import { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, intOption } from '../options.js';
import { addPanelReadOptions, panelReadOptions, type PanelReadFlags } from '../panelOptions.js';
import { isTruth, loadFit } from '../../report/fitFile.js';
import { UsageError } from '../../errors.js';
import { readPanel } from '../../data/readPanel.js';
import { writeFileAtomic } from '../../report/writeAtomic.js';
import { DEFAULT_HORIZON } from '../../report/computeEffects.js';
import { projectPolicies, DEFAULT_DRAWS, MIN_PATHS, MAX_PATHS } from '../../report/policy/projectPolicies.js';
import { DEFAULT_POLICIES } from '../../report/policy/policySpec.js';
import { formatPolicyText } from '../../report/policy/formatPolicy.js';
import { policyReportJson } from '../../report/policy/policyReport.js';

interface PolicyFlags extends PanelReadFlags {
  policies: string;
  horizon?: string;
  from: string;
  paths?: string;
  seed: string;
  threads?: string;
  value?: string;
  draws?: string;
  format?: string;
  out?: string;
  progress?: boolean;
  quiet?: boolean;
}

export function policyCommand(io: CliIO): Command {
  const cmd = new Command('policy')
    .description("project the panel's customers under response policies: expected complaints, compliments, silence, interventions and states")
    .argument('<fit>', 'fit.json written by squeaky fit (or a truth file { spec, parameters }, to project a known model)')
    .argument('<panel>', 'panel CSV of the customers to project (the voice labels and columns the fit uses)')
    .option('--policies <list>', 'comma-separated: observed, all, none, rate:p, budget:n, state:k (observed is always included)', DEFAULT_POLICIES)
    .option('--horizon <H>', `periods projected (default ${DEFAULT_HORIZON})`)
    .option('--from <where>', "end: from each customer's filtered state in their last period; start: from their first period", 'end')
    .option('--paths <N>', `Monte Carlo paths per policy (default: from ${MIN_PATHS}, doubled until every mean's MC SE is below 1% of it, at most ${MAX_PATHS})`)
    .option('--seed <S>', 'seed of the Monte Carlo paths and parameter draws', '1')
    .option('--threads <N>', 'worker threads (default: the number of cores); the numbers do not depend on it')
    .option('--value <weights>', 'rank policies by value, e.g. complaint=-1,compliment=0.5,intervention=-0.2')
    .option('--draws <D>', `parameter draws for the 95% intervals (default ${DEFAULT_DRAWS}; 0 = none)`)
    .option('--format <format>', 'text or json (default text; json when --out ends in .json)')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--progress', 'show progress on stderr even when it is not a terminal')
    .option('--quiet', 'no progress and no reading warnings on stderr');
  return addPanelReadOptions(cmd)
    .addHelpText(
      'after',
      `
Policies: observed = the firm's policy estimated from the panel (a logit of intervention on this
period's voice and the customer's recent history; its table is printed); all = answer every
complaint; none = never intervene; rate:p = answer a random share p of complaints; budget:n = at
most n interventions per period, to the complaining customers most likely in state 1 (the worst);
state:k = answer complaints of customers whose probability of a state <= k exceeds 0.5.
Probabilities of states are filtered: given the customer's (simulated) history so far.

Voice-dependent policies are projected by Monte Carlo over histories (every mean with its Monte
Carlo SE); 'none' is also propagated exactly. Differences from 'observed' carry 95% intervals from
draws of the parameters when the fit has a covariance (or bootstrap replicates).

Examples:
  $ squeaky policy squeaky-fit/fit.json data/example-panel.csv
  $ squeaky policy squeaky-fit/fit.json data/example-panel.csv --policies all,none,rate:0.5,budget:20,state:1 --horizon 60
  $ squeaky policy squeaky-fit/fit.json data/example-panel.csv --value complaint=-1,compliment=0.5,intervention=-0.2 --out policy.json`,
    )
    .action(async (fitFile: string, panelFile: string, f: PolicyFlags) => {
      const horizon = intOption('--horizon', f.horizon, 1);
      const paths = intOption('--paths', f.paths, 2);
      const seed = intOption('--seed', f.seed, 0) as number;
      const threads = intOption('--threads', f.threads, 1);
      const draws = intOption('--draws', f.draws, 0);
      const from = choiceOption('--from', f.from, ['end', 'start'] as const) ?? 'end';
      const format = choiceOption('--format', f.format, ['text', 'json'] as const) ?? (f.out?.toLowerCase().endsWith('.json') ? 'json' : 'text');
      const fit = await loadFit(fitFile);
      if (fit.spec.classes) throw new UsageError(`${fitFile} is a fit with ${fit.spec.classes.count} latent classes: policy projections are not supported with classes yet`);
      const { panel, warnings } = await readPanel(panelFile, { labels: fit.spec.voiceLabels, ...panelReadOptions(f) });
      if (!f.quiet) for (const w of warnings) io.err(`squeaky: warning: ${w}\n`);
      const show = !f.quiet && (io.errIsTTY || Boolean(f.progress));
      const report = await projectPolicies(
        fit,
        panel,
        // A fit saved without a covariance gets the observed-information one (a truth file none).
        { policies: f.policies, horizon, from, paths, seed, threads, value: f.value, draws, computeCovariance: !isTruth(fit), onProgress: show ? (m) => io.err(`squeaky policy: ${m}\n`) : undefined },
        fitFile,
      );
      const text = format === 'json' ? policyReportJson(report) : formatPolicyText(report);
      if (f.out === undefined) io.out(text);
      else {
        await writeFileAtomic(f.out, text);
        io.out(`Wrote ${f.out} (${report.policies.length} policies, ${report.customers} customers, ${report.horizon} periods)\n`);
      }
    });
}
