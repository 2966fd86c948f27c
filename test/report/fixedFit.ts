import type { SavedFit } from '../../src/report/fitFile.js';

/** A fixed, hand-written fit (K = 2, multinomial transitions, three voices) for table and file tests. */
export function fixedFit(): SavedFit {
  const names = [
    'initial[2]:(Intercept)',
    'transition[1->2]:(Intercept)',
    'transition[1->2]:lag(intervention)',
    'transition[2->1]:(Intercept)',
    'transition[2->1]:lag(intervention)',
    'emission[1]:complaint:(Intercept)',
    'emission[1]:compliment:(Intercept)',
    'emission[2]:complaint:(Intercept)',
    'emission[2]:compliment:(Intercept)',
    'emission:complaint:stock(intervention, 0.8)',
    'emission:compliment:stock(intervention, 0.8)',
  ];
  const values = [-0.4054651081081644, -2.1972245773362196, 1.5, -2.9444389791664403, -0.75, 0.25, -1.6094379124341003, -1.9459101090932196, 0.1, 0.6931471805599453, -0.3];
  return {
    spec: {
      nStates: 2,
      voiceLabels: ['complaint', 'compliment', 'neutral'],
      referenceVoice: 'neutral',
      formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' },
      transitionType: 'multinomial',
      sharedSlopes: true,
    },
    parameters: {
      names,
      values: Float64Array.from(values),
      blocks: [
        { block: 'initial', start: 0, length: 1 },
        { block: 'transition', start: 1, length: 4 },
        { block: 'emission', start: 5, length: 6 },
      ],
    },
    logLik: -1234.5678,
    nParams: names.length,
    aic: 2 * 11 + 2 * 1234.5678,
    bic: 11 * Math.log(900) + 2 * 1234.5678,
    iterations: 42,
    converged: true,
    status: 'converged: relative change 4.2e-9 < 1e-8 after 42 iterations',
    history: [-1500, -1300, -1234.5678],
    starts: [
      { index: 0, kind: 'data', logLik: -1234.5678, iterations: 42, converged: true },
      { index: 1, kind: 'random', logLik: -1290.25, iterations: 77, converged: true },
    ],
    bestStart: 0,
    warnings: ['emission in state 2: compliment probability near 0 (1e-7)'],
    data: {
      customers: 30,
      rows: 900,
      observations: 900,
      periods: { min: 0, max: 29 },
      voiceCounts: { complaint: 200, compliment: 100, neutral: 600 },
      interventions: 80,
      source: 'panel.csv',
    },
    version: '0.1.0',
    effectsBasis: { complaintStateMix: [0.8, 0.2], complaintRows: 200, covariateMeans: {} },
  };
}

/** A fixed ordered-transition fit with a covariate whose name needs escaping, plus standard errors. */
export function fixedOrderedFit(): { fit: SavedFit; stdErrors: number[] } {
  const fit = fixedFit();
  const names = [
    'initial[2]:(Intercept)',
    'transition[1]:cut[1|2]',
    'transition[1]:lag(intervention)',
    'transition[2]:cut[1|2]',
    'transition[2]:lag(intervention)',
    'emission[1]:complaint:(Intercept)',
    'emission[2]:complaint:(Intercept)',
    'emission:complaint:log1p(friends_complaints)',
  ];
  fit.spec = { ...fit.spec, voiceLabels: ['complaint', 'silent'], referenceVoice: 'silent', transitionType: 'ordered', formulas: { ...fit.spec.formulas, emission: '~ log1p(friends_complaints)' } };
  fit.parameters = {
    names,
    values: Float64Array.from([0.2, -1.25, 0.8, 1.5, -0.05, -0.5, -2.75, 0.33]),
    blocks: [
      { block: 'initial', start: 0, length: 1 },
      { block: 'transition', start: 1, length: 4 },
      { block: 'emission', start: 5, length: 3 },
    ],
  };
  fit.nParams = names.length;
  return { fit, stdErrors: [0.1, 0.25, 0.2, 0.3, 0.5, 0.05, 0.25, 0.000011] };
}
