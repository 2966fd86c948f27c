/**
 * Per-class views of a fit with latent classes (a mixture, spec.classes): each class is a one-class
 * model (its class-specific blocks and the shared ones), so every one-class report (effects,
 * baseline matrices, simulation) applies to it as it stands. Also what the reports need from the
 * panel at fit time: the posterior class shares and each class's complaint-row state mix.
 */
import type { Panel } from '../data/panel.js';
import { EStep } from '../estimation/eStep.js';
import { mixtureAt } from '../estimation/fitMixture.js';
import type { Covariance } from '../estimation/inference/covariance.js';
import type { ModelSpec, NamedParameters } from '../estimation/spec.js';
import { classSpecOf } from '../model/mixtureModel.js';
import { ModelError } from '../errors.js';
import { columnRecord } from '../data/panel.js';
import type { EffectsBasis, SavedFit } from './fitFile.js';

/** What a fit with classes keeps about its classes (fit.json `classes`). */
export interface ClassSummary {
  /** Posterior class shares: the mean over customers of the posterior class probabilities, length C. */
  shares: number[];
  /** Per class, the effects basis: the complaint-row state mix within the class (weighted by the customers' class posteriors). */
  effectsBases: EffectsBasis[];
}

const BLOCK_ORDER = ['initial', 'transition', 'emission'];

/**
 * Indices (into the mixture's flat vector) and one-class names of class c's (0-based) parameters,
 * in the one-class order (initial, transition, emission).
 */
export function classParameterIndex(names: readonly string[], c: number): { index: number[]; names: string[] } {
  const prefix = `class[${c + 1}].`;
  const items: { i: number; name: string; block: number }[] = [];
  names.forEach((n, i) => {
    let plain: string | undefined;
    if (n.startsWith(prefix)) plain = n.slice(prefix.length);
    else if (!n.startsWith('class[')) plain = n;
    if (plain === undefined) return;
    const block = BLOCK_ORDER.findIndex((b) => plain!.startsWith(b));
    items.push({ i, name: plain, block });
  });
  items.sort((a, b) => a.block - b.block || a.i - b.i);
  return { index: items.map((x) => x.i), names: items.map((x) => x.name) };
}

function blocksOf(names: string[]): NamedParameters['blocks'] {
  const blocks: NamedParameters['blocks'] = [];
  names.forEach((n, i) => {
    const block = (['initial', 'transition', 'emission'] as const).find((b) => n.startsWith(b))!;
    const last = blocks[blocks.length - 1];
    if (last?.block === block) last.length++;
    else blocks.push({ block, start: i, length: 1 });
  });
  return blocks;
}

/** The covariance restricted to `index` (names renamed), bootstrap replicates likewise. */
function subCovariance(cov: Covariance, index: number[], names: string[]): Covariance {
  const n = cov.names.length;
  const m = index.length;
  const matrix = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) matrix[a * m + b] = cov.matrix[index[a] * n + index[b]];
  const rename = new Map(index.map((i, a) => [cov.names[i], names[a]]));
  const out: Covariance = {
    method: cov.method,
    names,
    matrix,
    unavailable: cov.unavailable.filter((u) => rename.has(u)).map((u) => rename.get(u)!),
    notes: [...cov.notes],
  };
  if (cov.bootstrap) out.bootstrap = { ...cov.bootstrap, replicates: cov.bootstrap.replicates.map((r) => index.map((i) => r[i])) };
  return out;
}

/** Class c (0-based) of a fit with classes as a one-class fit: its parameters, covariance and effects basis. */
export function classFit(fit: SavedFit, c: number): SavedFit {
  const cs = fit.spec.classes;
  if (cs === undefined) throw new ModelError('classFit needs a fit with classes');
  if (!(Number.isInteger(c) && c >= 0 && c < cs.count)) throw new RangeError(`class ${c + 1} outside 1..${cs.count}`);
  const { index, names } = classParameterIndex(fit.parameters.names, c);
  const values = Float64Array.from(index, (i) => fit.parameters.values[i]);
  const out: SavedFit = {
    ...fit,
    spec: classSpecOf(fit.spec),
    parameters: { names, values, blocks: blocksOf(names) },
    nParams: names.length,
    effectsBasis: fit.classes?.effectsBases[c] ?? fit.effectsBasis,
    warnings: [],
  };
  delete out.classes;
  if (fit.covariance) out.covariance = subCovariance(fit.covariance, index, names);
  else delete out.covariance;
  return out;
}

/**
 * The posterior class shares and each class's effects basis at `params`: the state mix over
 * complaint rows (all rows when none) of the posterior state probabilities given the class, each
 * customer weighted by its posterior class probability; covariate means as the whole panel's.
 */
export function classSummary(panel: Panel, spec: ModelSpec, params: NamedParameters, covariateMeans: Record<string, number>): ClassSummary {
  const { model, eStep } = mixtureAt(panel, spec, params);
  const C = model.nClasses;
  const K = model.nStates;
  const nSeq = eStep.nSeq;
  const post = new Float64Array(nSeq * C);
  eStep.run(model.parts, undefined, post);
  const shares = new Array<number>(C).fill(0);
  for (let i = 0; i < nSeq; i++) for (let c = 0; c < C; c++) shares[c] += post[i * C + c] / nSeq;
  const complaint = panel.voiceLabels.findIndex((l) => l.toLowerCase() === 'complaint');
  const anyComplaint = complaint >= 0 && panel.voice.includes(complaint);
  const effectsBases = model.classes.map((m, c) => {
    const one = new EStep(m.parts, K, m.nVoice, panel.offsets, panel.voice);
    const gamma = new Float64Array(panel.voice.length * K);
    one.run(m.parts, gamma);
    const mix = new Array<number>(K).fill(0);
    let rows = 0;
    for (let i = 0; i < nSeq; i++) {
      const w = post[i * C + c];
      for (let r = panel.offsets[i]; r < panel.offsets[i + 1]; r++) {
        if (anyComplaint && panel.voice[r] !== complaint) continue;
        if (anyComplaint) rows++;
        for (let k = 0; k < K; k++) mix[k] += w * gamma[r * K + k];
      }
    }
    const total = mix.reduce((s, x) => s + x, 0);
    const means = columnRecord<number>();
    Object.assign(means, covariateMeans);
    return { complaintStateMix: mix.map((x) => (total > 0 ? x / total : 1 / K)), complaintRows: rows, covariateMeans: means };
  });
  return { shares, effectsBases };
}
