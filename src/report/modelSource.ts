import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';
import { FIT_FORMAT, parseFit } from './fitFile.js';

/** A model to simulate from: a saved fit or a truth file ({ spec, parameters: { names, values } }). */
export interface ModelSource {
  spec: ModelSpec;
  parameters: NamedParameters;
}

/**
 * Read a model from a fit.json (checked fully) or from a truth file holding at least `spec` and
 * `parameters` with `names` and `values` (as data/example-truth.json). InputError on anything else.
 */
export async function loadModelSource(file: string): Promise<ModelSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read model file ${file}`, [{ file, expected: code === 'ENOENT' ? 'an existing fit.json or truth file' : `a readable file (${code})` }]);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not a model file`, [{ file, expected: `valid JSON (${(e as Error).message})` }]);
  }
  if (raw && typeof raw === 'object' && raw.format === FIT_FORMAT) return parseFit(text, file);
  // A truth file: reuse the fit checker on its spec and parameters by wrapping them.
  const p = raw?.parameters as Record<string, unknown> | undefined;
  const spec = raw?.spec as ModelSpec | undefined;
  if (!spec || !p || !Array.isArray(p.names) || !Array.isArray(p.values)) {
    throw new InputError(`${file} is neither a squeaky fit file nor a truth file`, [{ file, expected: "a fit.json written by 'squeaky fit', or JSON with 'spec' and 'parameters' { names, values }" }]);
  }
  const names = p.names as unknown[];
  const values = p.values as unknown[];
  const issues = [];
  if (names.length !== values.length || names.some((n) => typeof n !== 'string') || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    issues.push({ file, column: 'parameters', expected: 'names (strings) and finite values of equal length' });
  }
  for (const key of ['nStates', 'voiceLabels', 'referenceVoice', 'formulas', 'transitionType'] as const) {
    if (spec[key] === undefined) issues.push({ file, column: `spec.${key}`, expected: 'present' });
  }
  if (issues.length) throw new InputError(`${file} is not a valid truth file`, issues);
  return {
    spec: { ...spec, sharedSlopes: Boolean(spec.sharedSlopes) },
    parameters: { names: names as string[], values: Float64Array.from(values as number[]), blocks: (p.blocks as NamedParameters['blocks']) ?? [] },
  };
}
