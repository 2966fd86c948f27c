/**
 * Bootstrap covariance of a fit's parameter vector (DESIGN.md, Inference).
 *
 * B replicates, replicate b drawn from stream Rng.stream(seed, b):
 * - nonparametric: the customers (the independent units) resampled with replacement;
 * - parametric: new states and voice simulated from the fit on the panel's own rows (customers,
 *   period counts, covariates, interventions as observed; see simulateVoices.ts); with latent
 *   classes each customer's class is drawn first, from the fit's membership model; with a
 *   selection model the interventions are drawn too, from the selection model (simulateSelection.ts).
 * Each replicate is refitted from the full-sample estimates (no random starts, hence no screening)
 * with a looser tolerance than a full fit (BOOTSTRAP_DEFAULTS.tol = 1e-10 relative: the projected
 * gain still to come is below 1e-10 |LL|, so a replicate's estimates are within about
 * sqrt(2e-10 |LL|) standard errors of its maximum, 0.003 on the example panel, far below the
 * replicate-to-replicate spread), then its states are matched to the full-sample labelling
 * (alignStates.ts; with classes its classes and states, alignClasses.ts). Replicates run on worker threads; results come back in replicate order and
 * every random draw is the replicate's, so 1 and N threads give identical output.
 *
 * The covariance is the sample covariance of the aligned replicate estimates; the replicates are
 * kept (cov.bootstrap.replicates) for percentile intervals. Parameters at the boundary get no
 * standard error (unstableParameters; the observed information at the estimates says which). Failed replicates (an error or
 * estimates that are not finite) are left out and counted; replicates that stopped at the
 * iteration cap are kept and counted; both are reported by bootstrapWarnings.
 */
import type { Panel } from '../../data/panel.js';
import { ModelError, UsageError } from '../../errors.js';
import { createModel } from '../../model/hmmModel.js';
import { defaultThreads, runParallel } from '../../parallel/runParallel.js';
import { sharePanel } from '../../parallel/sharePanel.js';
import { buildModelDesigns } from '../fit.js';
import type { ModelSpec, NamedParameters } from '../spec.js';
import { stateAligner } from './alignStates.js';
import { mixtureAligner } from './alignClasses.js';
import { checkSelectionSimulation } from '../simulateSelection.js';
import { buildMixtureDesigns } from '../fitMixture.js';
import { createMixtureModel, MixtureModel, type MixtureDesigns } from '../../model/mixtureModel.js';
import type { BootstrapShared, BootstrapType, ReplicatePayload, ReplicateResult } from './bootstrapReplicate.js';
import type { Covariance } from './covariance.js';
import { SE_LIMIT } from './invertInformation.js';
import { likelihoodCovariance } from './observedCovariance.js';

export type { BootstrapType } from './bootstrapReplicate.js';

export const BOOTSTRAP_DEFAULTS = { replicates: 200, type: 'nonparametric', seed: 1, tol: 1e-10, maxIter: 500 } as const;
export const BOOTSTRAP_TYPES = ['nonparametric', 'parametric'] as const;

export interface BootstrapProgress {
  /** Replicates finished so far, of `total`. */
  done: number;
  total: number;
  /** Milliseconds since the bootstrap started. */
  elapsedMs: number;
}

export interface BootstrapOptions {
  /** Replicates B (default 200). */
  replicates?: number;
  type?: BootstrapType;
  /** Seed of the replicates' streams (default 1). */
  seed?: number;
  /** Worker threads (default: the machine's cores); 1 runs in this thread. */
  threads?: number;
  /** Iteration cap of each replicate fit (default 500). */
  maxIter?: number;
  /** Relative tolerance of each replicate fit (default 1e-10, see the file header). */
  tol?: number;
  /** Ridge penalty of the replicate fits (the fit's default when absent; use the full-sample fit's). */
  ridge?: number;
  onProgress?: (p: BootstrapProgress) => void;
}

/** The replicate job (the .ts source under the test runner; runParallel maps it to dist/ for workers). */
const REPLICATE_JOB = { module: new URL(import.meta.url.endsWith('.ts') ? './bootstrapReplicate.ts' : './bootstrapReplicate.js', import.meta.url).href, name: 'bootstrapReplicate' };

