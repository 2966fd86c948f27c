/**
 * A sub-model seen as one part of a mixture of classes (mixtureModel.ts): the same distribution
 * and parameters as the sub-model it wraps, with its parameter names prefixed (`class[2].`) and its
 * E-step counts kept under its own key of the statistics (`countsKey`), since every class has its
 * own count tables. Its M-step hands the wrapped sub-model a view of the statistics with those
 * counts under the sub-model's block, so the sub-models themselves know nothing of classes.
 */
import type { EStepStatistics, MStepOptions, MStepReport, ObservedUnits, SubModel } from './subModel.js';

export class ClassPart implements SubModel {
  readonly block: SubModel['block'];
  readonly nGroups: number;
  readonly nOut: number;
  readonly design: SubModel['design'];
  readonly nParams: number;

  constructor(
    readonly inner: SubModel,
    readonly countsKey: string,
    private readonly prefix: string,
  ) {
    this.block = inner.block;
    this.nGroups = inner.nGroups;
    this.nOut = inner.nOut;
    this.design = inner.design;
    this.nParams = inner.nParams;
  }

  parameterNames(): string[] {
    return this.inner.parameterNames().map((n) => this.prefix + n);
  }
  getParams(out: Float64Array, offset: number): void {
    this.inner.getParams(out, offset);
  }
  setParams(src: Float64Array, offset: number): void {
    this.inner.setParams(src, offset);
  }
  probabilities(out: Float64Array): void {
    this.inner.probabilities(out);
  }
  probabilitiesFor(rows: Float64Array, nPatterns: number, out: Float64Array): void {
    this.inner.probabilitiesFor(rows, nPatterns, out);
  }
  logProbabilities(out: Float64Array): void {
    this.inner.logProbabilities(out);
  }
  mStep(stats: EStepStatistics, options: MStepOptions): MStepReport {
    const view: EStepStatistics = { logLik: stats.logLik, counts: { [this.inner.block]: stats.counts[this.countsKey] } };
    const observed = stats.observed?.[this.countsKey];
    if (observed !== undefined) view.observed = { [this.inner.block]: observed };
    return this.inner.mStep(view, options);
  }
  objective(counts: Float64Array, ridge: number, observed?: ObservedUnits): number {
    return this.inner.objective(counts, ridge, observed);
  }
  gradient(counts: Float64Array, ridge: number, out: Float64Array, observed?: ObservedUnits): void {
    this.inner.gradient(counts, ridge, out, observed);
  }
  hessian(counts: Float64Array, ridge: number, out: Float64Array, observed?: ObservedUnits): void {
    this.inner.hessian(counts, ridge, out, observed);
  }
  permuteStates(perm: Int32Array): void {
    this.inner.permuteStates(perm);
  }
  clone(): ClassPart {
    return new ClassPart(this.inner.clone(), this.countsKey, this.prefix);
  }
}
