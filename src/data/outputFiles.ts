/**
 * Output that is whole or not at all (DESIGN.md "Exit codes").
 *
 * - A set of files (writeFilesAtomic): every file is first written in full to a hidden temporary
 *   beside its target (`.NAME.PID.RAND.tmp`); only when all are written are they renamed into place.
 * - A folder (writeOutputFolder): the whole set is written into a hidden temporary folder beside the
 *   target (`.DIR.PID.RAND.tmp`), then swapped in: the previous folder is renamed aside
 *   (`.DIR.PID.RAND.old`), the new one renamed into place, the old one removed. The folder therefore
 *   holds one run's complete set or the previous complete set; files of the previous run that this
 *   run does not produce are gone with the old folder.
 * - Once a write has begun, SIGINT/SIGTERM/SIGHUP remove the temporaries (putting a folder moved
 *   aside back when the swap was cut between its two renames) and end the process by that signal.
 * - A kill -9 cannot be caught: the temporaries it leaves carry the dead process's id, and the next
 *   write to the same target removes them (restoring a folder moved aside if the target is missing).
 * - A file-system refusal (missing folder, not a folder, permission, disk full) is a UsageError
 *   naming the option and the path; nothing is left behind.
 */
import { once } from 'node:events';
import { createWriteStream, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';

/** Writes the content of a streamed file chunk by chunk (waits for the disk when it is behind). */
export type ChunkWriter = (chunk: string) => Promise<void>;

/** One output file: where it goes and its whole content (a string, or a producer of chunks). */
export interface OutputFile {
  path: string;
  content: string | ((write: ChunkWriter) => Promise<void>);
  /** The option that named this path (for messages), e.g. '--out'. */
  option?: string;
}

/** Temporaries of this process, removed on SIGINT/SIGTERM/SIGHUP. */
const temporaries = new Set<string>();
/** Folder swaps between their two renames: target -> where the previous folder was moved. */
const swapping = new Map<string, string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let handlersInstalled = false;

/** Set by a signal: no new temporary, chunk or rename starts; the process ends shortly. */
let exiting = false;

/** Never settles once a signal asked the process to end: the write in progress stops at its next step. */
async function step(): Promise<void> {
  if (exiting) await new Promise<never>(() => undefined);
}

function cleanupNow(): void {
  for (const [target, old] of swapping) {
    try {
      statSync(target);
    } catch {
      try {
        renameSync(old, target);
      } catch {
        /* nothing more can be done while exiting */
      }
    }
  }
  for (const t of temporaries) {
    try {
      rmSync(t, { recursive: true, force: true });
    } catch {
      /* a path that cannot exist (its folder is a file) */
    }
  }
}

/**
 * Remove the temporaries now, and once more after file-system calls already handed to the thread
 * pool (a mkdir, a rename) have had time to land; then end the process by the same signal, with
 * its default action (the handlers stay installed once added: a signal caught by the runtime while
 * its listener was being removed would otherwise be lost).
 */
function onSignal(sig: (typeof SIGNALS)[number]): void {
  if (exiting) return;
  exiting = true;
  const busy = temporaries.size > 0 || swapping.size > 0;
  cleanupNow();
  const end = (): void => {
    cleanupNow();
    for (const s of SIGNALS) process.off(s, onSignal);
    process.kill(process.pid, sig);
  };
  if (busy) setTimeout(end, 50);
  else end();
}

function track(path: string): void {
  temporaries.add(path);
  if (!handlersInstalled) {
    handlersInstalled = true;
    for (const s of SIGNALS) process.on(s, onSignal);
  }
}

function untrack(path: string): void {
  if (exiting) return; // the exit handler still needs the list
  temporaries.delete(path);
}

function hiddenName(target: string, kind: 'tmp' | 'old'): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temporaries that killed processes left beside `target` (and put back a previous
 * folder that a killed swap had moved aside when the target is missing).
 */
export function sweepStale(target: string): void {
  const dir = dirname(target);
  const base = basename(target);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  const stale: { path: string; kind: string }[] = [];
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-f]+\.(tmp|old)$/.exec(e.slice(prefix.length));
    if (m === null || alive(Number(m[1]))) continue;
    stale.push({ path: join(dir, e), kind: m[2] });
  }
  let exists = true;
  try {
    statSync(target);
  } catch {
    exists = false;
  }
  for (const s of stale) {
    if (!exists && s.kind === 'old') {
      try {
        renameSync(s.path, target);
        exists = true;
        continue;
      } catch {
        /* fall through: remove it */
      }
    }
    rmSync(s.path, { recursive: true, force: true });
  }
}

/** The file system's refusal as a message a user can act on. */
function refusal(e: unknown, path: string, option: string | undefined): UsageError | undefined {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code !== 'string') return undefined;
  const why: Record<string, string> = {
    ENOENT: `the folder '${dirname(path)}' does not exist`,
    ENOTDIR: `a part of the path '${dirname(path)}' is not a folder`,
    EISDIR: `'${path}' is a folder`,
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exceeded',
    ENAMETOOLONG: 'the name is too long',
    EEXIST: `'${path}' exists and is not a folder`,
  };
  const reason = why[err.code] ?? `${err.code}: ${err.message}`;
  return new UsageError(`${option ? `${option}: ` : ''}cannot write '${path}' (${reason}); nothing was written`);
}

function checkPath(path: string, option: string | undefined): void {
  if (path.trim() === '') throw new UsageError(`${option ? `${option}: ` : ''}expected a file name, got ''`);
}

