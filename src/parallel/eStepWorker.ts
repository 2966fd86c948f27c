/** Worker thread of EStepPool: waits for a new generation, drains shards, until told to exit. */
import { workerData } from 'node:worker_threads';
import { createFbWork } from '../kernels/forwardBackward.js';
import type { ShardInputs } from '../kernels/forwardBackwardShard.js';
import { CMD, GEN, drainShards } from './eStepPool.js';

const { inputs, ctrl, maxLen } = workerData as { inputs: ShardInputs; ctrl: Int32Array; maxLen: number };
const work = createFbWork(inputs.nStates, maxLen);
let seen = 0;
for (;;) {
  let g = Atomics.load(ctrl, GEN);
  while (g === seen) {
    Atomics.wait(ctrl, GEN, seen);
    g = Atomics.load(ctrl, GEN);
  }
  seen = g;
  if (Atomics.load(ctrl, CMD) === 3) break;
  drainShards(inputs, work, ctrl);
}
