// One replication of the channel benchmark (a runParallel job): simulate a panel from the truth,
// fit the full model and the model without the propensity channel exactly as `squeaky channels`
// does (same formulas minus the intervention terms of the emission formula), LR test, and the
// net effects of one intervention by the truth, the full model and the propensity-free model.
import { simulate } from '../../dist/src/estimation/simulate.js';
import { runFitOnPanel, effectsBasis } from '../../dist/src/report/runFit.js';
import { computeEffects } from '../../dist/src/report/computeEffects.js';
import { channelFormulas } from '../../dist/src/report/selection/runChannels.js';
import { likelihoodRatioTest } from '../../dist/src/estimation/inference/likelihoodRatio.js';

export function channelsReplicate(p) {
  const params = { names: p.truth.parameters.names, values: Float64Array.from(p.truth.parameters.values), blocks: [] };
  const spec = p.truth.spec;
  const { panel } = simulate(spec, params, { customers: p.customers, periods: p.periods, policy: p.truth.policy, seed: p.seed });
  const removed = channelFormulas(spec.formulas.emission, spec.formulas.transition, Object.keys(panel.columns));
  const options = { states: spec.nStates, formulas: spec.formulas, sharedSlopes: spec.sharedSlopes, starts: p.starts, finish: p.finish, seed: p.fitSeed };
  const full = runFitOnPanel(panel, options);
  const naive = runFitOnPanel(panel, { ...options, formulas: { ...spec.formulas, emission: removed.emission.formula } });
  const lr = likelihoodRatioTest(full.fit.logLik, naive.fit.logLik, full.fit.nParams - naive.fit.nParams);
  const truthEffects = computeEffects({ spec, parameters: params, effectsBasis: effectsBasis(panel, spec, params) });
  const net = (e) => ({ complaint: e.net.effects.complaint.net, compliment: e.net.effects.compliment.net });
  return {
    seed: p.seed,
    lr: lr.statistic,
    df: lr.df,
    p: lr.p,
    converged: full.fit.converged && naive.fit.converged,
    netTruth: net(truthEffects),
    netFull: net(full.effects),
    netNaive: net(naive.effects),
  };
}
