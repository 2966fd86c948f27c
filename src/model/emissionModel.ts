/**
 * The emission model: per state k, a multinomial logit over voice categories, reference voice
 * fixed at 0.
 * State-specific slopes: parameters state-major, then voice, then design column:
 *   emission[k]:<voice>:<col>.
 * Shared slopes: the '(Intercept)' stays state-specific, every other column's slope is one
 * parameter per voice shared by all states; parameters: first the intercepts, state-major
 * (emission[k]:<voice>:(Intercept)), then the shared slopes, voice-major (emission:<voice>:<col>).
 */
import type { PatternDesign } from './patternDesign.js';
import { MultinomialLogit } from './multinomialLogit.js';
import { INTERCEPT } from './orderedLogit.js';
import { ModelError } from '../errors.js';

export function createEmissionModel(
  nStates: number,
  voiceLabels: readonly string[],
  referenceVoice: number,
  design: PatternDesign,
  sharedSlopes: boolean,
): MultinomialLogit {
  const K = nStates;
  const V = voiceLabels.length;
  const nCols = design.nCols;
  if (!(referenceVoice >= 0 && referenceVoice < V)) throw new RangeError(`reference voice ${referenceVoice} outside [0, ${V})`);
  const map = new Int32Array(K * V * nCols).fill(-1); // [(k*V + c)*nCols + col]
  const names: string[] = [];
  if (!sharedSlopes) {
    for (let k = 0; k < K; k++) {
      for (let c = 0; c < V; c++) {
        if (c === referenceVoice) continue;
        for (let j = 0; j < nCols; j++) {
          map[(k * V + c) * nCols + j] = names.length;
          names.push(`emission[${k + 1}]:${voiceLabels[c]}:${design.names[j]}`);
        }
      }
    }
  } else {
    const icpt = design.names.indexOf(INTERCEPT);
    if (icpt < 0 && K > 1) {
      throw new ModelError('shared emission slopes need an intercept in the emission formula (the intercepts are what differ between states)');
    }
    if (icpt >= 0) {
      for (let k = 0; k < K; k++) {
        for (let c = 0; c < V; c++) {
          if (c === referenceVoice) continue;
          map[(k * V + c) * nCols + icpt] = names.length;
          names.push(`emission[${k + 1}]:${voiceLabels[c]}:${INTERCEPT}`);
        }
      }
    }
    for (let c = 0; c < V; c++) {
      if (c === referenceVoice) continue;
      for (let j = 0; j < nCols; j++) {
        if (j === icpt) continue;
        const m = names.length;
        names.push(`emission:${voiceLabels[c]}:${design.names[j]}`);
        for (let k = 0; k < K; k++) map[(k * V + c) * nCols + j] = m;
      }
    }
  }
  return new MultinomialLogit({ block: 'emission', nGroups: K, nOut: V, design, map, names, relabel: 'emission' });
}
