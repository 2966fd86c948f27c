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
import { measureCount, pathScratch, projectionBase, projectionContext, simulatePath, type PathScratch, type ProjectFrom, type ProjectionBase, type ProjectionContext } from './projection.js';

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
  /** Each projected on the same paths, one after the other. */
  policies: { policy: PolicySpec; paths: number; exact: boolean }[];
  firstPath: number;
}

/** Per shared object (one per projection run and thread): the context, and the starting point per parameter vector. */
const runs = new WeakMap<ProjectionShared, { ctx: ProjectionContext; scratch: PathScratch | null; bases: Map<string, ProjectionBase> }>();

/**
 * Per-path outputs, concatenated: [policy][path][h*M + m] (see projection.ts). `exact`: exact
 * propagation instead of paths (policies that ignore voice), with `paths` 1.
 */
export function projectBatch(p: BatchPayload, shared: ProjectionShared): Float64Array {
  let run = runs.get(shared);
  if (!run) runs.set(shared, (run = { ctx: projectionContext(shared.spec, shared.panel, shared.horizon, shared.from), scratch: null, bases: new Map() }));
  let base = run.bases.get(p.thetaKey);
  if (!base) {
    base = projectionBase(run.ctx, shared.names, Float64Array.from(p.theta));
    run.bases.set(p.thetaKey, base);
  }
  const scratch = (run.scratch ??= pathScratch(base));
  const size = base.H * measureCount(base.K, base.V);
  const out = new Float64Array(p.policies.reduce((n, q) => n + q.paths, 0) * size);
  let at = 0;
  for (const q of p.policies) {
    for (let j = 0; j < q.paths; j++, at += size) {
      const rng = q.exact ? null : Rng.stream(shared.seed, p.firstPath + j);
      simulatePath(base, q.policy, p.beta, rng, q.exact, scratch, out.subarray(at, at + size));
    }
  }
  return out;
}
