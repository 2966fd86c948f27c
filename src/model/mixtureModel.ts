/**
 * A mixture of C input-output HMMs: latent classes of customers. Each class is a full HmmModel
 * (initial, transition, emission); the blocks not listed in spec.classes.specific are one sub-model
 * shared by every class (the same object in each class's HmmModel, whose M-step reads the classes'
 * counts added up). Class membership is a fourth sub-model of the same interface: a multinomial
 * logit over the C classes with one design row per customer (the first row of the membership
 * formula's design, checked constant within each customer), reference class 1 — exactly the
 * shape of the initial model.
 *
 * Flat parameter vector (one source for tables, IC, SEs and saved fits), in this order:
 *   1. for c = 1..C, class c's class-specific blocks in block order (initial, transition,
 *      emission), each named as in the one-class model with the prefix `class[c].`, e.g.
 *      `class[2].transition[1->2]:lag(intervention)`;
 *   2. the shared blocks in block order, with their one-class names;
 *   3. membership: `class[c]:<column>` for c = 2..C, class-major (class 1 the reference).
 * E-step counts (EStepStatistics.counts) are keyed `class[c].<block>` for class-specific parts,
 * `<block>` for shared ones and `membership` for the membership logit (see classPart.ts).
 *
 * Labelling (relabel): classes ordered by size, largest first (size = the summed posterior class
 * probabilities of the customers); then states worst-first by the one-class rule (hmmModel.ts),
 * within each class when every block is class-specific, else one permutation for all classes,
 * taken from class 1 (a shared block fixes what a state means in every class).
 */
import type { Design } from '../data/design.js';
import type { ClassSpec, ModelSpec, NamedParameters } from '../estimation/spec.js';
import { ModelError } from '../errors.js';
import { ClassPart } from './classPart.js';
import { compressDesign } from './compressDesign.js';
import { readParameters, writeParameters } from './flatParameters.js';
import { createModel, modelWithParts, type HmmModel, type ModelDesigns } from './hmmModel.js';
import type { MultinomialLogit } from './multinomialLogit.js';
import { createInitialModel } from './initialModel.js';
import type { PatternDesign } from './patternDesign.js';
import { BLOCKS, type Block, type CoreBlock, type SubModel } from './subModel.js';

export interface MixtureDesigns extends ModelDesigns {
  /** Membership design, one row per panel row (constant within each customer; the first row is used). */
  membership: Design;
}

export const MEMBERSHIP_KEY = 'membership';

/** The statistics key of class c's (0-based) part of `block`, or of the shared part. */
export function classPartKey(c: number, block: Block, specific: boolean): string {
  return specific ? `class[${c + 1}].${block}` : block;
}

/** The membership logit: C outcomes, one group, reference class 1, parameters class-major `class[c]:<col>` (the initial model's shape). */
export function createMembershipModel(nClasses: number, design: PatternDesign): MultinomialLogit {
  return createInitialModel(nClasses, design, (c, col) => `class[${c}]:${col}`);
}

/** ModelError unless the class spec is usable. */
export function checkClassSpec(classes: ClassSpec): void {
  if (!Number.isInteger(classes.count) || classes.count < 2) throw new ModelError(`the number of classes of a mixture must be an integer >= 2, got ${classes.count}`);
  if (typeof classes.formula !== 'string') throw new ModelError(`the class membership needs a formula (e.g. '~ 1'), got ${String(classes.formula)}`);
  if (!Array.isArray(classes.specific) || classes.specific.some((b) => !BLOCKS.includes(b))) {
    throw new ModelError(`class-specific blocks must be among initial, transition, emission, got ${String(classes.specific)}`);
  }
}

export class MixtureModel {
  readonly nClasses: number;
  readonly nStates: number;
  readonly nVoice: number;
  /** Per block, whether every class has its own sub-model. */
  readonly specific: Record<CoreBlock, boolean>;
  /** The wrapped membership logit (countsKey 'membership'). */
  readonly membership: ClassPart;
  /** The flat parameter vector's parts, in its order (see the file header). */
  readonly parts: readonly SubModel[];
  readonly nParams: number;

  /**
   * @param classes class c's HmmModel (a shared block: the same sub-model object in every class)
   * @param membershipModel the membership logit (unwrapped)
   */
  constructor(
    readonly spec: ModelSpec,
    readonly classes: readonly HmmModel[],
    membershipModel: SubModel,
  ) {
    const cs = spec.classes!;
    this.nClasses = classes.length;
    this.nStates = spec.nStates;
    this.nVoice = spec.voiceLabels.length;
    this.specific = { initial: cs.specific.includes('initial'), transition: cs.specific.includes('transition'), emission: cs.specific.includes('emission') };
    this.membership = new ClassPart(membershipModel, MEMBERSHIP_KEY, '');
    const parts: SubModel[] = [];
    classes.forEach((m, c) => {
      BLOCKS.forEach((b, i) => {
        if (this.specific[b]) parts.push(new ClassPart(m.parts[i], classPartKey(c, b, true), `class[${c + 1}].`));
      });
    });
    BLOCKS.forEach((b, i) => {
      if (!this.specific[b]) parts.push(classes[0].parts[i]);
    });
    parts.push(this.membership);
    this.parts = parts;
    this.nParams = parts.reduce((n, p) => n + p.nParams, 0);
  }

  getParameters(): NamedParameters {
    return readParameters(this.parts, this.nParams, (part, start) => {
      const m = /^class\[(\d+)\]\./.exec(part.countsKey ?? '');
      const block = part === this.membership ? 'membership' : part.block;
      return m ? { block, start, length: part.nParams, class: Number(m[1]) } : { block, start, length: part.nParams };
    });
  }

