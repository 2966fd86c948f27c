/** Worker thread of EStepPool: waits for a new generation, drains shards or M-step chunks, until told to exit. */
import { workerData } from 'node:worker_threads';
import { createShardWork, type AnyShardInputs as ShardInputs } from '../kernels/mixtureShard.js';
import type { LogitPassData } from '../model/logitPassChunks.js';
import { CMD, GEN, drainShards } from './eStepPool.js';

const { inputs, ctrl, maxLen, passes } = workerData as { inputs: ShardInputs; ctrl: Int32Array; maxLen: number; passes: LogitPassData[] };
const work = createShardWork(inputs, maxLen);
const nb = new Float64Array(64);
let seen = 0;
for (;;) {
  let g = Atomics.load(ctrl, GEN);
  while (g === seen) {
    Atomics.wait(ctrl, GEN, seen);
    g = Atomics.load(ctrl, GEN);
  }
  seen = g;
  if (Atomics.load(ctrl, CMD) === 3) break;
  drainShards(inputs, work, passes, nb, ctrl, g);
}
