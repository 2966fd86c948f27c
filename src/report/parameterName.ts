import type { Block } from '../model/subModel.js';

/** A parameter name split into its parts (see DESIGN.md: `transition[2->3]:lag(intervention)`). */
export interface ParameterNameParts {
  /** 'membership': the class-membership logit of a mixture of classes (`class[2]:(Intercept)`). */
  block: Block | 'membership';
  /** The 1-based class (as text) of a class-specific parameter (`class[2].transition[1->2]:x`) or of a membership coefficient; absent otherwise. */
  class?: string;
  /** Origin state (transition) or state (emission, selection), 1-based as text; '' when the parameter is shared across states or for the initial block. */
  state: string;
  /** Destination state (initial, multinomial transition) or voice category (emission); '' for thresholds and shared ordered slopes. */
  outcome: string;
  /** Design column or threshold, e.g. '(Intercept)', 'lag(intervention)', 'cut[1|2]'. */
  term: string;
}

const HEAD = /^(initial|transition|emission|selection)(?:\[([^\]]*)\])?:(.*)$/;

const CLASS_PREFIX = /^class\[(\d+)\]\.(.*)$/;
const MEMBERSHIP = /^class\[(\d+)\]:(.*)$/;

/** Split a parameter name; undefined when it does not follow the naming scheme. */
export function parseParameterName(name: string): ParameterNameParts | undefined {
  const cm = CLASS_PREFIX.exec(name);
  if (cm) {
    const inner = parsePlainName(cm[2]);
    return inner ? { ...inner, class: cm[1] } : undefined;
  }
  const mm = MEMBERSHIP.exec(name);
  if (mm) return { block: 'membership', class: mm[1], state: '', outcome: mm[1], term: mm[2] };
  return parsePlainName(name);
}

function parsePlainName(name: string): ParameterNameParts | undefined {
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
