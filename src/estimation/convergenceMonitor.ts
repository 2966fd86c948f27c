/**
 * Convergence monitor of EM: keeps the log-likelihood history, decides when to stop (relative
 * tolerance or iteration cap), notes any fall of the log-likelihood beyond rounding, and words a
 * status message.
 *
 * Stopping rule, at checkpoints (every recorded value for plain EM; the end of each extrapolation
 * cycle for accelerated EM): the relative change since the previous checkpoint is below tol, AND
 * the gain still to come projected by Aitken's rule from the last three checkpoints,
 * d2 * a / (1 - a) with d = successive gains and a = d2 / d1, is below tol relative too. EM slows
 * down near flat directions of the likelihood, where a small change alone would stop it well short
 * of the maximum; the projection keeps it going there.
 */
export interface ConvergenceOptions {
  /** Stop when |LL_t - LL_{t-1}| / (|LL_{t-1}| + tol) < tol (and the projected gain is as small). */
  tol: number;
  /** Maximum number of EM iterations (0 = evaluate the start only). */
  maxIter: number;
  /**
   * A fall larger than this times max(1, |LL|) counts as a real fall, not rounding (default 1e-10).
   * EM with exact M-steps cannot decrease the log-likelihood, so a real fall signals a defect or a
   * ridge penalty large enough to matter.
   */
  fallSlack?: number;
  /** The tolerance the user asked for (--tol), named in status messages when it differs from `tol`. */
  userTol?: number;
}

export type MonitorState = 'running' | 'converged' | 'max-iterations' | 'failed';

/** What a later run needs to continue this one (see ConvergenceMonitor.restore). */
export interface MonitorSnapshot {
  history: readonly number[];
  /** Indices into history of the checkpoints. */
  checkpoints: readonly number[];
}

export class ConvergenceMonitor {
  /** Log-likelihood at the start values (index 0) and after every iteration. */
  readonly history: number[] = [];
  /** Indices into history of the values convergence was checked at. */
  readonly checkpoints: number[] = [];
  state: MonitorState = 'running';
  /** Relative change between the last two checkpoints (NaN before two). */
  lastChange = NaN;
  /** Relative gain still to come projected at the last checkpoint (NaN before three). */
  lastProjected = NaN;
  private readonly fallSlack: number;
  private falls = 0;
  private largestFall = 0;

  constructor(readonly options: ConvergenceOptions) {
    if (!(options.tol > 0)) throw new RangeError(`tol must be > 0, got ${options.tol}`);
    if (!(Number.isInteger(options.maxIter) && options.maxIter >= 0)) throw new RangeError(`maxIter must be an integer >= 0, got ${options.maxIter}`);
    this.fallSlack = options.fallSlack ?? 1e-10;
  }

  /** EM iterations done so far. */
  get iterations(): number {
    return Math.max(0, this.history.length - 1);
  }

  get converged(): boolean {
    return this.state === 'converged';
  }

  snapshot(): MonitorSnapshot {
    return { history: this.history.slice(), checkpoints: this.checkpoints.slice() };
  }

  /**
   * Continue a run recorded earlier (the parameters are those of its last entry): takes over its
   * history and checkpoints; returns true while EM should continue (the iteration cap counts the
   * earlier iterations).
   */
  restore(previous: MonitorSnapshot): boolean {
    if (this.history.length > 0) throw new RangeError('restore: the monitor has already recorded values');
    const { history, checkpoints } = previous;
    if (history.length === 0) throw new RangeError('restore: empty history');
    const isCheck = new Set(checkpoints);
    for (let i = 0; i < history.length; i++) this.record(history[i], isCheck.has(i), false);
    if (this.state === 'failed') return false;
    if (this.iterations >= this.options.maxIter) {
      this.state = 'max-iterations';
      return false;
    }
    this.state = 'running';
    return true;
  }

