/**
 * The flat named parameter vector of a list of sub-models (the one-class model and the mixture of
 * classes): their parameters in list order, read and written in one place.
 */
import type { NamedParameters } from '../estimation/spec.js';
import { ModelError } from '../errors.js';
import type { SubModel } from './subModel.js';

/** One entry of NamedParameters.blocks for `part`, whose parameters start at `start`. */
export type BlockEntry = (part: SubModel, start: number) => NamedParameters['blocks'][number];

/** The parameters of `parts` (nParams in all), with their names and one block entry per part. */
export function readParameters(parts: readonly SubModel[], nParams: number, entry: BlockEntry): NamedParameters {
  const values = new Float64Array(nParams);
  const names: string[] = [];
  const blocks: NamedParameters['blocks'] = [];
  let start = 0;
  for (const part of parts) {
    part.getParams(values, start);
    names.push(...part.parameterNames());
    blocks.push(entry(part, start));
    start += part.nParams;
  }
  return { names, values, blocks };
}

/** Set the parameters of `parts` from `values` (ModelError unless its length is nParams). */
export function writeParameters(parts: readonly SubModel[], nParams: number, values: Float64Array): void {
  if (values.length !== nParams) throw new ModelError(`the model has ${nParams} parameters, got a vector of ${values.length}`);
  let start = 0;
  for (const part of parts) {
    part.setParams(values, start);
    start += part.nParams;
  }
}
