import type { Panel } from '../../src/data/panel.js';

/** A small in-memory panel: one entry per customer, each with its rows' numeric columns. */
export function makePanel(
  customers: { id: string; firstPeriod?: number; columns: Record<string, number[]>; voice?: number[] }[],
  voiceLabels: string[] = ['complaint', 'compliment', 'neutral', 'silent'],
): Panel {
  const offsets = new Int32Array(customers.length + 1);
  for (let i = 0; i < customers.length; i++) {
    const len = Object.values(customers[i].columns)[0]?.length ?? customers[i].voice?.length ?? 0;
    offsets[i + 1] = offsets[i] + len;
  }
  const n = offsets[customers.length];
  const names = Object.keys(customers[0]?.columns ?? {});
  const columns: Record<string, Float64Array> = {};
  for (const name of names) columns[name] = new Float64Array(n);
  const period = new Int32Array(n);
  const voice = new Int32Array(n);
  customers.forEach((c, i) => {
    const a = offsets[i];
    for (let t = 0; t < offsets[i + 1] - a; t++) {
      period[a + t] = (c.firstPeriod ?? 1) + t;
      voice[a + t] = c.voice?.[t] ?? -1;
      for (const name of names) columns[name][a + t] = c.columns[name][t];
    }
  });
  return { customers: customers.map((c) => c.id), offsets, period, voice, voiceLabels, columns };
}