  /**
   * Record a log-likelihood; returns true while EM should continue. `check`: whether this value is
   * a checkpoint for convergence (the first value always is). `stop` false: only bookkeeping
   * (used when replaying a history). `fallExplained`: a fall of this value is not counted (the
   * caller guarantees that the penalised objective rose, as the quasi-Newton phase does).
   */
  record(logLik: number, check = true, stop = true, fallExplained = false): boolean {
    this.history.push(logLik);
    const n = this.history.length;
    if (n === 1) check = true;
    if (check) this.checkpoints.push(n - 1);
    if (!Number.isFinite(logLik)) {
      this.state = 'failed';
      return false;
    }
    if (n >= 2 && !fallExplained) {
      const prev = this.history[n - 2];
      const fall = prev - logLik;
      if (fall > this.fallSlack * Math.max(1, Math.abs(prev))) {
        this.falls++;
        if (fall > this.largestFall) this.largestFall = fall;
      }
    }
    const c = this.checkpoints;
    if (check && c.length >= 2) {
      const tol = this.options.tol;
      const l1 = this.history[c[c.length - 2]];
      const change = Math.abs(logLik - l1) / (Math.abs(l1) + tol);
      this.lastChange = change;
      let projected = Infinity; // no projection before three checkpoints: not converged yet
      if (c.length >= 3) {
        const d1 = l1 - this.history[c[c.length - 3]];
        const d2 = logLik - l1;
        if (d2 <= 0) projected = 0;
        else if (d1 > d2) projected = (d2 * (d2 / d1)) / (1 - d2 / d1) / (Math.abs(logLik) + tol);
        else projected = Infinity; // gains not shrinking: no sign of convergence yet
        this.lastProjected = projected;
      }
      if (change < tol && projected < tol) {
        this.state = 'converged';
        if (stop) return false;
      }
    }
    if (this.iterations >= this.options.maxIter) {
      this.state = 'max-iterations';
      return false;
    }
    return true;
  }

  /**
   * End the run with a state and status decided outside the monitor (the quasi-Newton phase, which
   * judges convergence by the gradient). `status` replaces the generated message.
   */
  conclude(state: MonitorState, status: string): void {
    this.state = state;
    this.customStatus = status;
  }

  private customStatus: string | undefined;

  private toleranceWords(): string {
    const u = this.options.userTol;
    return u === undefined || u === this.options.tol ? `tolerance ${this.options.tol}` : `--tol ${u}; EM hands over to the quasi-Newton phase at relative change ${this.options.tol}`;
  }

  /** Human-readable status, e.g. 'converged: relative change 3.1e-9 < 1e-8 after 57 iterations'. */
  get status(): string {
    if (this.customStatus !== undefined) return this.customStatus;
    const it = this.iterations;
    const its = `${it} iteration${it === 1 ? '' : 's'}`;
    switch (this.state) {
      case 'converged':
        return `converged: relative change ${this.lastChange.toExponential(1)} < ${this.options.tol}${Number.isNaN(this.lastProjected) ? '' : ` (projected further gain ${this.lastProjected.toExponential(1)})`} after ${its}`;
      case 'max-iterations':
        return this.options.maxIter === 0
          ? 'not iterated: maximum iterations is 0 (log-likelihood of the start values)'
          : `not converged: reached the maximum of ${its} (${Number.isFinite(this.lastChange) ? `last relative change ${this.lastChange.toExponential(1)}, ` : ''}${this.toleranceWords()}; raise --max-iter)`;
      case 'failed':
        return `failed: log-likelihood is ${this.history[this.history.length - 1]} after ${its}`;
      default:
        return `running: ${its}`;
    }
  }

  /** Warnings about this run (log-likelihood falls), for the fit's footer. */
  fallWarnings(): string[] {
    if (this.falls === 0) return [];
    return [
      `the log-likelihood fell on ${this.falls} EM iteration${this.falls === 1 ? '' : 's'} (largest fall ${this.largestFall.toExponential(2)}); ` +
        'with exact M-steps it cannot, so check the ridge penalty or report this',
    ];
  }
}
