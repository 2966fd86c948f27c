import { InputError, type InputIssue } from '../errors.js';

/** Collects located input problems up to a cap, counting the rest (DESIGN.md: collect, then fail). */
export class IssueList {
  readonly issues: InputIssue[] = [];
  /** Problems found beyond the cap. */
  more = 0;
  constructor(readonly cap = 20) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`IssueList: cap must be a whole number >= 1, got ${cap}`);
  }

  add(issue: InputIssue): void {
    if (this.issues.length < this.cap) this.issues.push(issue);
    else this.more++;
  }

  get count(): number {
    return this.issues.length + this.more;
  }

  /** Throw an InputError listing the issues when there are any. */
  throwIfAny(file: string, what = 'problem'): void {
    if (this.count === 0) return;
    const n = this.count;
    throw new InputError(`${file}: ${n} ${what}${n === 1 ? '' : 's'} found`, this.issues, this.more);
  }
}
