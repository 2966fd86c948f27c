import type { Panel } from '../../src/data/panel.js';

/** The panel of the worker-thread tests' selfTestJob: nSeq customers of 5 periods, voice codes cycling. */
export function selfTestPanel(nSeq: number): Panel {
  const offsets = Int32Array.from({ length: nSeq + 1 }, (_, i) => i * 5);
  const voice = Int32Array.from({ length: nSeq * 5 }, (_, r) => (r * 7) % 4);
  return { customers: Array.from({ length: nSeq }, (_, i) => `c${i}`), offsets, period: Int32Array.from(voice, (_, r) => r % 5), voice, voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'], columns: { intervention: new Float64Array(nSeq * 5) } };
}
