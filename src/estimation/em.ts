/**
 * The EM driver: probabilities -> E-step -> every sub-model's M-step, until the convergence
 * monitor stops it. The loop treats the three sub-models alike (no branching on their kind): each
 * M-step reads only the E-step statistics.
 *
 * Acceleration (default on): SQUAREM (Varadhan & Roland 2008, scheme S3) on the flat parameter
 * vector. From theta0, two EM updates give theta1 and theta2; with r = theta1 - theta0 and
 * v = theta2 - 2 theta1 + theta0 the extrapolated point is theta0 - 2a r + a^2 v, a = -|r|/|v|
 * (a <= -1; a = -1 is exactly theta2), |a| capped by a bound that starts at 1 and is multiplied by 4
 * when a step at the bound succeeds and divided by 4 when it fails (the SQUAREM package's default
 * scheme). The extrapolated point is kept only when its log-likelihood is at least that of theta1;
 * otherwise EM continues from theta2, whose log-likelihood is at least that of theta1 by the EM
 * property. So every recorded log-likelihood is >= the one before, as for plain EM, while the
 * number of iterations to convergence typically drops several-fold. Convergence is judged once per
 * cycle (the monitor's checkpoints), not after the cycle's first, plain EM update.
 *
 * Quasi-Newton finish (EmOptions.quasiNewton, on in `fit`): EM is linear and crawls near the top
 * (on the example panel SQUAREM-EM alone stalls about 1e-6 below it); once EM's relative change is
 * below SWITCH_TOL, BFGS on the exact penalised log-likelihood takes over (quasiNewton.ts) and runs
 * until the gain still to come, projected from the exact gradient, is below tol * |LL|. Its steps
 * are recorded in the same history (the penalised log-likelihood never falls).
 */
import type { MStepOptions, SubModel } from '../model/subModel.js';
import type { EStepEngine } from './eStep.js';
import { ConvergenceMonitor, type MonitorSnapshot, type MonitorState } from './convergenceMonitor.js';
import { getFlat, nParamsOf, quasiNewtonApplies, runQuasiNewton, setFlat } from './quasiNewton.js';

/** The sub-models in the order of the flat parameter vector (three for one class; see mixtureModel.ts for classes). */
type Parts = readonly SubModel[];
type EStep = EStepEngine;

export interface EmOptions {
  maxIter: number;
  tol: number;
  mStep: MStepOptions;
  /** SQUAREM acceleration (default true). */
  accelerate?: boolean;
  /**
   * Finish with quasi-Newton on the penalised log-likelihood (default false): EM runs until its
   * relative change is below max(tol, switchTol), then BFGS with exact gradients (Fisher's
   * identity) until the projected remaining gain is below tol * |LL| (see quasiNewton.ts).
   */
  quasiNewton?: boolean;
  /** EM tolerance before the quasi-Newton phase (default SWITCH_TOL). */
  switchTol?: number;
  /** Called after every iteration with the new log-likelihood and relative change. */
  onIteration?: (iteration: number, logLik: number, change: number) => void;
  /**
   * Continue an earlier run (the parts hold its final parameters; pass its `resume`): the result's
   * history and iteration count include it, and maxIter caps the total.
   */
  previous?: EmResume;
}

/** What continuing a run needs: the monitor's state and the extrapolation step bound. */
export interface EmResume {
  monitor: MonitorSnapshot;
  stepMax: number;
}

export interface EmResult {
  logLik: number;
  /** Recorded log-likelihoods after the start (each one E-step at new parameters). */
  iterations: number;
  converged: boolean;
  state: MonitorState;
  status: string;
  /** Log-likelihood at the start values (index 0) and after every iteration. */
  history: number[];
  warnings: string[];
  /** Accepted points of the quasi-Newton phase (included in iterations and history). */
  quasiNewtonSteps: number;
  /** Extrapolations tried and kept (0 without acceleration). */
  extrapolations: { tried: number; kept: number };
  /** To continue this run later (EmOptions.previous). */
  resume: EmResume;
}

/** Growth (and shrink) factor of the largest allowed extrapolation step (as in the SQUAREM package). */
const STEP_FACTOR = 4;

/**
 * Relative tolerance at which EM hands over to the quasi-Newton phase when that is on: EM (with
 * SQUAREM) is quick to get near the maximum and slow to pin it down, quasi-Newton the reverse.
 */
export const SWITCH_TOL = 1e-5;

function mStepAll(parts: Parts, eStep: EStep, options: MStepOptions): void {
  for (const part of parts) part.mStep(eStep.stats, options);
}

/**
 * Run EM from the parts' current parameters, updating them in place. On return the parts hold the
 * final parameters and `eStep.stats` the statistics at those parameters (logLik = result.logLik).
 */