function checkOptions(o: BootstrapOptions): void {
  const { replicates, type, seed, threads, maxIter, tol } = o;
  if (replicates !== undefined && !(Number.isInteger(replicates) && replicates >= 2)) throw new UsageError(`the bootstrap needs a whole number of replicates >= 2, got ${replicates}`);
  if (type !== undefined && !BOOTSTRAP_TYPES.includes(type)) throw new UsageError(`the bootstrap type must be nonparametric or parametric, got '${String(type)}'`);
  if (seed !== undefined && !Number.isFinite(seed)) throw new UsageError(`the bootstrap seed must be a number, got ${seed}`);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new UsageError(`threads must be a whole number >= 1, got ${threads}`);
  if (maxIter !== undefined && !(Number.isInteger(maxIter) && maxIter >= 1)) throw new UsageError(`the replicate iteration cap must be a whole number >= 1, got ${maxIter}`);
  if (tol !== undefined && !(tol > 0)) throw new UsageError(`the replicate tolerance must be > 0, got ${tol}`);
}

/** Mean emission design row over the panel's rows (the baseline at which states are matched). */
function meanRow(values: Float64Array, nCols: number): Float64Array {
  const mean = new Float64Array(nCols);
  const n = nCols ? values.length / nCols : 0;
  for (let r = 0; r < n; r++) for (let j = 0; j < nCols; j++) mean[j] += values[r * nCols + j];
  if (n > 0) for (let j = 0; j < nCols; j++) mean[j] /= n;
  return mean;
}

/**
 * The aligner of replicates to the full-sample labelling: of states (alignStates.ts), or with
 * classes of classes and states (alignClasses.ts). Its scratch model also checks that the
 * estimates are those of the spec on this panel.
 */
function replicateAligner(panel: Panel, spec: ModelSpec, names: readonly string[], full: Float64Array): { align(values: Float64Array): { values: Float64Array; relabelled: boolean } } {
  const mixture = spec.classes !== undefined;
  const designs = mixture ? buildMixtureDesigns(panel, spec) : buildModelDesigns(panel, spec);
  const scratch = mixture ? createMixtureModel(spec, designs as MixtureDesigns, panel.offsets) : createModel(spec, designs, panel.offsets);
  const expected = scratch.getParameters().names;
  const n = names.length;
  if (expected.length !== n || expected.some((x, i) => x !== names[i])) {
    throw new ModelError(`the fit's parameters (${n}) are not those of the model on this panel (${expected.length}): bootstrap a fit of this spec`);
  }
  const mean = (d: { values: Float64Array; names: string[] }) => meanRow(d.values, d.names.length);
  if (scratch instanceof MixtureModel) {
    return mixtureAligner(scratch, full, { initial: mean(designs.initial), transition: mean(designs.transition), emission: mean(designs.emission) });
  }
  return stateAligner(scratch, full, mean(designs.emission));
}

/** Sample covariance (divisor m - 1) of m rows of length n, row-major [i*n + j]. */
export function sampleCovariance(rows: readonly Float64Array[], n: number): Float64Array {
  const m = rows.length;
  const mean = new Float64Array(n);
  for (const r of rows) for (let i = 0; i < n; i++) mean[i] += r[i] / m;
  const out = new Float64Array(n * n);
  for (const r of rows) {
    for (let i = 0; i < n; i++) {
      const di = r[i] - mean[i];
      for (let j = i; j < n; j++) out[i * n + j] += di * (r[j] - mean[j]);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      out[i * n + j] /= m - 1;
      out[j * n + i] = out[i * n + j];
    }
  }
  return out;
}

/**
 * Parameters without a bootstrap standard error: those whose replicate estimates spread wider
 * than SE_LIMIT log-odds units (the limit of the observed information, invertInformation.ts: a
 * probability driven to 0 or 1, its coefficient drifting towards infinity in the replicates), and
 * the `undetermined` ones, which the observed information at the full-sample estimates does not
 * determine: on the flat likelihood there, a replicate started from the estimates stops near them
 * whatever its data, so the replicates' small spread would be an artefact of the start. Their rows
 * and columns of `matrix` (row-major n x n) are set to 0 in place.
 */
export function unstableParameters(names: readonly string[], matrix: Float64Array, undetermined: readonly string[] = []): { unavailable: string[]; notes: string[] } {
  const n = names.length;
  const idx: number[] = [];
  const unstable: string[] = [];
  const skip = new Set(undetermined);
  for (let i = 0; i < n; i++) {
    if (!(Math.sqrt(matrix[i * n + i]) <= SE_LIMIT)) {
      idx.push(i);
      unstable.push(names[i]);
    } else if (skip.has(names[i])) idx.push(i);
  }
  for (const i of idx) {
    for (let j = 0; j < n; j++) {
      matrix[i * n + j] = 0;
      matrix[j * n + i] = 0;
    }
  }
  const list = (v: string[]) => v.slice(0, 6).join(', ') + (v.length > 6 ? ` (+${v.length - 6} more)` : '');
  const notes: string[] = [];
  if (unstable.length) notes.push(`no standard error for ${list(unstable)}: the bootstrap replicates spread over more than ${SE_LIMIT} log-odds units (a probability at the boundary)`);
  const fixed = idx.map((i) => names[i]).filter((x) => !unstable.includes(x));
  if (fixed.length) {
    notes.push(
      `no standard error for ${list(fixed)}: the observed information leaves ${fixed.length === 1 ? 'it' : 'them'} undetermined at the estimates ` +
        '(a probability at the boundary, or a direction the data do not identify), where replicates started from the estimates barely move whatever the data',
    );
  }
  return { unavailable: idx.map((i) => names[i]), notes };
}

