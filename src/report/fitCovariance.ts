/**
 * The standard-error methods of `squeaky fit --se` and the covariance each one computes for a
 * fit. The list of methods lives here only: the CLI option, its help and runFit read it.
 */
import type { Panel } from '../data/panel.js';
import type { FitResult } from '../estimation/fitTypes.js';
import type { Covariance } from '../estimation/inference/covariance.js';
import { likelihoodCovariance, likelihoodCovariancesAsync, type CovarianceOptions } from '../estimation/inference/observedCovariance.js';
import { bootstrapCovariance, type BootstrapOptions } from '../estimation/inference/bootstrapCovariance.js';
import { UsageError } from '../errors.js';

export const SE_METHODS = ['observed', 'robust', 'bootstrap', 'none'] as const;
export type SeMethod = (typeof SE_METHODS)[number];
/** The methods computed at the fit alone (no refits): what commands fitting many models offer. */
export const SINGLE_FIT_SE_METHODS = ['observed', 'robust', 'none'] as const satisfies readonly SeMethod[];
export const DEFAULT_SE_METHOD: SeMethod = 'observed';

const NOT_CONVERGED_NOTE = 'the fit did not converge: its standard errors are taken at a point that may not be the maximum, and every 95% interval is estimate +- 1.96 SE (no profile-likelihood intervals)';

/**
 * Whether the fit gets profile-likelihood intervals, and the note that says why not. They need a
 * maximum (none for a fit that did not converge), and they are not searched for latent-class fits:
 * those have many parameters at the boundary (a small class rarely seen in some state), each of
 * which would need its own constrained refits of the whole mixture (on the example panel with two
 * classes the searches took five times the fit).
 */
export function profilePlan(result: FitResult, options: CovarianceOptions): { profile: boolean; note?: string } {
  if (options.profile === false) return { profile: false, note: OFF_NOTE };
  if (!result.converged) return { profile: false, note: NOT_CONVERGED_NOTE };
  if ((result.spec.classes?.count ?? 1) > 1) return { profile: false, note: CLASSES_NOTE };
  return { profile: true };
}

const OFF_NOTE = 'no profile-likelihood intervals were searched (as in squeaky select): every 95% interval is estimate +- 1.96 SE ("n/a" where there is no standard error); squeaky fit gives them';

const CLASSES_NOTE =
  'no profile-likelihood intervals for a latent-class fit: every 95% interval is estimate +- 1.96 SE ("n/a" where there is no standard error); --se bootstrap gives percentile intervals';


/** One line per method for --help. */
export const SE_METHOD_HELP: Record<SeMethod, string> = {
  observed: 'inverse observed information, minus the Hessian of the log-likelihood at the maximum',
  robust: 'cluster-robust sandwich with customers as the independent units',
  bootstrap: 'percentile intervals from refits to --bootstrap B resampled panels, on --threads worker threads',
  none: 'no standard errors (fit.json without a covariance)',
};

/** The covariance of a fit's parameters by `method` (undefined for 'none'). */
export function fitCovariance(panel: Panel, result: FitResult, method: SeMethod, options: CovarianceOptions = {}): Covariance | undefined {
  switch (method) {
    case 'none':
      return undefined;
    case 'observed':
    case 'robust': {
      const plan = profilePlan(result, options);
      const cov = likelihoodCovariance(panel, result.spec, result.parameters, method, { ...options, profile: plan.profile });
      if (plan.note) cov.notes.push(plan.note);
      return cov;
    }
    case 'bootstrap':
      throw new UsageError('the bootstrap runs on worker threads: use runFit, runFitOnPanelAsync or fitCovarianceAsync');
    default:
      throw new RangeError(`unknown standard-error method '${String(method)}'`);
  }
}

/** The covariance of a fit's parameters by any method, the bootstrap included (with `options.bootstrap`). */
export async function fitCovarianceAsync(
  panel: Panel,
  result: FitResult,
  method: SeMethod,
  options: CovarianceOptions & { bootstrap?: BootstrapOptions } = {},
): Promise<Covariance | undefined> {
  if (method === 'observed' || method === 'robust') {
    // The profile sides run on options.threads worker threads (the same bounds as fitCovariance).
    const plan = profilePlan(result, options);
    const [cov] = await likelihoodCovariancesAsync(panel, result.spec, result.parameters, [method], { ...options, profile: plan.profile });
    if (plan.note) cov.notes.push(plan.note);
    return cov;
  }
  if (method !== 'bootstrap') return fitCovariance(panel, result, method, options);
  const cov = await bootstrapCovariance(panel, result.spec, result, options.bootstrap);
  if (!result.converged) cov.notes.push('the fit did not converge: the bootstrap replicates start from a point that may not be the maximum');
  return cov;
}
