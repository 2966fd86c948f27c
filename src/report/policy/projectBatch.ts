/**
 * The worker-thread job of the policy projection (run by runParallel): a batch of paths of one
 * policy under one parameter vector. Path j of a batch draws from Rng.stream(seed, firstPath + j),
 * so a path's numbers depend on its index only, never on the thread that runs it; the same index
 * under two policies starts from the same stream (common random numbers).
 */
import type { Panel } from '../../data/panel.js';
import type { ModelSpec } from '../../estimation/spec.js';
import { Rng } from '../../estimation/rng.js';
import type { PolicySpec } from './policySpec.js';
import { measureCount, pathScratch, projectionBase, simulatePath, type PathScratch, type ProjectFrom, type ProjectionBase } from './projection.js';

/** Sent once to every worker. */
export interface ProjectionShared {
  panel: Panel;
  spec: ModelSpec;
  names: string[];
  horizon: number;
  from: ProjectFrom;
  seed: number;
}

export interface BatchPayload {
  /** Identifies the parameter vector (its starting point is computed once per thread). */
  thetaKey: string;
  theta: number[];
  /** The observed policy's coefficients. */
  beta: number[];
  policy: PolicySpec;
  firstPath: number;
  paths: number;
  /** Exact propagation instead of paths (policies that ignore voice); `paths` is then 1. */
  exact: boolean;
}

/** Starting points per shared object (one per projection run and thread) and parameter vector. */
const bases = new WeakMap<ProjectionShared, Map<string, { base: ProjectionBase; scratch: PathScratch }>>();

/** Per-path outputs, concatenated: [path][h*M + m] (see projection.ts). */
export function projectBatch(p: BatchPayload, shared: ProjectionShared): Float64Array {
  let perRun = bases.get(shared);
  if (!perRun) bases.set(shared, (perRun = new Map()));
  let entry = perRun.get(p.thetaKey);
  if (!entry) {
    const base = projectionBase(shared.spec, shared.names, Float64Array.from(p.theta), shared.panel, shared.horizon, shared.from);
    entry = { base, scratch: pathScratch(base) };
    perRun.set(p.thetaKey, entry);
  }
  const { base, scratch } = entry;
  const size = base.H * measureCount(base.K, base.V);
  const out = new Float64Array(p.paths * size);
  for (let j = 0; j < p.paths; j++) {
    const rng = p.exact ? null : Rng.stream(shared.seed, p.firstPath + j);
    simulatePath(base, p.policy, p.beta, rng, p.exact, scratch, out.subarray(j * size, (j + 1) * size));
  }
  return out;
}
