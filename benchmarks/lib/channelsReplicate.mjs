// One replication of the channel benchmark (a runParallel job): simulate a panel from the truth,
// fit the full model and the model without the propensity channel exactly as `squeaky channels`
// does (same formulas minus the intervention terms of the emission formula), LR test, and the
// effects of one intervention by the truth, the full model and the propensity-free model: the net
// effect and the relationship channel alone, over the horizon and in the long run, plus the
// figures that show where the propensity-free model puts the complaints the propensity channel
// creates (its states' complaint probabilities and the period-1 moves). No standard errors are
// computed (se 'none'): the point estimates are those of a fit with them.
import { simulate } from '../../dist/src/estimation/simulate.js';
import { runFitOnPanel, effectsBasis } from '../../dist/src/report/runFit.js';
import { computeEffects } from '../../dist/src/report/computeEffects.js';
import { channelFormulas } from '../../dist/src/report/selection/runChannels.js';
import { likelihoodRatioTest } from '../../dist/src/estimation/inference/likelihoodRatio.js';

const VOICES = ['complaint', 'compliment'];
const byVoice = (f) => Object.fromEntries(VOICES.map((v) => [v, f(v)]));

/** The figures of one effects report that the benchmark compares (NaN where the long run does not exist). */
export function effectFigures(e) {
  const complaint = e.voiceLabels.indexOf('complaint');
  return {
    net: byVoice((v) => e.net.effects[v].net),
    relationship: byVoice((v) => e.net.effects[v].relationship),
    longRunNet: byVoice((v) => (e.longRun.exists ? e.longRun.effects[v].net : NaN)),
    longRunRelationship: byVoice((v) => (e.longRun.exists ? e.longRun.effects[v].relationship : NaN)),
    startMix: e.startMix,
    complaintProbability: { without: e.propensity.emissionWithout.map((r) => r[complaint]), with: e.propensity.emissionWith.map((r) => r[complaint]) },
    moves: e.relationship.moves.map((m) => ({ upWithout: m.without.up, upWith: m.with.up, downWithout: m.without.down, downWith: m.with.down })),
  };
}

export function channelsReplicate(p) {
  const params = { names: p.truth.parameters.names, values: Float64Array.from(p.truth.parameters.values), blocks: [] };
  const spec = p.truth.spec;
  const horizon = p.horizon ?? 30;
  const { panel } = simulate(spec, params, { customers: p.customers, periods: p.periods, policy: p.truth.policy, seed: p.seed });
  const removed = channelFormulas(spec.formulas.emission, spec.formulas.transition, Object.keys(panel.columns));
  const options = { states: spec.nStates, formulas: spec.formulas, sharedSlopes: spec.sharedSlopes, starts: p.starts, finish: p.finish, seed: p.fitSeed, horizon, se: 'none' };
  const full = runFitOnPanel(panel, options);
  const naive = runFitOnPanel(panel, { ...options, formulas: { ...spec.formulas, emission: removed.emission.formula } });
  const lr = likelihoodRatioTest(full.fit.logLik, naive.fit.logLik, full.fit.nParams - naive.fit.nParams);
  const truthEffects = computeEffects({ spec, parameters: params, effectsBasis: effectsBasis(panel, spec, params) }, { horizon });
  const [t, f, n] = [truthEffects, full.effects, naive.effects].map(effectFigures);
  return {
    seed: p.seed,
    horizon,
    lr: lr.statistic,
    df: lr.df,
    p: lr.p,
    converged: full.fit.converged && naive.fit.converged,
    netTruth: t.net,
    netFull: f.net,
    netNaive: n.net,
    relationshipTruth: t.relationship,
    relationshipFull: f.relationship,
    relationshipNaive: n.relationship,
    longRunNetTruth: t.longRunNet,
    longRunNetFull: f.longRunNet,
    longRunNetNaive: n.longRunNet,
    longRunRelationshipTruth: t.longRunRelationship,
    longRunRelationshipFull: f.longRunRelationship,
    longRunRelationshipNaive: n.longRunRelationship,
    mechanism: { truth: { startMix: t.startMix, complaintProbability: t.complaintProbability, moves: t.moves }, naive: { startMix: n.startMix, complaintProbability: n.complaintProbability, moves: n.moves } },
  };
}
