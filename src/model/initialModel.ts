/**
 * The initial model: a multinomial logit for the state of a customer's first period, one pattern
 * per customer (the initial design row of the first period). Reference state 1 (coefficients
 * fixed at 0); parameters state-major: initial[2]:<col>..., initial[3]:<col>..., ...
 * Relabelling re-references to the new state 1 (an exact reparametrisation). `name` names the
 * coefficient of 1-based outcome c on a column (the class-membership logit has the same shape).
 */
import type { PatternDesign } from './patternDesign.js';
import { MultinomialLogit } from './multinomialLogit.js';

export function createInitialModel(nStates: number, design: PatternDesign, name: (outcome: number, column: string) => string = (c, col) => `initial[${c}]:${col}`): MultinomialLogit {
  const K = nStates;
  const nCols = design.nCols;
  const map = new Int32Array(K * nCols).fill(-1); // [(0*K + c)*nCols + j]
  const names: string[] = [];
  for (let c = 1; c < K; c++) {
    for (let j = 0; j < nCols; j++) {
      map[c * nCols + j] = names.length;
      names.push(name(c + 1, design.names[j]));
    }
  }
  return new MultinomialLogit({ block: 'initial', nGroups: 1, nOut: K, design, map, names, relabel: 'initial' });
}
