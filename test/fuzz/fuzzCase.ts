/**
 * One fuzz case: a mutated input or option value handed to the CLI (in-process, as a user would
 * type it), then the promises every run must keep:
 *   - exit code 0 or 2, never 1, and no stack trace;
 *   - no NaN, Infinity or null in stdout or in any file written (unless the input itself had it;
 *     the table's JSON marks a standard error that is not available with null, by design);
 *   - every located problem in a CSV input names its line;
 *   - nothing written when the exit code is 2;
 *   - a wall-clock bound per case.
 * Cases are reproducible from (seed, index).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Rng } from '../../src/estimation/rng.js';
import { runCli } from '../helpers/runCli.js';
import { NASTY, OPTION_VALUES, TIMESTAMP_VALUES, mutateCsv, mutateJson, pick } from './mutators.js';

export const FAMILIES = ['panel', 'options', 'events', 'fitfile'] as const;
export type Family = (typeof FAMILIES)[number];

/** The valid inputs every case starts from (made once per run by fuzzBase). */
export interface FuzzBase {
  dir: string;
  panel: string;
  panelText: string;
  fit: string;
  fitText: string;
  events: string;
  eventsText: string;
  truth: string;
}

export interface CaseResult {
  index: number;
  family: Family;
  args: string[];
  what: string;
  code: number;
  ms: number;
  problems: string[];
}

/** Wall-clock bound of one case. */
export const CASE_MS = 20_000;

const QUICK = ['--states', '2', '--starts', '0', '--max-iter', '3', '--quiet'];

/** Located-problem lines that legitimately name no line (whole-file or whole-column facts). */
const UNLINED_OK = /the file is empty|header only|at least one observed voice|no customer tweets|at least one customer tweet|formula of the fit in|a readable file|an existing|cannot read/;

