import { describe, expect, it } from 'vitest';
import { parsePolicies, parseValueWeights, policyName } from '../../../src/report/policy/policySpec.js';
import { UsageError } from '../../../src/errors.js';

const LABELS = ['complaint', 'compliment', 'neutral', 'silent'];

describe('policy specs', () => {
  it('parses every policy, puts observed first and drops repeats', () => {
    const p = parsePolicies('all, none,rate:0.25,budget:20,state:2,observed,all', 3);
    expect(p.map(policyName)).toEqual(['observed', 'all', 'none', 'rate:0.25', 'budget:20', 'state:2']);
    expect(p[3]).toEqual({ kind: 'rate', p: 0.25 });
    expect(parsePolicies('none', 3).map(policyName)).toEqual(['observed', 'none']);
  });

  const bad: [string, RegExp][] = [
    ['sometimes', /unknown policy 'sometimes' in 'sometimes'/],
    ['rate:1.5', /share must be between 0 and 1.*'rate:1.5'/],
    ['rate:', /rate: needs a share/],
    ['rate:abc', /'abc' is not a number/],
    ['budget:2.5', /budget must be a whole number.*'budget:2.5'/],
    ['budget:-1', /budget must be a whole number/],
    ['state:4', /between 1 and 3.*'state:4'/],
    ['all:1', /all takes no argument/],
    ['all,,none', /empty policy name/],
  ];
  for (const [text, msg] of bad) {
    it(`refuses '${text}' naming the part`, () => {
      expect(() => parsePolicies(text, 3)).toThrow(UsageError);
      expect(() => parsePolicies(text, 3)).toThrow(msg);
      expect(() => parsePolicies(text, 3)).toThrow(/^--policies/);
    });
  }

  it('parses value weights by voice label and intervention', () => {
    expect(parseValueWeights('complaint=-1, compliment=0.5,intervention=-0.2', LABELS)).toEqual({ voice: { complaint: -1, compliment: 0.5 }, intervention: -0.2 });
  });

  for (const [text, msg] of [
    ['complaint', /no '='.*'complaint'/],
    ['praise=1', /unknown name 'praise'/],
    ['complaint=x', /'x' is not a number/],
    ['complaint=1,complaint=2', /given twice/],
    ['complaint=', /'' is not a number/],
  ] as [string, RegExp][]) {
    it(`refuses value spec '${text}'`, () => {
      expect(() => parseValueWeights(text, LABELS)).toThrow(UsageError);
      expect(() => parseValueWeights(text, LABELS)).toThrow(msg);
    });
  }
});
