import { isTruth, loadFit, type SavedFit } from './fitFile.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';

/** A model to simulate from: a saved fit or a truth file ({ spec, parameters: { names, values } }). */
export interface ModelSource {
  spec: ModelSpec;
  parameters: NamedParameters;
}

/**
 * Read a model from a fit.json (returned as the whole SavedFit) or a truth file (as
 * data/example-truth.json; returned as its spec and parameters), both checked fully by loadFit.
 * InputError on anything else.
 */
export async function loadModelSource(file: string): Promise<ModelSource | SavedFit> {
  const fit = await loadFit(file);
  // A saved fit comes back whole (callers tell it by its log-likelihood); a truth file as its model.
  return isTruth(fit) ? { spec: fit.spec, parameters: fit.parameters } : fit;
}
