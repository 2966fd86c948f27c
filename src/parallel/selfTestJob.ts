import { Rng } from '../estimation/rng.js';
import type { Panel } from '../data/panel.js';
import { ModelError } from '../errors.js';

/**
 * A small job for checking runParallel (used by its tests and benchmarks): sums the panel's voice
 * codes of one customer with draws from the payload's own random stream.
 */
export function selfTestJob(payload: { customer: number; seed: number; fail?: boolean }, panel: Panel): { customer: number; value: number; shared: boolean } {
  if (payload.fail) throw new ModelError(`job for customer ${payload.customer} refused`);
  const rng = Rng.stream(payload.seed, payload.customer);
  let value = 0;
  for (let r = panel.offsets[payload.customer]; r < panel.offsets[payload.customer + 1]; r++) value += panel.voice[r] * rng.nextUint32();
  return { customer: payload.customer, value, shared: panel.voice.buffer instanceof SharedArrayBuffer };
}
