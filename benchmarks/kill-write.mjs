#!/usr/bin/env node
// Kill test of the whole-or-nothing output folder of `squeaky fit`.
//
// A child process loads two saved fits, A (with effects.json) and B (a scale() model: no
// effects.json), writes each once to a reference folder, then writes them alternately, for ever,
// to one target folder with writeFitRun. The parent kills it (SIGKILL or SIGTERM, alternating) at a
// uniformly random time inside that loop, so every kill lands in a write phase, and checks:
//   - the target holds exactly set A or exactly set B (same file names, same bytes): never a mix;
//     a kill -9 between the swap's two renames leaves the previous set beside the target, which
//     the next reader (loadFit) or writer puts back (counted as missingUntilRestored);
//   - after SIGTERM, nothing hidden is left beside the target (temporaries removed by the handler);
//   - after SIGKILL (which no process can catch), hidden temporaries may remain; the next write to
//     the target must remove them and leave a complete set (the previous complete output stays
//     readable until then: it is checked with loadFit before the sweep).
// Usage: node benchmarks/kill-write.mjs [--trials 100] [--seed 1] [--max-delay-ms 400]
// Output: one JSON object per trial with --verbose, and a summary JSON line.
// Requires a build (npx tsc -p tsconfig.json).
import { parseArgs } from 'node:util';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const bin = join(repo, 'bin', 'squeaky.js');

const { values: a } = parseArgs({
  options: {
    trials: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    'max-delay-ms': { type: 'string', default: '400' },
    child: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

if (a.child !== undefined) {
  // ---- child: write A and B alternately into the target for ever
  const [work, target] = a.child.split('\u0001');
  const { loadFit } = await import('../dist/src/report/fitFile.js');
  const { parameterTable } = await import('../dist/src/report/parameterTable.js');
  const { computeEffects } = await import('../dist/src/report/computeEffects.js');
  const { writeFitRun } = await import('../dist/src/report/runFit.js');
  const runOf = async (file, withEffects) => {
    const fit = await loadFit(file);
    return { fit, table: parameterTable(fit, { warnings: fit.warnings }), effects: withEffects ? computeEffects(fit) : undefined, panelWarnings: [] };
  };
  const runs = [await runOf(join(work, 'fitA', 'fit.json'), true), await runOf(join(work, 'fitB', 'fit.json'), false)];
  await writeFitRun(runs[0], join(work, 'refA'));
  await writeFitRun(runs[1], join(work, 'refB'));
  process.stdout.write('ready\n');
  for (let i = 0; ; i++) await writeFitRun(runs[i % 2], target);
}

// ---- parent
let state = Number(a.seed) >>> 0 || 1;
const uniform = () => {
  // xorshift32: the kill times are reproducible from --seed
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 2 ** 32;
};
const trials = Number(a.trials);
const maxDelay = Number(a['max-delay-ms']);
const work = mkdtempSync(join(tmpdir(), 'squeaky-kill-'));
const sh = (args) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`squeaky ${args.join(' ')} failed: ${r.stderr}`);
};
sh(['simulate', join(repo, 'data', 'example-truth.json'), '--customers', '40', '--periods', '15', '--seed', '3', '--out', join(work, 'panel.csv')]);
sh(['fit', join(work, 'panel.csv'), '--states', '2', '--starts', '0', '--max-iter', '3', '--quiet', '--out', join(work, 'fitA')]);
sh(['fit', join(work, 'panel.csv'), '--states', '2', '--starts', '0', '--max-iter', '3', '--quiet', '--emission', '~ scale(stock(intervention, 0.8))', '--out', join(work, 'fitB')]);

const snapshot = (dir) => {
  if (!existsSync(dir)) return undefined;
  const out = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f), 'utf8');
  return out;
};
const same = (x, y) => x !== undefined && y !== undefined && JSON.stringify(x) === JSON.stringify(y);
const hidden = (dir) => readdirSync(dir).filter((f) => f.startsWith('.'));
const { loadFit } = await import('../dist/src/report/fitFile.js');

const counts = { trials: 0, SIGKILL: 0, SIGTERM: 0, setA: 0, setB: 0, mixedOrMissing: 0, missingUntilRestored: 0, termLeftTemporaries: 0, killLeftTemporaries: 0, sweptAfterKill: 0, unreadable: 0, termExitCodes: {} };
let refA;
let refB;
for (let t = 0; t < trials; t++) {
  const trialDir = join(work, `t${t}`);
  rmSync(trialDir, { recursive: true, force: true });
  spawnSync('mkdir', [trialDir]);
  const target = join(trialDir, 'out');
  const signal = t % 2 === 0 ? 'SIGKILL' : 'SIGTERM';
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', `${work}\u0001${target}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  await new Promise((res, rej) => {
    child.stdout.on('data', (d) => String(d).includes('ready') && res());
    child.on('exit', (c) => rej(new Error(`child ended before ready (${c}): ${stderr}`)));
  });
  refA ??= snapshot(join(work, 'refA'));
  refB ??= snapshot(join(work, 'refB'));
  // Wait until the first set is in place, then a random time, then kill.
  while (!existsSync(join(target, 'fit.json'))) await new Promise((r) => setTimeout(r, 1));
  const delay = uniform() * maxDelay;
  await new Promise((r) => setTimeout(r, delay));
  const exited = new Promise((r) => child.on('exit', (code, sig) => r({ code, sig })));
  child.kill(signal);
  const ex = await exited;
  counts.trials++;
  counts[signal]++;
  let snap = snapshot(target);
  if (snap === undefined) {
    // Killed between the swap's two renames: the previous folder sits aside until a reader
    // (loadFit) or the next write puts it back.
    counts.missingUntilRestored++;
    await loadFit(join(target, 'fit.json')).catch(() => undefined);
    snap = snapshot(target);
  }
  const isA = same(snap, refA);
  const isB = same(snap, refB);
  if (isA) counts.setA++;
  else if (isB) counts.setB++;
  else counts.mixedOrMissing++;
  let readable = true;
  try {
    await loadFit(join(target, 'fit.json'));
  } catch {
    readable = false;
    counts.unreadable++;
  }
  const left = hidden(trialDir);
  if (signal === 'SIGTERM') {
    counts.termExitCodes[ex.code] = (counts.termExitCodes[ex.code] ?? 0) + 1;
    if (left.length) counts.termLeftTemporaries++;
  } else if (left.length) {
    counts.killLeftTemporaries++;
    // The next write to the target removes what the killed process left.
    sh(['fit', join(work, 'panel.csv'), '--start', join(work, 'fitA', 'fit.json'), '--max-iter', '0', '--quiet', '--out', target]);
    if (hidden(trialDir).length === 0 && existsSync(join(target, 'fit.json'))) counts.sweptAfterKill++;
  }
  if (a.verbose) console.log(JSON.stringify({ trial: t, signal, delayMs: +delay.toFixed(1), set: isA ? 'A' : isB ? 'B' : 'mixed', readable, left, exit: ex }));
  rmSync(trialDir, { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });
const ok = counts.mixedOrMissing === 0 && counts.unreadable === 0 && counts.termLeftTemporaries === 0 && counts.sweptAfterKill === counts.killLeftTemporaries;
console.log(JSON.stringify({ bench: 'kill-write', seed: Number(a.seed), maxDelayMs: maxDelay, ...counts, ok }));
process.exitCode = ok ? 0 : 1;