  setParameters(values: Float64Array): void {
    writeParameters(this.parts, this.nParams, values);
  }

  /**
   * Relabel classes largest first by `size` (length C, e.g. summed posterior class probabilities),
   * then states worst-first (see the file header). Returns the class permutation (new class n =
   * old class perm[n]).
   */
  relabel(size: ArrayLike<number>): Int32Array {
    const C = this.nClasses;
    if (size.length !== C) throw new RangeError(`class sizes: length ${size.length}, expected ${C}`);
    const perm = Int32Array.from(Array.from({ length: C }, (_, c) => c).sort((a, b) => size[b] - size[a] || a - b));
    if (perm.some((p, c) => p !== c)) this.permuteClasses(perm);
    if (BLOCKS.every((b) => this.specific[b])) {
      for (const m of this.classes) m.relabelWorstFirst();
    } else {
      const statePerm = this.classes[0].relabelWorstFirst();
      for (let c = 1; c < C; c++) {
        BLOCKS.forEach((b, i) => {
          if (this.specific[b]) this.classes[c].parts[i].permuteStates(statePerm);
        });
      }
    }
    return perm;
  }

  /** Relabel the classes: new class n is old class perm[n] (0-based); class-specific blocks and membership move. */
  permuteClasses(perm: Int32Array): void {
    const C = this.nClasses;
    if (perm.length !== C) throw new RangeError(`class permutation: length ${perm.length}, expected ${C}`);
    BLOCKS.forEach((b, i) => {
      if (!this.specific[b]) return;
      const n = this.classes[0].parts[i].nParams;
      const old = this.classes.map((m) => {
        const v = new Float64Array(n);
        m.parts[i].getParams(v, 0);
        return v;
      });
      this.classes.forEach((m, c) => m.parts[i].setParams(old[perm[c]], 0));
    });
    this.membership.permuteStates(perm);
  }

  /**
   * Relabel the states of each class: in class c new state s is old state perms[c][s]. A shared
   * block is permuted once, by perms[0]; with any shared block every class must take the same
   * permutation (a RangeError otherwise).
   */
  permuteStates(perms: readonly Int32Array[]): void {
    const C = this.nClasses;
    if (perms.length !== C || perms.some((p) => p.length !== this.nStates)) throw new RangeError(`state permutations: expected ${C} of length ${this.nStates}`);
    if (!BLOCKS.every((b) => this.specific[b]) && perms.some((p) => p.some((t, s) => t !== perms[0][s]))) {
      throw new RangeError('with a block shared by the classes every class takes the same state permutation');
    }
    BLOCKS.forEach((b, i) => {
      if (this.specific[b]) this.classes.forEach((m, c) => m.parts[i].permuteStates(perms[c]));
      else this.classes[0].parts[i].permuteStates(perms[0]);
    });
  }

  /** Class c's model alone (0-based), its parameters as one-class names: what per-class reports read. */
  classModel(c: number): HmmModel {
    return this.classes[c];
  }

  clone(): MixtureModel {
    const copies = new Map<SubModel, SubModel>();
    const copy = (p: SubModel): SubModel => {
      let q = copies.get(p);
      if (q === undefined) {
        q = p.clone();
        copies.set(p, q);
      }
      return q;
    };
    const classes = this.classes.map((m) => modelWithParts(m, [copy(m.parts[0]), copy(m.parts[1]), copy(m.parts[2])]));
    return new MixtureModel(this.spec, classes, this.membership.inner.clone());
  }
}

/** The one-class spec of a mixture's classes (the spec without `classes`). */
export function classSpecOf(spec: ModelSpec): ModelSpec {
  const { classes: _classes, ...plain } = spec;
  return plain;
}

/**
 * Build the mixture for a panel (offsets: CSR offsets; each design one row per panel row).
 * Parameters start at 0 in every class (starts.ts / mixtureStarts.ts move them apart).
 */
export function createMixtureModel(spec: ModelSpec, designs: MixtureDesigns, offsets: Int32Array): MixtureModel {
  if (spec.classes === undefined) throw new ModelError('createMixtureModel needs a spec with classes');
  if (spec.formulas.selection !== undefined) {
    throw new ModelError('a selection model (--selection) with latent classes (--classes) is not supported: fit one of them, or the selection model with one class');
  }
  checkClassSpec(spec.classes);
  const base = createModel(classSpecOf(spec), designs, offsets);
  const nSeq = offsets.length - 1;
  const C = spec.classes.count;
  const specific = spec.classes.specific;
  const classes: HmmModel[] = [base];
  for (let c = 1; c < C; c++) {
    // a model of its own (not a clone of class 1's parts): clones share one kept probability table
    // (multinomialLogit.ts), which the classes, evaluated one after the other, would overwrite
    const own = specific.length ? createModel(classSpecOf(spec), designs, offsets) : base;
    const parts = BLOCKS.map((b, i) => (specific.includes(b) ? own.parts[i] : base.parts[i])) as [SubModel, SubModel, SubModel];
    classes.push(modelWithParts(base, parts));
  }
  const nRows = offsets[nSeq];
  const nCols = designs.membership.names.length;
  if (designs.membership.values.length !== nRows * nCols) {
    throw new ModelError(`the membership design has ${designs.membership.values.length} values, expected ${nRows} rows x ${nCols} columns`);
  }
  const membership = createMembershipModel(C, compressDesign(designs.membership, offsets.subarray(0, nSeq)));
  return new MixtureModel(spec, classes, membership);
}
