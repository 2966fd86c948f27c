import { describe, it, expect } from 'vitest';
import { formatFitHeader } from '../../src/report/fitSummary.js';
import { fixedFit } from './fixedFit.js';

describe('fit summary header', () => {
  it('marks screened starts apart from starts that ran out of iterations', () => {
    const fit = fixedFit();
    fit.starts.push({ index: 2, kind: 'random', logLik: -1301.5, iterations: 5, converged: false, screened: true, screenLogLik: -1301.5 });
    fit.starts.push({ index: 3, kind: 'random', logLik: -1250.75, iterations: 500, converged: false });
    const line = formatFitHeader(fit).split('\n').find((l) => l.startsWith('Starts'));
    expect(line).toBe(
      'Starts (4; kept 1): 1:data -1234.57  2:random -1290.25  3:random -1301.50~  4:random -1250.75*   (~ stopped after screening; * not converged)',
    );
  });

  it('shows no legend when every start converged', () => {
    const line = formatFitHeader(fixedFit()).split('\n').find((l) => l.startsWith('Starts'));
    expect(line).toBe('Starts (2; kept 1): 1:data -1234.57  2:random -1290.25');
  });
});
