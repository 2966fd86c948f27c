import type { Panel } from './panel.js';
import { writeFileAtomic, type ChunkWriter } from './outputFiles.js';

/** A CSV field, quoted when it holds a separator, quote or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Write a panel as the long CSV of DESIGN.md: customer, period, voice, intervention, then every
 * other numeric column in the panel's order. A missing voice is an empty cell. Numbers are written
 * in their shortest exact form, so reading the file back gives the same panel.
 */
export async function writePanel(panel: Panel, file: string, option?: string): Promise<void> {
  await writeFileAtomic(file, panelCsv(panel), option);
}

/** The panel CSV of writePanel as a chunk producer (for writeFilesAtomic). */
export function panelCsv(panel: Panel): (write: ChunkWriter) => Promise<void> {
  const covs = Object.keys(panel.columns).filter((c) => c !== 'intervention');
  const iv = panel.columns.intervention;
  if (iv === undefined) throw new RangeError('writePanel: the panel has no intervention column');
  const cols = covs.map((c) => panel.columns[c]);
  const labels = panel.voiceLabels;
  return async (write) => {
    await write(['customer', 'period', 'voice', 'intervention', ...covs].map(csvField).join(',') + '\n');
    let buf = '';
    for (let i = 0; i + 1 < panel.offsets.length; i++) {
      const id = csvField(panel.customers[i]) + ',';
      for (let r = panel.offsets[i]; r < panel.offsets[i + 1]; r++) {
        const v = panel.voice[r];
        buf += id + panel.period[r] + ',' + (v < 0 ? '' : labels[v]) + ',' + iv[r];
        for (let j = 0; j < cols.length; j++) buf += ',' + cols[j][r];
        buf += '\n';
        if (buf.length > 1 << 20) {
          await write(buf);
          buf = '';
        }
      }
    }
    if (buf.length > 0) await write(buf);
  };
}
