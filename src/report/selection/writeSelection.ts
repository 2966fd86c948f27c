import { join, relative, sep } from 'node:path';
import { comparisonFiles } from '../comparisonTable.js';
import { fitRunFiles } from '../runFit.js';
import { writeOutputFolder, type OutputFile } from '../writeAtomic.js';
import type { ChannelsResult } from './runChannels.js';
import type { SelectResult } from './runSelect.js';

/** The folder of each model of a selection: K<k>, K<k>-C<c> when numbers of classes are compared, then -<transition type> when both types are. */
export function selectionFolder(r: SelectResult, i: number): string {
  const types = new Set(r.rows.map((x) => x.transitionType));
  const c = r.rows[i].classes;
  return `K${r.rows[i].states}${c !== undefined ? `-C${c}` : ''}${types.size > 1 ? `-${r.rows[i].transitionType}` : ''}`;
}

/** Files of a channel comparison: each model's fit files in DIR/<model>/ and the table as DIR/channels.{txt,csv,json,md,tex}. */
export function channelsFiles(c: ChannelsResult, dir: string): OutputFile[] {
  return [...c.fits.flatMap((f) => fitRunFiles(f.run, join(dir, f.model))), ...comparisonFiles(c.table, dir, 'channels')];
}

/**
 * Files of a selection: each fit in DIR/K<k>/ (as `squeaky fit` writes them), the table as
 * DIR/selection.{txt,csv,json,md,tex}, the bootstrap replicate statistics in DIR/bootstrap-lr.json
 * and the channel comparison in DIR/channels/.
 */
export function selectionFiles(r: SelectResult, dir: string): OutputFile[] {
  const files = r.runs.flatMap((run, i) => fitRunFiles(run, join(dir, selectionFolder(r, i))));
  files.push(...comparisonFiles(r.table, dir, 'selection'));
  if (r.bootstrap) files.push({ path: join(dir, 'bootstrap-lr.json'), content: JSON.stringify(r.bootstrap, null, 2) + '\n' });
  if (r.channels) files.push(...channelsFiles(r.channels, join(dir, 'channels')));
  return files;
}

/** Write files whose paths lie in DIR as the whole of the output folder DIR (one unit, see writeOutputFolder). */
async function writeFolderOf(files: OutputFile[], dir: string): Promise<string[]> {
  await writeOutputFolder(dir, files.map((f) => ({ name: relative(dir, f.path).split(sep).join('/'), content: f.content })));
  return files.map((f) => f.path);
}

/** Write a selection's folder as one unit; returns the paths. */
export async function writeSelection(r: SelectResult, dir: string): Promise<string[]> {
  return writeFolderOf(selectionFiles(r, dir), dir);
}

/** Write a channel comparison's folder as one unit; returns the paths. */
export async function writeChannels(c: ChannelsResult, dir: string): Promise<string[]> {
  return writeFolderOf(channelsFiles(c, dir), dir);
}
