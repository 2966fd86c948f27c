/**
 * The firm's response policies a projection compares, and the value weights that rank them, from
 * their command-line spellings:
 *   observed   the firm's own policy, estimated from the panel (firmPolicy.ts)
 *   all        answer every complaint
 *   none       never intervene
 *   rate:p     answer a random share p of complaints (0 <= p <= 1)
 *   budget:n   at most n interventions per period, to the complaining customers most likely to be
 *              in the worst state (n whole, >= 0)
 *   state:k    answer the complaints of customers whose probability of a state <= k exceeds 0.5
 *              (1 <= k <= number of states)
 */
import { UsageError } from '../../errors.js';

export type PolicySpec =
  | { kind: 'observed' }
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'rate'; p: number }
  | { kind: 'budget'; n: number }
  | { kind: 'state'; k: number };

export const DEFAULT_POLICIES = 'observed,all,none,rate:0.5';

const KNOWN = 'observed, all, none, rate:p, budget:n, state:k';

/** The policy's name as written on the command line (and in reports). */
export function policyName(p: PolicySpec): string {
  switch (p.kind) {
    case 'rate':
      return `rate:${p.p}`;
    case 'budget':
      return `budget:${p.n}`;
    case 'state':
      return `state:${p.k}`;
    default:
      return p.kind;
  }
}

/** What the policy does, in words. */
export function describePolicy(p: PolicySpec): string {
  switch (p.kind) {
    case 'observed':
      return "the firm's policy estimated from the panel";
    case 'all':
      return 'answer every complaint';
    case 'none':
      return 'never intervene';
    case 'rate':
      return `answer a random ${p.p * 100}% of complaints`;
    case 'budget':
      return `at most ${p.n} interventions per period, to the complaining customers most likely in state 1`;
    case 'state':
      return `answer complaints of customers whose probability of state <= ${p.k} exceeds 0.5`;
  }
}

/** Whether the policy's interventions depend on the customer's voice (then only Monte Carlo projects it). */
export function dependsOnVoice(p: PolicySpec): boolean {
  return p.kind !== 'none';
}

/**
 * Parse `--policies` (comma-separated). UsageError naming the offending part; `observed` is always
 * included (first), since every other policy is compared with it. nStates bounds state:k.
 */
export function parsePolicies(text: string, nStates: number, flag = '--policies'): PolicySpec[] {
  const parts = text.split(',').map((s) => s.trim());
  const out: PolicySpec[] = [];
  for (const part of parts) {
    const bad = (why: string): never => {
      throw new UsageError(`${flag}: ${why} in '${part}' (policies: ${KNOWN})`);
    };
    if (part === '') bad('an empty policy name');
    const [name, arg, extra] = part.toLowerCase().split(':');
    if (extra !== undefined) bad("more than one ':'");
    const number = (what: string): number => {
      if (arg === undefined || arg.trim() === '') return bad(`${name}: needs ${what}`);
      const x = Number(arg);
      if (!Number.isFinite(x)) bad(`'${arg}' is not a number`);
      return x;
    };
    let p: PolicySpec;
    if (name === 'observed' || name === 'all' || name === 'none') {
      if (arg !== undefined) bad(`${name} takes no argument`);
      p = { kind: name };
    } else if (name === 'rate') {
      const x = number('a share p between 0 and 1, e.g. rate:0.5');
      if (!(x >= 0 && x <= 1)) bad(`the share must be between 0 and 1, got ${arg}`);
      p = { kind: 'rate', p: x };
    } else if (name === 'budget') {
      const x = number('a whole number of interventions per period, e.g. budget:20');
      if (!(Number.isInteger(x) && x >= 0)) bad(`the budget must be a whole number >= 0, got ${arg}`);
      p = { kind: 'budget', n: x };
    } else if (name === 'state') {
      const x = number(`a state between 1 and ${nStates}, e.g. state:1`);
      if (!(Number.isInteger(x) && x >= 1 && x <= nStates)) bad(`the state must be a whole number between 1 and ${nStates} (the fit's states), got ${arg}`);
      p = { kind: 'state', k: x };
    } else {
      return bad(`unknown policy '${name}'`);
    }
    if (!out.some((q) => policyName(q) === policyName(p))) out.push(p);
  }
  const observed = out.findIndex((p) => p.kind === 'observed');
  if (observed > 0) out.unshift(...out.splice(observed, 1));
  else if (observed < 0) out.unshift({ kind: 'observed' });
  return out;
}

/** Weights of the value line: per expected voice count (by voice label) and per intervention. */
export interface ValueWeights {
  voice: Record<string, number>;
  intervention: number;
}

/**
 * Parse `--value complaint=-1,compliment=0.5,intervention=-0.2`: keys are voice labels of the fit
 * or `intervention`; unnamed ones weigh 0. UsageError naming the offending part.
 */
export function parseValueWeights(text: string, voiceLabels: readonly string[], flag = '--value'): ValueWeights {
  const out: ValueWeights = { voice: {}, intervention: 0 };
  const keys = [...voiceLabels.map((l) => l.toLowerCase()), 'intervention'];
  const seen = new Set<string>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const bad = (why: string): never => {
      throw new UsageError(`${flag}: ${why} in '${part}' (expected name=number with a name among ${keys.join(', ')}, e.g. complaint=-1,compliment=0.5,intervention=-0.2)`);
    };
    const eq = part.indexOf('=');
    if (eq < 0) bad("no '='");
    const key = part.slice(0, eq).trim().toLowerCase();
    const num = part.slice(eq + 1).trim();
    if (!keys.includes(key)) bad(`unknown name '${key}'`);
    if (seen.has(key)) bad(`'${key}' given twice`);
    seen.add(key);
    const x = num === '' ? NaN : Number(num);
    if (!Number.isFinite(x)) bad(`'${num}' is not a number`);
    if (key === 'intervention') out.intervention = x;
    else out.voice[key] = x;
  }
  return out;
}
