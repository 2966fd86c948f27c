import type { Panel } from '../data/panel.js';
import { columnRecord } from '../data/panel.js';

/** A copy of a typed array backed by a SharedArrayBuffer (workers then read it without copying). */
function shared<T extends Int32Array | Float64Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new Ctor(new SharedArrayBuffer(a.length * Ctor.BYTES_PER_ELEMENT));
  out.set(a);
  return out;
}

/**
 * The panel with every typed array moved to shared memory, for `runParallel`'s `shared` option:
 * each worker then sees the same rows instead of a copy. Same values, same layout.
 */
export function sharePanel(panel: Panel): Panel {
  const columns = columnRecord();
  for (const [name, col] of Object.entries(panel.columns)) columns[name] = shared(col);
  return { ...panel, offsets: shared(panel.offsets), period: shared(panel.period), voice: shared(panel.voice), columns };
}
