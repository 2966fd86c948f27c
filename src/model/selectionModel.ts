/**
 * The firm's selection model: the intervention of a period as a second observed outcome, a
 * binary logit per relationship state k over the selection design z (this period's voice
 * indicators, the customer's history, covariates):
 *   P(intervention = 1 | state k, z) = 1 / (1 + exp(-(a_k + z'b)))
 * Outcome 0 (no intervention) is the reference. The intercept is state-specific (does the firm
 * answer worse-state customers more at equal voice?); every other column's slope is shared by all
 * states, the natural reading of "an intercept per state plus the formula's terms".
 * Parameters: first the intercepts, state-major (selection[k]:(Intercept)), then the shared
 * slopes in design-column order (selection:<col>).
 */
import type { PatternDesign } from './patternDesign.js';
import { MultinomialLogit } from './multinomialLogit.js';
import { INTERCEPT } from './orderedLogit.js';
import { ModelError } from '../errors.js';

export function createSelectionModel(nStates: number, design: PatternDesign): MultinomialLogit {
  const K = nStates;
  const nCols = design.nCols;
  const icpt = design.names.indexOf(INTERCEPT);
  if (icpt < 0) throw new ModelError('the selection formula needs its intercept (the state-specific intercepts are what tells whom the firm selects); remove the - 1');
  const map = new Int32Array(K * 2 * nCols).fill(-1); // [(k*2 + c)*nCols + col], c = 1 intervention
  const names: string[] = [];
  for (let k = 0; k < K; k++) {
    map[(k * 2 + 1) * nCols + icpt] = names.length;
    names.push(`selection[${k + 1}]:${INTERCEPT}`);
  }
  for (let j = 0; j < nCols; j++) {
    if (j === icpt) continue;
    const m = names.length;
    names.push(`selection:${design.names[j]}`);
    for (let k = 0; k < K; k++) map[(k * 2 + 1) * nCols + j] = m;
  }
  return new MultinomialLogit({ block: 'selection', nGroups: K, nOut: 2, design, map, names, relabel: 'emission' });
}
