/**
 * The voice model of a fit with a selection model: the same fit without the selection block
 * (spec without its selection formula, parameters, covariance rows and columns, bootstrap
 * replicate columns). The intervention-effect report and the policy projections describe how
 * interventions move the voice; whom the firm chooses plays no part in them, so they read this.
 * A fit without a selection model is returned as it is.
 */
import type { Covariance } from '../estimation/inference/covariance.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';

/** Whether a parameter belongs to the selection block. */
export function isSelectionParameter(name: string): boolean {
  return name.startsWith('selection[') || name.startsWith('selection:');
}

/** The spec without its selection formula. */
export function specWithoutSelection(spec: ModelSpec): ModelSpec {
  const { selection: _dropped, ...formulas } = spec.formulas;
  return { ...spec, formulas };
}

/** The fit without its selection block (see the file header). */
export function voiceModelFit<F extends { spec: ModelSpec; parameters: NamedParameters; covariance?: Covariance }>(fit: F): F {
  if (fit.spec.formulas.selection === undefined) return fit;
  const keep = fit.parameters.names.map((n, i) => (isSelectionParameter(n) ? -1 : i)).filter((i) => i >= 0);
  const parameters: NamedParameters = {
    names: keep.map((i) => fit.parameters.names[i]),
    values: Float64Array.from(keep, (i) => fit.parameters.values[i]),
    blocks: fit.parameters.blocks.filter((b) => b.block !== 'selection'),
  };
  const out: F = { ...fit, spec: specWithoutSelection(fit.spec), parameters };
  const cov = fit.covariance;
  if (cov !== undefined) {
    const n = cov.names.length;
    const idx = cov.names.map((nm, i) => (isSelectionParameter(nm) ? -1 : i)).filter((i) => i >= 0);
    const m = idx.length;
    const matrix = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) matrix[a * m + b] = cov.matrix[idx[a] * n + idx[b]];
    const sub: Covariance = { ...cov, names: idx.map((i) => cov.names[i]), matrix, unavailable: cov.unavailable.filter((u) => !isSelectionParameter(u)) };
    if (cov.bootstrap) sub.bootstrap = { ...cov.bootstrap, replicates: cov.bootstrap.replicates.map((r) => idx.map((i) => r[i])) };
    out.covariance = sub;
  }
  return out;
}
