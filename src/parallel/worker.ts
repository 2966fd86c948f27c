/** The worker side of runParallel: load the job function once, then answer {index, payload} messages. */
import { parentPort, workerData } from 'node:worker_threads';

const { module, name, shared } = workerData as { module: string; name: string; shared: unknown };
const mod = (await import(module)) as Record<string, unknown>;
const fn = mod[name] as (payload: unknown, shared: unknown) => unknown;

parentPort!.on('message', async (m: { index: number; payload: unknown }) => {
  try {
    if (typeof fn !== 'function') throw new Error(`${module} has no exported function ${name}`);
    const result = await fn(m.payload, shared);
    parentPort!.postMessage({ index: m.index, ok: true, result });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort!.postMessage({ index: m.index, ok: false, error: { name: err.name, message: err.message, stack: err.stack } });
  }
});
