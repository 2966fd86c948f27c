// Generating models for the selection benchmarks: the shipped example truth (3 states) and
// K-state truths with well separated, persistent states built by one rule.
import { readFileSync } from 'node:fs';
import { createModel } from '../../dist/src/model/hmmModel.js';
import { syntheticDesigns, syntheticHistory } from '../../dist/src/report/scenarios.js';

export const LABELS = ['complaint', 'compliment', 'neutral', 'silent'];

export function exampleTruth() {
  const t = JSON.parse(readFileSync(new URL('../../data/example-truth.json', import.meta.url), 'utf8'));
  return { spec: t.spec, parameters: { names: t.parameters.names, values: Float64Array.from(t.parameters.values) }, policy: t.policy };
}

/** The example truth with every emission slope of intervention terms set to 0: no propensity channel. */
export function withoutPropensity(truth) {
  const values = Float64Array.from(truth.parameters.values);
  truth.parameters.names.forEach((n, i) => {
    if (n.startsWith('emission') && n.includes('intervention')) values[i] = 0;
  });
  return { ...truth, parameters: { ...truth.parameters, values } };
}

/**
 * A K-state squeaky-wheel truth: state k (1 = worst) complains with log-odds 0.5 - 3.5 (k-1)/(K-1)
 * and compliments with log-odds -3 + 3 (k-1)/(K-1) against silence, neutral -1.5; states are
 * persistent (off-diagonal transition log-odds -3.5, -4.5 for jumps over a state); lag(intervention)
 * moves customers up (+1.5) and makes moving down less likely (-0.5); stock(intervention, 0.8)
 * raises complaints (+0.5) in every state (shared slopes).
 */
export function ladderTruth(K) {
  const spec = {
    nStates: K,
    voiceLabels: LABELS,
    referenceVoice: 'silent',
    formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' },
    transitionType: 'multinomial',
    sharedSlopes: true,
  };
  const h = syntheticHistory(LABELS, {}, 2);
  const p = createModel(spec, syntheticDesigns(spec, h), h.offsets).getParameters();
  const pos = (k) => (K === 1 ? 0 : (k - 1) / (K - 1));
  p.names.forEach((n, i) => {
    let m;
    let v = 0;
    if ((m = /^initial\[(\d+)\]/.exec(n))) v = 0;
    else if ((m = /^transition\[(\d+)->(\d+)\]:(.*)$/.exec(n))) {
      const [from, to] = [+m[1], +m[2]];
      if (m[3] === '(Intercept)') v = Math.abs(to - from) === 1 ? -3.5 : -4.5;
      else v = to > from ? 1.5 : -0.5;
    } else if ((m = /^emission\[(\d+)\]:(\w+):\(Intercept\)$/.exec(n))) {
      const k = +m[1];
      v = m[2] === 'complaint' ? 0.5 - 3.5 * pos(k) : m[2] === 'compliment' ? -3 + 3 * pos(k) : -1.5;
    } else if ((m = /^emission:(\w+):stock/.exec(n))) v = m[1] === 'complaint' ? 0.5 : 0;
    else throw new Error(`no rule for ${n}`);
    p.values[i] = v;
  });
  return { spec, parameters: p, policy: { afterComplaint: 0.5, otherwise: 0.04 } };
}

/**
 * A variant of a truth with slopes scaled: every emission slope on an intervention term of voice v
 * multiplied by emission[v] (default 1), every transition slope on an intervention term multiplied
 * by `transition` (default 1).
 */
export function scaledSlopes(truth, { emission = {}, transition = 1 } = {}) {
  const values = Float64Array.from(truth.parameters.values);
  truth.parameters.names.forEach((n, i) => {
    if (!n.includes('intervention')) return;
    if (n.startsWith('transition')) values[i] *= transition;
    const m = /^emission(?:\[\d+\])?:([^:]+):/.exec(n);
    if (m && emission[m[1]] !== undefined) values[i] *= emission[m[1]];
  });
  return { ...truth, parameters: { ...truth.parameters, values } };
}

/**
 * The truths of the naive-model bias study (benchmarks/channels-lr.mjs --truths, RESULTS.md
 * "Naive-model bias: which truths show it"), all variants of the example truth in which
 * interventions raise complaint propensity and move customers up:
 *   example                the shipped truth: stock(intervention, 0.8) raises complaints (0.30-0.45),
 *                          compliments (0.20-0.30) and neutral posts (0.10) against silence;
 *   complaint-propensity   the squeaky wheel alone: the stock raises complaints only (compliment and
 *                          neutral slopes 0);
 *   strong-propensity      complaint slopes doubled (0.60-0.90), the rest as the example;
 *   strong-relationship    every transition slope on lag(intervention) doubled;
 *   strong-both            complaint slopes and transition slopes doubled, compliment and neutral
 *                          slopes 0 (a strong squeaky wheel on complaints and a strong repair);
 *   null                   no propensity channel (every emission slope on intervention 0).
 * A name that is none of these is read as a truth file in the format of data/example-truth.json.
 */
export function namedTruth(name) {
  const ex = exampleTruth();
  switch (name) {
    case 'example':
      return ex;
    case 'null':
      return withoutPropensity(ex);
    case 'complaint-propensity':
      return scaledSlopes(ex, { emission: { compliment: 0, neutral: 0 } });
    case 'strong-propensity':
      return scaledSlopes(ex, { emission: { complaint: 2 } });
    case 'strong-relationship':
      return scaledSlopes(ex, { transition: 2 });
    case 'strong-both':
      return scaledSlopes(ex, { emission: { complaint: 2, compliment: 0, neutral: 0 }, transition: 2 });
    default: {
      const t = JSON.parse(readFileSync(name, 'utf8'));
      return { spec: t.spec, parameters: { names: t.parameters.names, values: Float64Array.from(t.parameters.values) }, policy: t.policy };
    }
  }
}
