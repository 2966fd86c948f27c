import type { Block } from '../model/subModel.js';

/** A parameter name split into its parts (see DESIGN.md: `transition[2->3]:lag(intervention)`). */
export interface ParameterNameParts {
  block: Block;
  /** Origin state (transition) or state (emission, selection), 1-based as text; '' when the parameter is shared across states or for the initial block. */
  state: string;
  /** Destination state (initial, multinomial transition) or voice category (emission); '' for thresholds and shared ordered slopes. */
  outcome: string;
  /** Design column or threshold, e.g. '(Intercept)', 'lag(intervention)', 'cut[1|2]'. */
  term: string;
}

const HEAD = /^(initial|transition|emission|selection)(?:\[([^\]]*)\])?:(.*)$/;

/** Split a parameter name; undefined when it does not follow the naming scheme. */
export function parseParameterName(name: string): ParameterNameParts | undefined {
  const m = HEAD.exec(name);
  if (!m) return undefined;
  const block = m[1] as Block;
  const group = m[2] ?? '';
  const rest = m[3];
  if (block === 'initial') return { block, state: '', outcome: group, term: rest };
  if (block === 'transition') {
    const arrow = group.indexOf('->');
    if (arrow >= 0) return { block, state: group.slice(0, arrow), outcome: group.slice(arrow + 2), term: rest };
    return { block, state: group, outcome: '', term: rest };
  }
  if (block === 'selection') return { block, state: group, outcome: '', term: rest };
  const colon = rest.indexOf(':');
  if (colon < 0) return { block, state: group, outcome: '', term: rest };
  return { block, state: group, outcome: rest.slice(0, colon), term: rest.slice(colon + 1) };
}
