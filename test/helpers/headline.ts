/** The headline sentences as `squeaky fit` and `squeaky effects` print them: the last paragraph of the report (before "Wrote ..."). */
export function cliHeadline(stdout: string): string[] {
  const blocks = stdout.replace(/\n+Wrote [^\n]*\n*$/, '').trimEnd().split(/\n\s*\n/);
  return blocks[blocks.length - 1].split('\n');
}
