import { loadFit } from './fitFile.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';

/** A model to simulate from: a saved fit or a truth file ({ spec, parameters: { names, values } }). */
export interface ModelSource {
  spec: ModelSpec;
  parameters: NamedParameters;
}

/**
 * Read a model from a fit.json or a truth file (as data/example-truth.json), both checked fully by
 * loadFit. InputError on anything else.
 */
export async function loadModelSource(file: string): Promise<ModelSource> {
  const fit = await loadFit(file);
  return { spec: fit.spec, parameters: fit.parameters };
}
