/** Edit distance (Levenshtein) between two short strings, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const prev = new Array<number>(t.length + 1);
  const cur = new Array<number>(t.length + 1);
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const sub = prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    for (let j = 0; j <= t.length; j++) prev[j] = cur[j];
  }
  return prev[t.length];
}

/**
 * The candidate closest to `word` when it is close enough to be a plausible typo (edit distance at
 * most max(1, a third of the word's length), or one is a prefix of the other); undefined otherwise.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(w.length / 3));
  if (bestD <= limit) return best;
  const lc = best.toLowerCase();
  if (w.length >= 3 && (lc.startsWith(w) || w.startsWith(lc))) return best;
  return undefined;
}

/** " (did you mean 'x'?)" or "" — for appending to an `expected` message. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s !== undefined ? ` (did you mean '${s}'?)` : '';
}
