import { PanelBuilder, type ReadPanelOptions, type ReadPanelResult } from './panelBuilder.js';
import { readCsvFile, readCsvText } from './readCsvFile.js';

export type { PanelColumnsOption, ReadPanelOptions, ReadPanelResult } from './panelBuilder.js';

/** Read a panel CSV from a string (same rules as readPanel). Throws InputError. */
export function parsePanel(text: string, file: string, options: ReadPanelOptions = {}): ReadPanelResult {
  const b = new PanelBuilder(file, options);
  readCsvText(text, file, b.issueList, (f, l) => b.record(f, l));
  return b.finish();
}

/** Read a panel CSV file, streaming. Throws InputError listing every problem found. */
export async function readPanel(file: string, options: ReadPanelOptions = {}): Promise<ReadPanelResult> {
  const b = new PanelBuilder(file, options);
  await readCsvFile(file, b.issueList, (f, l) => b.record(f, l), options.onProgress);
  return b.finish();
}
