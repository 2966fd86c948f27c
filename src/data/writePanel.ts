import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Panel } from './panel.js';

/** A CSV field, quoted when it holds a separator, quote or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Write `text` chunks produced by `fill` to `file` whole or not at all: into a temporary file in
 * the same folder, renamed over `file` only when everything was written.
 */
export async function writeStreamAtomic(file: string, produce: (write: (chunk: string) => Promise<void>) => Promise<void>): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const out = createWriteStream(tmp, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  try {
    await Promise.race([
      failed,
      produce(async (chunk) => {
        if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
      }),
    ]);
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    await rename(tmp, file);
  } catch (e) {
    out.destroy();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/**
 * Write a panel as the long CSV of DESIGN.md: customer, period, voice, intervention, then every
 * other numeric column in the panel's order. A missing voice is an empty cell. Numbers are written
 * in their shortest exact form, so reading the file back gives the same panel.
 */
export async function writePanel(panel: Panel, file: string): Promise<void> {
  const covs = Object.keys(panel.columns).filter((c) => c !== 'intervention');
  const iv = panel.columns.intervention;
  if (iv === undefined) throw new RangeError('writePanel: the panel has no intervention column');
  const cols = covs.map((c) => panel.columns[c]);
  const labels = panel.voiceLabels;
  await writeStreamAtomic(file, async (write) => {
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
  });
}
