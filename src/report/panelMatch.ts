import type { Panel } from '../data/panel.js';
import type { ModelSpec } from '../estimation/spec.js';
import { compileFormula } from '../data/formula.js';
import { InputError, type InputIssue } from '../errors.js';

/**
 * InputError unless a saved fit's spec can be applied to the panel: the same voice labels in the
 * same order (voice indices must mean the same thing) and every column its formulas read.
 */
export function checkFitMatchesPanel(spec: ModelSpec, panel: Panel, fitFile: string, panelFile = panel.source ?? 'the panel'): void {
  const issues: InputIssue[] = [];
  const same = spec.voiceLabels.length === panel.voiceLabels.length && spec.voiceLabels.every((l, i) => l.toLowerCase() === panel.voiceLabels[i].toLowerCase());
  if (!same) {
    issues.push({
      file: panelFile,
      column: 'voice',
      value: panel.voiceLabels.join(', '),
      expected: `the voice labels of the fit in ${fitFile} (${spec.voiceLabels.join(', ')}); declare them with --labels ${spec.voiceLabels.join(',')}`,
    });
  }
  const columns = Object.keys(panel.columns);
  const formulas: [string, string][] = (['initial', 'transition', 'emission'] as const).map((b) => [b, spec.formulas[b]]);
  if (spec.classes) formulas.push(['class membership', spec.classes.formula]);
  for (const [block, formula] of formulas) {
    let variables: string[] = [];
    try {
      variables = compileFormula(formula, Array.from(new Set([...columns, ...extractNames(formula)]))).variables;
    } catch {
      variables = extractNames(formula);
    }
    for (const v of variables) {
      if (!columns.includes(v)) issues.push({ file: panelFile, column: v, expected: `a column '${v}', which the ${block} formula of the fit in ${fitFile} reads (${formula})` });
    }
  }
  if (issues.length) throw new InputError(`the fit in ${fitFile} does not match the panel ${panelFile}`, issues);
}

/** Identifiers in a formula that are not functions (a fallback when the formula cannot be compiled). */
function extractNames(formula: string): string[] {
  const names = new Set<string>();
  const re = /[A-Za-z_][A-Za-z0-9_.]*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(formula)) !== null) {
    const after = formula.slice(m.index + m[0].length).trimStart();
    if (!after.startsWith('(')) names.add(m[0]);
  }
  return [...names];
}
