import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { CsvRecords, CsvSyntaxError, sniffFormat, type RecordSink } from './csvRecords.js';
import type { IssueList } from './issues.js';

/**
 * Stream a CSV file's records to `sink` (with physical line numbers). A CSV syntax error becomes
 * an issue and ends the reading; an unreadable file is an InputError. `onProgress` gets the bytes
 * read so far and the file's size after every chunk (1 MiB).
 */
export async function readCsvFile(file: string, issues: IssueList, sink: RecordSink, onProgress?: (bytesRead: number, totalBytes: number) => void): Promise<void> {
  const records = new CsvRecords(sink);
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let first = true;
  let total = NaN;
  try {
    if (onProgress) total = (await stat(file)).size;
    for await (const chunk of input) {
      if (first) {
        first = false;
        const problem = sniffFormat(chunk as string);
        if (problem !== undefined) throw new InputError(`${file}, line ${problem.line}: ${problem.problem}`);
      }
      records.push(chunk as string);
      onProgress?.(input.bytesRead, total);
    }
    records.end();
  } catch (e) {
    input.destroy();
    if (e instanceof InputError) throw e;
    if (e instanceof CsvSyntaxError) {
      issues.add({ file, line: e.line, expected: `valid CSV: ${e.message}` });
      return;
    }
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === 'string' && err.syscall !== undefined) {
      throw new InputError(`${file}: cannot read the file (${err.code})`, [{ file, expected: `a readable file: ${err.message}` }]);
    }
    throw e;
  }
}

/** Same for text already in memory. */
export function readCsvText(text: string, file: string, issues: IssueList, sink: RecordSink): void {
  const records = new CsvRecords(sink);
  const problem = sniffFormat(text.slice(0, 1 << 16));
  if (problem !== undefined) throw new InputError(`${file}, line ${problem.line}: ${problem.problem}`);
  try {
    records.push(text);
    records.end();
  } catch (e) {
    if (e instanceof CsvSyntaxError) issues.add({ file, line: e.line, expected: `valid CSV: ${e.message}` });
    else throw e;
  }
}