async function writeOne(tmp: string, content: OutputFile['content']): Promise<void> {
  if (typeof content === 'string') {
    await writeFile(tmp, content, { encoding: 'utf8', flag: 'wx' });
    return;
  }
  const out = createWriteStream(tmp, { encoding: 'utf8', flags: 'wx' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  try {
    await Promise.race([
      failed,
      content(async (chunk) => {
        await step();
        if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
      }),
    ]);
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } finally {
    // The stream opens its file asynchronously: wait until it is closed, so that a temporary
    // removed after a failure cannot be created afterwards by an open still under way.
    out.destroy();
    if (!out.closed) await new Promise<void>((res) => out.once('close', () => res()));
  }
}

/**
 * Write several files so that each is written whole or not at all, and none is renamed into place
 * unless every one was written. The folders must exist, unless `makeFolders` (then the folders
 * this call creates are removed again on failure). On any failure the temporaries are
 * removed and the targets are untouched; a file-system refusal is a UsageError naming the path.
 */
export async function writeFilesAtomic(files: OutputFile[], options: { makeFolders?: boolean } = {}): Promise<void> {
  for (const f of files) checkPath(f.path, f.option);
  const temps: string[] = [];
  /** Folders this call created (with makeFolders): removed again on failure. */
  const made: string[] = [];
  let current: OutputFile | undefined;
  try {
    for (const f of files) {
      current = f;
      if (options.makeFolders) {
        await step();
        const first = await mkdir(dirname(f.path), { recursive: true });
        if (first !== undefined) {
          track(first);
          made.push(first);
        }
      }
      sweepStale(f.path);
      const st = await stat(f.path).catch(() => undefined);
      if (st?.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
      const tmp = hiddenName(f.path, 'tmp');
      await step();
      track(tmp);
      temps.push(tmp);
      await writeOne(tmp, f.content);
    }
    for (let i = 0; i < files.length; i++) {
      current = files[i];
      await step();
      await rename(temps[i], files[i].path);
      untrack(temps[i]);
    }
    for (const m of made) untrack(m);
  } catch (e) {
    await step(); // after a signal the exit handler cleans up; no message about the cut-off write
    await Promise.allSettled(temps.map((t) => rm(t, { force: true })));
    for (const t of temps) untrack(t);
    await Promise.allSettled(made.map((m) => rm(m, { recursive: true, force: true })));
    for (const m of made) untrack(m);
    const r = current ? refusal(e, current.path, current.option) : undefined;
    throw r ?? e;
  }
}

/** Write one file whole or not at all (temp + rename). */
export async function writeFileAtomic(path: string, content: OutputFile['content'], option?: string): Promise<void> {
  await writeFilesAtomic([{ path, content, option }]);
}

/** One file of an output folder: its path inside the folder ('fit.json', 'K2/fit.json') and its content. */
export interface FolderFile {
  name: string;
  content: OutputFile['content'];
}

/**
 * Whether an existing folder may be replaced by a squeaky output folder: it is empty, or it (or one
 * of its sub-folders) holds a fit.json written by squeaky. Anything else (a folder of the user's
 * own files) is refused.
 */
async function replaceable(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.length === 0) return true;
  const isFit = async (d: string): Promise<boolean> => /^\s*\{\s*"format"\s*:\s*"squeaky-fit"/.test(await readFile(join(d, 'fit.json'), 'utf8').catch(() => ''));
  if (await isFit(dir)) return true;
  // A folder of folders (a model selection): one of its sub-folders holds a squeaky fit.
  for (const e of entries) if (e.isDirectory() && (await isFit(join(dir, e.name)))) return true;
  return false;
}

/**
 * Write `files` as the whole content of the folder `dir`: into a fresh hidden folder beside it,
 * then swapped in (see the file comment). The parent folder must exist; an existing `dir` must be
 * empty or a squeaky output folder. Returns the paths written.
 */
export async function writeOutputFolder(dir: string, files: FolderFile[], option = '--out'): Promise<string[]> {
  checkPath(dir, option);
  const target = resolve(dir);
  for (const f of files) {
    const parts = f.name.split('/');
    if (parts.some((x) => x === '' || x.startsWith('.'))) throw new RangeError(`writeOutputFolder: bad file name '${f.name}'`);
  }
  sweepStale(target);
  let st: Awaited<ReturnType<typeof stat>> | undefined;
  try {
    st = await stat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw refusal(e, dir, option) ?? e;
  }
  if (st !== undefined) {
    if (!st.isDirectory()) throw new UsageError(`${option}: '${dir}' exists and is not a folder; nothing was written`);
    if (!(await replaceable(target))) {
      throw new UsageError(`${option}: the folder '${dir}' holds files that squeaky did not write (no squeaky fit.json); choose a new or empty folder; nothing was written`);
    }
  }
  const tmp = hiddenName(target, 'tmp');
  let current = dir;
  try {
    await step();
    track(tmp);
    await mkdir(tmp);
    for (const f of files) {
      current = join(dir, f.name);
      await step();
      if (f.name.includes('/')) await mkdir(dirname(join(tmp, f.name)), { recursive: true });
      await writeOne(join(tmp, f.name), f.content);
    }
    current = dir;
    await step();
    if (st === undefined) {
      await rename(tmp, target);
    } else {
      const old = hiddenName(target, 'old');
      track(old);
      swapping.set(target, old);
      await rename(target, old);
      await step();
      await rename(tmp, target);
      swapping.delete(target);
      await rm(old, { recursive: true, force: true });
      untrack(old);
    }
    untrack(tmp);
  } catch (e) {
    await step();
    const old = swapping.get(target);
    if (old !== undefined && !exiting) {
      await stat(target).catch(() => rename(old, target).catch(() => undefined));
      swapping.delete(target);
      untrack(old);
    }
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    untrack(tmp);
    throw refusal(e, current, option) ?? e;
  }
  return files.map((f) => join(dir, f.name));
}
