import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'bin', 'squeaky.js');

/** Run the CLI in-process with buffer IO (args as typed after `squeaky`). */
export async function runCli(args: string[], options: { errIsTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), errIsTTY: options.errIsTTY ?? false };
  const code = await main(['node', 'squeaky', ...args], io);
  return { code, stdout, stderr };
}

/** Newest modification time of the sources tsc compiles (src/ and tsconfig.json). */
function newestSource(): number {
  let newest = statSync(join(REPO, 'tsconfig.json')).mtimeMs;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(REPO, 'src'));
  return newest;
}

/**
 * Build dist/ (the child process runs the compiled program through bin/squeaky.js), unless it is
 * newer than every source: rewriting dist/ while another test file's child process loads it
 * would make that child fail to import.
 */
export function buildDist(): void {
  const built = join(REPO, 'dist', 'src', 'index.js');
  if (existsSync(built) && statSync(built).mtimeMs > newestSource()) return;
  spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'tsconfig.json')], { cwd: REPO, encoding: 'utf8' });
  if (!existsSync(join(REPO, 'dist', 'src', 'cli', 'main.js'))) throw new Error('build did not produce dist/src/cli/main.js');
}

/** Run bin/squeaky.js as a child process. */
export function runCliChild(args: string[], options: { cwd?: string } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