function listing(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) {
        out.set(relative(dir, p) + '/', 'dir');
        walk(p);
      } else out.set(relative(dir, p), `${st.size}:${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

function outPath(rng: Rng, caseDir: string, name: string): string {
  const r = rng.uniform();
  if (r < 0.85) return join(caseDir, name);
  return pick(rng, ['', join(caseDir, 'missing', name), caseDir, join(caseDir, 'input.csv'), join(caseDir, 'input.csv', name)]);
}

/** Build the arguments of one case; input files go into caseDir. */
function buildCase(rng: Rng, family: Family, base: FuzzBase, caseDir: string): { args: string[]; what: string; inputs: string[] } {
  const input = join(caseDir, 'input.csv');
  switch (family) {
    case 'panel': {
      let text: string | Buffer = base.panelText;
      const whats: string[] = [];
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const m = mutateCsv(rng, typeof text === 'string' ? text : base.panelText);
        text = m.text;
        whats.push(m.what);
      }
      writeFileSync(input, text);
      const cmd = rng.int(4);
      const args =
        cmd === 0 ? ['fit', input, ...QUICK, '--out', join(caseDir, 'fit')]
        : cmd === 1 ? ['decode', base.fit, input, '--out', join(caseDir, 'states.csv')]
        : ['validate', input, ...(rng.uniform() < 0.3 ? ['--fill-gaps'] : []), ...(rng.uniform() < 0.2 ? ['--json'] : [])];
      return { args, what: whats.join('; '), inputs: [typeof text === 'string' ? text : ''] };
    }
    case 'events': {
      let text: string | Buffer = base.eventsText;
      const whats: string[] = [];
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const m = mutateCsv(rng, typeof text === 'string' ? text : base.eventsText, TIMESTAMP_VALUES);
        text = m.text;
        whats.push(m.what);
      }
      writeFileSync(input, text);
      const period = pick(rng, ['day', 'week', '6h', '1h']);
      return { args: ['prepare', input, '--period', period, '--out', join(caseDir, 'panel.csv')], what: whats.join('; '), inputs: [typeof text === 'string' ? text : ''] };
    }
    case 'fitfile': {
      const src = rng.uniform() < 0.8 ? base.fitText : readFileSync(base.truth, 'utf8');
      let text = src;
      const whats: string[] = [];
      for (let k = 1 + rng.int(2); k > 0; k--) {
        try {
          const m = mutateJson(rng, text);
          text = m.text;
          whats.push(m.what);
        } catch {
          break; // already truncated: not JSON any more
        }
      }
      const f = join(caseDir, 'fit.json');
      writeFileSync(f, text);
      writeFileSync(input, base.panelText);
      const cmd = rng.int(5);
      const args =
        cmd === 0 ? ['table', f, '--format', pick(rng, ['text', 'csv', 'json', 'markdown', 'latex'])]
        : cmd === 1 ? ['effects', f, '--format', pick(rng, ['text', 'json'])]
        : cmd === 2 ? ['decode', f, input]
        : cmd === 3 ? ['fit', input, '--start', f, '--max-iter', '0', '--quiet', '--out', join(caseDir, 'refit')]
        : ['simulate', f, '--customers', '4', '--periods', '5', '--out', join(caseDir, 'sim.csv')];
      return { args, what: whats.join('; '), inputs: [text] };
    }
    case 'options': {
      writeFileSync(input, base.panelText);
      const commands: [string[], string[]][] = [
        [['fit', input, ...QUICK], ['--states', '--starts', '--seed', '--max-iter', '--tol', '--horizon', '--transition-type', '--reference', '--labels', '--initial', '--transition', '--emission']],
        [['simulate', base.truth, '--customers', '4', '--periods', '5'], ['--customers', '--periods', '--policy', '--seed']],
        [['prepare', base.events, '--period', 'week'], ['--period', '--start', '--end', '--rule', '--max-errors', '--max-rows']],
        [['table', base.fit], ['--format']],
        [['effects', base.fit], ['--format']],
        [['validate', input], ['--labels', '--max-errors']],
      ];
      const [args0, opts] = pick(rng, commands);
      const args = [...args0];
      const whats: string[] = [];
      for (let k = 1 + rng.int(2); k > 0; k--) {
        const o = pick(rng, opts);
        const v = rng.uniform() < 0.85 ? pick(rng, OPTION_VALUES[o]) : pick(rng, NASTY);
        const at = args.indexOf(o);
        if (at >= 0) args[at + 1] = v;
        else args.push(o, v);
        whats.push(`${o} ${JSON.stringify(v)}`);
      }
      if (rng.uniform() < 0.05) {
        args.push(pick(rng, ['--no-such', '-x', '--', '--states']));
        whats.push('stray flag');
      }
      const cmd = args[0];
      if (cmd === 'fit') args.push('--out', outPath(rng, caseDir, 'fit'));
      if (cmd === 'simulate' || cmd === 'prepare') args.push('--out', outPath(rng, caseDir, 'out.csv'));
      return { args, what: whats.join('; '), inputs: args };
    }
  }
}

/** Run case `index` of the run seeded `seed`. */
export async function runCase(seed: number, index: number, base: FuzzBase, family?: Family): Promise<CaseResult> {
  const rng = Rng.stream(seed, index + 1);
  const fam = family ?? FAMILIES[index % FAMILIES.length];
  const caseDir = join(base.dir, `case-${index}`);
  mkdirSync(caseDir, { recursive: true });
  const { args, what, inputs } = buildCase(rng, fam, base, caseDir);
  const before = listing(caseDir);
  const t0 = performance.now();
  const r = await runCli(args);
  const ms = performance.now() - t0;
  const problems: string[] = [];
  if (r.code !== 0 && r.code !== 2) problems.push(`exit code ${r.code}`);
  if (/internal error|\n\s+at .*:\d+:\d+/.test(r.stderr)) problems.push('stack trace');
  if (ms > CASE_MS) problems.push(`took ${Math.round(ms)} ms (bound ${CASE_MS})`);
  const after = listing(caseDir);
  const inputText = inputs.join('\n');
  // The documented nulls: a standard error (with its z, p and interval) that is not available, or an
  // unbounded side of a profile-likelihood interval, in the table's JSON format (README "squeaky
  // table"), and an unbounded side in fit.json's covariance.profile intervals ([low, high] pairs).
  // Any other null is a defect.
  const NOT_AVAILABLE = /"(std_error|z|p|ci_low|ci_high|ci_method)": null/g;
  const UNBOUNDED = /\[\s*null\s*,\s*(-?[0-9][0-9.e+-]*|null)\s*\]|\[\s*-?[0-9][0-9.e+-]*\s*,\s*null\s*\]/g;
  const bad = (s: string): string[] => ['NaN', 'Infinity', 'null'].filter((w) => new RegExp(`\\b${w}\\b`).test(s.replace(NOT_AVAILABLE, '').replace(UNBOUNDED, '')) && !inputText.includes(w));
  for (const w of bad(r.stdout)) problems.push(`${w} on stdout`);
  if (r.code === 2) {
    const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
    const gone = [...before.keys()].filter((k) => !after.has(k));
    if (changed.length || gone.length) problems.push(`files changed on failure: ${[...changed, ...gone].join(', ')}`);
    for (const line of r.stderr.split('\n')) {
      if (/^\s+\S+\.csv, (?!line )/.test(line) && !UNLINED_OK.test(line)) problems.push(`located problem without a line: ${line.trim().slice(0, 120)}`);
    }
  } else if (r.code === 0) {
    for (const k of after.keys()) {
      if (k.endsWith('/') || before.get(k) === after.get(k)) continue;
      const text = readFileSync(join(caseDir, k), 'utf8');
      for (const w of bad(text)) problems.push(`${w} in ${k}`);
    }
  }
  return { index, family: fam, args: args.map((a) => (a.startsWith(base.dir) ? relative(base.dir, a) : a)), what, code: r.code, ms, problems };
}
