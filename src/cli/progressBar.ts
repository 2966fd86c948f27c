/** Durations as m:ss (h:mm:ss past an hour). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * One progress-bar line: `label [#####.....] done/total  elapsed m:ss  remaining ~m:ss`. The
 * remaining time is the elapsed time per finished item times the items left ('?' before the first).
 */
export function formatProgressBar(label: string, done: number, total: number, elapsedMs: number, width = 24): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
  const remaining = done > 0 ? `~${formatDuration((elapsedMs / done) * (total - done))}` : '?';
  return `${label} [${bar}] ${done}/${total}  elapsed ${formatDuration(elapsedMs)}  remaining ${remaining}`;
}
