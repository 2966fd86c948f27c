import type { Panel } from '../../src/data/panel.js';

/** A panel as plain arrays, so that `toEqual` compares every column element by element. */
export function plainPanel(p: Panel): unknown {
  return {
    customers: p.customers,
    offsets: Array.from(p.offsets),
    period: Array.from(p.period),
    voice: Array.from(p.voice),
    voiceLabels: p.voiceLabels,
    columns: Object.fromEntries(Object.entries(p.columns).map(([k, v]) => [k, Array.from(v)])),
  };
}
