#!/usr/bin/env node
// RSS after reading a panel CSV (readPanel, as `squeaky fit` reads it), and after a full GC.
// Usage: node --expose-gc benchmarks/read-memory.mjs --panel P.csv [--repeats 1]
// Output: one JSON line per repeat ({panel, rows, readMs, recordsMs, rssBytes, rssBytesPerRow,
// rssAfterGcBytes, arrayBufferBytes}). Requires a build (npx tsc -p tsconfig.json).
// Each repeat runs in a fresh process (the RSS of a second read in the same process says little).
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const { values: a } = parseArgs({ options: { panel: { type: 'string' }, repeats: { type: 'string', default: '1' }, child: { type: 'boolean', default: false } } });
if (!a.panel) throw new Error('--panel P.csv is required');
if (!a.child) {
  for (let i = 0; i < +a.repeats; i++) process.stdout.write(execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--panel', a.panel, '--child'], { encoding: 'utf8' }));
} else {
  const { readPanel } = await import('../dist/src/data/readPanel.js');
  const t0 = performance.now();
  let recordsMs = 0;
  const { panel } = await readPanel(a.panel, { onProgress: () => (recordsMs = performance.now() - t0) });
  const readMs = performance.now() - t0;
  const rss = process.memoryUsage().rss;
  globalThis.gc?.();
  const after = process.memoryUsage();
  const rows = panel.voice.length;
  console.log(JSON.stringify({ benchmark: 'read-memory', panel: a.panel, rows, readMs, recordsMs, rssBytes: rss, rssBytesPerRow: rss / rows, rssAfterGcBytes: after.rss, arrayBufferBytes: after.arrayBuffers, load: (await import('node:os')).loadavg()[0] }));
}
