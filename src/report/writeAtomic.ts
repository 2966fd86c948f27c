import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';

/** One output file: where it goes and its whole content. */
export interface OutputFile {
  path: string;
  content: string;
}

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Write several files so that each is either written whole or not at all: every content goes to a
 * temporary file beside its target first; only when all temporaries are written are they renamed
 * into place. On any failure the temporaries are removed and the targets are untouched.
 */
export async function writeFilesAtomic(files: OutputFile[]): Promise<void> {
  const temps: string[] = [];
  let current = '';
  try {
    for (const f of files) {
      current = f.path;
      await mkdir(dirname(f.path), { recursive: true });
      const tmp = tempName(f.path);
      temps.push(tmp);
      await writeFile(tmp, f.content, 'utf8');
    }
    for (let i = 0; i < files.length; i++) {
      current = files[i].path;
      await rename(temps[i], files[i].path);
    }
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    // The file system refused (no such folder, not a folder, permission, disk full): the user's to fix.
    throw new InputError(`cannot write ${current}`, [{ file: current, expected: `a writable location (${code}: ${(e as Error).message})` }]);
  }
}

/** Write one file whole or not at all (temp + rename). */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await writeFilesAtomic([{ path, content }]);
}
