/**
 * The transition model, multinomial or ordered.
 *
 * Multinomial: per origin state i, a multinomial logit over destinations with reference = staying
 * in i (so relabelling states is a pure permutation of the parameters). Parameters origin-major,
 * then destination, then design column: transition[i->j]:<col>, j != i.
 * Ordered: see orderedLogit.ts.
 * Time convention (DESIGN.md): the transition into period t uses the design row of period t.
 */
import type { PatternDesign } from './patternDesign.js';
import type { SubModel } from './subModel.js';
import { MultinomialLogit } from './multinomialLogit.js';
import { OrderedLogit } from './orderedLogit.js';

export function createMultinomialTransitionModel(nStates: number, design: PatternDesign): MultinomialLogit {
  const K = nStates;
  const nCols = design.nCols;
  const map = new Int32Array(K * K * nCols).fill(-1); // [(i*K + j)*nCols + col]
  const names: string[] = [];
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      if (j === i) continue;
      for (let c = 0; c < nCols; c++) {
        map[(i * K + j) * nCols + c] = names.length;
        names.push(`transition[${i + 1}->${j + 1}]:${design.names[c]}`);
      }
    }
  }
  return new MultinomialLogit({ block: 'transition', nGroups: K, nOut: K, design, map, names, relabel: 'transition' });
}

export function createTransitionModel(nStates: number, design: PatternDesign, type: 'multinomial' | 'ordered'): SubModel {
  return type === 'ordered' ? new OrderedLogit(nStates, design) : createMultinomialTransitionModel(nStates, design);
}
