import { expect } from 'vitest';
import { syntheticDesigns, syntheticHistory } from '../../src/report/scenarios.js';
import { createModel } from '../../src/model/hmmModel.js';
import type { ModelSpec, NamedParameters } from '../../src/estimation/spec.js';

/**
 * A hand-specified K=2 model whose report is known in closed form:
 *   transition: without T0 = [[1-a, a], [b, 1-b]]; with (lag(intervention) = 1): T1 = [[1-a1, a1], [b1, 1-b1]]
 *   emission:   voices (complaint, neutral); P(complaint | k) = logistic(alpha_k + gamma * stock(intervention, decay))
 * With one intervention in period 0, lag(intervention) = 1 only in period 1 and stock = decay^(t-1) in period t.
 */
export const HAND = { a: 0.1, b: 0.05, a1: 0.4, b1: 0.01, alpha: [0.5, -2], gamma: 1.2, decay: 0.8, start: [0.7, 0.3] };

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

export function handSpec(over: Partial<ModelSpec['formulas']> = {}): ModelSpec {
  return {
    nStates: 2,
    voiceLabels: ['complaint', 'neutral'],
    referenceVoice: 'neutral',
    formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: `~ stock(intervention, ${HAND.decay})`, ...over },
    transitionType: 'multinomial',
    sharedSlopes: true,
  };
}

/** The hand model's parameters by name (`values` overrides or adds names, e.g. for other formulas). */
export function handParameters(spec = handSpec(), values: Record<string, number> = {}): NamedParameters {
  const { a, b, a1, b1, alpha, gamma, decay } = HAND;
  const history = syntheticHistory(spec.voiceLabels, {}, 2);
  const p = createModel(spec, syntheticDesigns(spec, history), history.offsets).getParameters();
  const want: Record<string, number> = {
    'initial[2]:(Intercept)': 0,
    'transition[1->2]:(Intercept)': logit(a),
    'transition[1->2]:lag(intervention)': logit(a1) - logit(a),
    'transition[2->1]:(Intercept)': logit(b),
    'transition[2->1]:lag(intervention)': logit(b1) - logit(b),
    'emission[1]:complaint:(Intercept)': alpha[0],
    'emission[2]:complaint:(Intercept)': alpha[1],
    [`emission:complaint:stock(intervention, ${decay})`]: gamma,
    ...values,
  };
  for (const n of p.names) expect(want, `no value for ${n}`).toHaveProperty([n]);
  p.names.forEach((n, i) => (p.values[i] = want[n]));
  return p;
}

export function handFit(spec = handSpec(), values: Record<string, number> = {}) {
  return { spec, parameters: handParameters(spec, values), effectsBasis: { complaintStateMix: HAND.start, complaintRows: 10, covariateMeans: {} } };
}
