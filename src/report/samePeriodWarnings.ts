import type { ModelSpec } from '../estimation/spec.js';

/** The formula text with every call of the functions `fns` removed (balanced parentheses). */
function withoutCalls(formula: string, fns: string[]): string {
  let out = '';
  let i = 0;
  const call = new RegExp(`(${fns.join('|')})\\s*\\(`, 'y');
  while (i < formula.length) {
    call.lastIndex = i;
    const m = call.exec(formula);
    if (m && (i === 0 || !/[A-Za-z0-9_]/.test(formula[i - 1]))) {
      let depth = 0;
      let j = i + m[0].length - 1;
      for (; j < formula.length; j++) {
        if (formula[j] === '(') depth++;
        else if (formula[j] === ')' && --depth === 0) break;
      }
      out += ' ';
      i = j + 1;
    } else {
      out += formula[i++];
    }
  }
  return out;
}

/**
 * Issue warnings for formulas that use this period's intervention (outside lag() and stock()) in
 * the transition or emission model: the firm's reply to this period's complaint then enters the
 * model of that very complaint (or of the move into this period), its coefficient mostly measures
 * that the firm answers complaints, and the report's channel for that sub-model is zero by
 * construction (the intervention of period 0 never reaches a later period's row).
 */
export function samePeriodWarnings(spec: Pick<ModelSpec, 'formulas'>): string[] {
  const out: string[] = [];
  const mentions = (f: string) => /(^|[^A-Za-z0-9_])intervention([^A-Za-z0-9_]|$)/.test(f);
  const uses = (f: string) => mentions(withoutCalls(f, ['lag', 'stock', 'cumsum']));
  // cumsum() includes the current period: the same-period problem, though the channel is not zero.
  const cumsum = (f: string) => !uses(f) && mentions(withoutCalls(f, ['lag', 'stock']));
  for (const block of ['transition', 'emission'] as const) {
    const f = spec.formulas[block];
    if (cumsum(f)) {
      out.push(
        `the ${block} formula '${f}' uses cumsum() of intervention, which includes the same period's intervention: the firm's reply to this period's complaint then enters the model of that complaint; the usual form is ${block === 'emission' ? 'stock(intervention, 0.8)' : 'lag(intervention)'}, or cumsum(lag(intervention))`,
      );
    }
  }
  if (uses(spec.formulas.emission)) {
    out.push(
      `the emission formula '${spec.formulas.emission}' uses intervention in the same period: the firm's reply to this period's complaint then enters the model of that complaint (replies follow complaints, so the coefficient mostly measures that the firm answers complaints), and the report's propensity channel is zero by construction; the usual form is stock(intervention, 0.8) or lag(intervention)`,
    );
  }
  if (uses(spec.formulas.transition)) {
    out.push(
      `the transition formula '${spec.formulas.transition}' uses intervention in the same period: the reply to this period's complaint then moves the state the complaint came from, and the report's relationship channel is zero by construction; the usual form is lag(intervention) (last period's intervention moves this period's state)`,
    );
  }
  return out;
}
