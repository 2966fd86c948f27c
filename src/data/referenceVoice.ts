/**
 * The default reference voice category of the emission logits: `silent` when present, else
 * `neutral`, else the last label. Labels are compared case-insensitively; the label is returned
 * as spelled in `labels`.
 */
export function defaultReferenceVoice(labels: readonly string[]): string {
  if (labels.length === 0) throw new RangeError('defaultReferenceVoice: no voice labels');
  for (const want of ['silent', 'neutral']) {
    const hit = labels.find((l) => l.toLowerCase() === want);
    if (hit !== undefined) return hit;
  }
  return labels[labels.length - 1];
}