export function runEm(parts: Parts, eStep: EStep, options: EmOptions): EmResult {
  // (EM alone runs to the final tolerance if some sub-model's counts are in neither layout)
  const qn = options.quasiNewton === true && quasiNewtonApplies(parts, eStep);
  const emTol = qn ? Math.max(options.tol, options.switchTol ?? SWITCH_TOL) : options.tol;
  const monitor = new ConvergenceMonitor({ tol: emTol, maxIter: options.maxIter, userTol: options.tol });
  const notify = (ll: number, check = true, fallExplained = false): boolean => {
    const going = monitor.record(ll, check, true, fallExplained);
    options.onIteration?.(monitor.iterations, ll, monitor.lastChange);
    return going;
  };
  let ll = eStep.run(parts);
  let going = options.previous ? monitor.restore(options.previous.monitor) : monitor.record(ll);
  let stepMax = options.previous?.stepMax ?? 1;
  const extrapolations = { tried: 0, kept: 0 };

  if (options.accelerate === false) {
    while (going) {
      mStepAll(parts, eStep, options.mStep);
      ll = eStep.run(parts);
      going = notify(ll);
    }
  } else {
    const n = nParamsOf(parts);
    const t0 = new Float64Array(n);
    const t1 = new Float64Array(n);
    const t2 = new Float64Array(n);
    const tx = new Float64Array(n);
    // Invariant at the top of the loop: parts hold theta0 and eStep.stats the statistics there.
    while (going) {
      getFlat(parts, t0);
      mStepAll(parts, eStep, options.mStep);
      const ll1 = eStep.run(parts);
      ll = ll1;
      going = notify(ll1, false); // convergence is judged once per cycle
      if (!going) break;
      getFlat(parts, t1);
      mStepAll(parts, eStep, options.mStep);
      getFlat(parts, t2);
      let sr = 0;
      let sv = 0;
      for (let i = 0; i < n; i++) {
        const r = t1[i] - t0[i];
        const v = t2[i] - 2 * t1[i] + t0[i];
        sr += r * r;
        sv += v * v;
      }
      // step length |a| = |r|/|v|, kept within [1, stepMax]; |a| = 1 gives theta2 itself
      let a = Math.sqrt(sr / sv);
      if (!Number.isFinite(a)) a = 1;
      a = Math.max(1, Math.min(stepMax, a));
      const atMax = a === stepMax;
      if (a > 1) {
        for (let i = 0; i < n; i++) {
          const r = t1[i] - t0[i];
          const v = t2[i] - 2 * t1[i] + t0[i];
          tx[i] = t0[i] + 2 * a * r + a * a * v;
        }
        extrapolations.tried++;
        setFlat(parts, tx);
      }
      // (when a = 1 the parts already hold theta2)
      const llx = eStep.run(parts);
      if (a === 1 || llx >= ll1) {
        if (a > 1) extrapolations.kept++;
        if (atMax) stepMax *= STEP_FACTOR;
        ll = llx;
        going = notify(llx);
        continue;
      }
      if (atMax) stepMax = Math.max(1, stepMax / STEP_FACTOR);
      setFlat(parts, t2);
      ll = eStep.run(parts);
      going = notify(ll);
    }
  }
  let qnSteps = 0;
  if (qn && monitor.state === 'converged') {
    const emIterations = monitor.iterations;
    const tolAbs = options.tol * (Math.abs(ll) + options.tol);
    const r = runQuasiNewton(parts, eStep, ll, {
      tolAbs,
      maxSteps: Number.MAX_SAFE_INTEGER,
      mStep: options.mStep,
      // F = LL - penalty never falls here; a fall of LL alone is the ridge trading fit for size
      onStep: (logLik) => notify(logLik, false, true),
    });
    ll = r.logLik;
    qnSteps = r.steps;
    const its = `${monitor.iterations} iteration${monitor.iterations === 1 ? '' : 's'} (${emIterations} EM, ${r.steps} quasi-Newton${r.emSteps ? ` incl. ${r.emSteps} EM fallback` : ''})`;
    if (r.converged) {
      monitor.conclude('converged', `converged: projected further gain ${r.projectedGain.toExponential(1)} < ${tolAbs.toExponential(1)} (relative tolerance ${options.tol}), gradient norm ${r.gradNorm.toExponential(1)}, after ${its}`);
    } else if ((monitor.state as MonitorState) === 'max-iterations') {
      monitor.conclude('max-iterations', `not converged: reached the maximum of ${its} (projected further gain ${r.projectedGain.toExponential(1)}, tolerance ${tolAbs.toExponential(1)})`);
    } else {
      monitor.conclude('running', `not converged: the quasi-Newton phase stalled after ${its} (projected further gain ${r.projectedGain.toExponential(1)}, tolerance ${tolAbs.toExponential(1)})`);
    }
  }
  return {
    logLik: ll,
    quasiNewtonSteps: qnSteps,
    iterations: monitor.iterations,
    converged: monitor.converged,
    state: monitor.state,
    status: monitor.status,
    history: monitor.history.slice(),
    warnings: monitor.fallWarnings(),
    extrapolations,
    resume: { monitor: monitor.snapshot(), stepMax },
  };
}