/** Bootstrap covariance of `fit.parameters` (the full-sample estimates of `spec` on `panel`). */
export async function bootstrapCovariance(panel: Panel, spec: ModelSpec, fit: { parameters: NamedParameters }, options: BootstrapOptions = {}): Promise<Covariance> {
  checkOptions(options);
  const B = options.replicates ?? BOOTSTRAP_DEFAULTS.replicates;
  const type = options.type ?? BOOTSTRAP_DEFAULTS.type;
  if (type === 'parametric' && spec.formulas.selection !== undefined) checkSelectionSimulation(panel);
  const seed = options.seed ?? BOOTSTRAP_DEFAULTS.seed;
  const { names } = fit.parameters;
  const n = names.length;
  const full = fit.parameters.values;
  if (full.length !== n || !full.every(Number.isFinite)) throw new ModelError('the bootstrap needs finite full-sample estimates, one per parameter name');

  const aligner = replicateAligner(panel, spec, names, full);

  const shared: BootstrapShared = {
    panel: sharePanel(panel),
    spec,
    start: { names: [...names], values: Float64Array.from(full), blocks: fit.parameters.blocks },
    type,
    maxIter: options.maxIter ?? BOOTSTRAP_DEFAULTS.maxIter,
    tol: options.tol ?? BOOTSTRAP_DEFAULTS.tol,
    ridge: options.ridge,
  };
  const payloads: ReplicatePayload[] = Array.from({ length: B }, (_, index) => ({ index, seed }));
  const t0 = Date.now();
  const results = await runParallel<ReplicatePayload, ReplicateResult, BootstrapShared>(
    REPLICATE_JOB,
    payloads,
    {
      threads: options.threads ?? defaultThreads(),
      shared,
      onDone: options.onProgress ? (_i, done, total) => options.onProgress!({ done, total, elapsedMs: Date.now() - t0 }) : undefined,
    },
  );

  const kept: Float64Array[] = [];
  const failures: string[] = [];
  let notConverged = 0;
  let relabelled = 0;
  for (const r of results) {
    if (!r.values) {
      failures.push(`replicate ${r.index + 1}: ${r.error ?? 'failed'}`);
      continue;
    }
    const a = aligner.align(Float64Array.from(r.values));
    if (a.relabelled) relabelled++;
    if (!r.converged) notConverged++;
    kept.push(a.values);
  }
  if (kept.length < 2) {
    throw new ModelError(`the bootstrap failed: ${failures.length} of ${B} replicate fits failed${failures.length ? ` (first: ${failures[0]})` : ''}`);
  }
  const matrix = sampleCovariance(kept, n);
  const observed = likelihoodCovariance(panel, spec, fit.parameters, 'observed', { profile: false });
  const { unavailable, notes } = unstableParameters(names, matrix, observed.unavailable);
  if (relabelled > 0) notes.push(`${relabelled} of ${kept.length} bootstrap replicates came back with their ${spec.classes ? 'classes or states' : 'states'} in another order and were matched to the full-sample ${spec.classes ? 'classes and states' : 'states'}`);
  for (const f of failures.slice(0, 3)) notes.push(`bootstrap ${f}`);
  return {
    method: 'bootstrap',
    names: [...names],
    matrix,
    unavailable,
    notes,
    bootstrap: { type, requested: B, seed, replicates: kept.map((v) => Array.from(v)), failed: failures.length, notConverged },
  };
}

/** Lines for the warnings footer: failed and non-converged replicates (never silently dropped). */
export function bootstrapWarnings(cov: Covariance): string[] {
  const b = cov.bootstrap;
  if (!b) return [];
  const out: string[] = [];
  if (b.failed > 0) {
    out.push(`${b.failed} of ${b.requested} bootstrap replicates failed to fit and are left out: the standard errors and intervals use the other ${b.replicates.length}`);
  }
  if (b.notConverged > 0) {
    out.push(`${b.notConverged} of ${b.replicates.length} bootstrap replicates stopped at the iteration cap without converging; they are kept (their estimates are near, not at, their maxima)`);
  }
  return out;
}
