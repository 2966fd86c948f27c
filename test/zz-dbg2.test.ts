import { it } from 'vitest';
import { fit, modelAt } from '../src/estimation/fit.js';
import { observedCovariance } from '../src/estimation/inference/observedCovariance.js';
import { conditionalStart, profileLogLik, profileSide } from '../src/estimation/inference/profileLikelihood.js';
import { standardErrors } from '../src/estimation/inference/covariance.js';
import { getFlat } from '../src/estimation/quasiNewton.js';
import { makeSpec, simulatedProblem } from './estimation/fixtures.js';
it('x', () => {
  const spec = makeSpec({ nStates: 2, formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ 1' } });
  const p = simulatedProblem(13, spec, Array.from({ length: 40 }, () => 10), { scale: 1.2 });
  const r = fit(p.panel, spec, { startParams: { ...p.truth.getParameters(), values: p.params }, starts: 0 });
  const cov = observedCovariance(p.panel, spec, r.parameters);
  const { model, eStep } = modelAt(p.panel, spec, r.parameters);
  const n = r.parameters.names.length; const j = 2;
  console.log(r.parameters.names[j]);
  const theta = new Float64Array(n); getFlat(model.parts, theta);
  const llMax = eStep.run(model.parts);
  const out = new Float64Array(n);
  for (const b of [-1.5, -2.0, -2.3, -2.64, -3.0, -3.5]) {
    const a = llMax - profileLogLik(model.parts, eStep, j, b, theta, out);
    const xa = Array.from(out).map((v) => v.toFixed(2)).join(' ');
    const c = llMax - profileLogLik(model.parts, eStep, j, b, theta, out, 1e-8, conditionalStart(cov.matrix, n, j)!.inverse);
    console.log('DBG', b, a.toFixed(4), c.toFixed(4), xa, '|', Array.from(out).map((v) => v.toFixed(2)).join(' '));
  }
  const se = standardErrors(cov);
  profileSide(model.parts, eStep, theta, llMax, j, -1, 1.96 * se[j], conditionalStart(cov.matrix, n, j), {}, (v, f) => console.log('TR', v, f));
});
