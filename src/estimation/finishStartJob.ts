/**
 * The worker side of a fit's starts on threads (startsOnThreads.ts), as a runParallel job: the
 * worker builds the model and a single-thread E-step from the shared panel (engineAt) while the
 * fit's thread screens the starts, waits for the screened starts on the board (startBoard.ts), then
 * claims them one by one and runs each on to convergence from its screened parameters and EM state
 * (the monitor's history and checkpoints, the extrapolation bound), posting every iteration in the
 * start's progress slot. Nothing is random and nothing depends on the thread, so a start ends with
 * the same bits here as in the fit's own thread.
 */
import type { Panel } from '../data/panel.js';
import { runEm } from './em.js';
import { engineAt } from './fit.js';
import type { EmSettings, FinishedRun } from './fitStarts.js';
import { getFlat, setFlat } from './quasiNewton.js';
import type { ModelSpec } from './spec.js';
import { claimJob, markDone, readJob, waitForJobs, writeProgress, type StartBoard } from './startBoard.js';

/** Sent once to every worker. */
export interface StartsShared {
  panel: Panel;
  spec: ModelSpec;
  settings: EmSettings;
  board: StartBoard;
}

/** The runs this worker finished, by job number on the board. */
export type WorkerRuns = { job: number; run: FinishedRun }[];

export function finishStartsJob(_worker: number, shared: StartsShared): WorkerRuns {
  const { board, settings } = shared;
  const { parts, eStep } = engineAt(shared.panel, shared.spec, new Float64Array(board.nParams));
  const out: WorkerRuns = [];
  try {
    if (waitForJobs(board) === 0) return out;
    for (let k = claimJob(board); k >= 0; k = claimJob(board)) {
      const job = readJob(board, k);
      setFlat(parts, job.values);
      const em = runEm(parts, eStep, { ...settings, previous: job.resume, onIteration: (iteration, logLik, change) => writeProgress(board, k, iteration, logLik, change) });
      const values = new Float64Array(board.nParams);
      getFlat(parts, values);
      markDone(board, k);
      out.push({ job: k, run: { values, em } });
    }
    return out;
  } finally {
    eStep.close?.();
  }
}
