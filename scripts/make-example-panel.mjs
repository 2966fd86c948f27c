#!/usr/bin/env node
/**
 * Make data/example-panel.csv and data/example-truth.json: 714 customers x 90 daily periods
 * simulated from a 3-state model in which the firm's interventions act through both channels
 * (lag(intervention) moves customers up the ladder; stock(intervention, 0.8) raises complaint
 * propensity), with a firm that answers complaints far more often than other voice.
 *
 * Usage (after `npx tsc -p tsconfig.json`):
 *   node scripts/make-example-panel.mjs [--seed 20150601] [--out data]
 * Same seed, same files (byte for byte).
 */
import { writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simulate } from '../dist/src/estimation/simulate.js';
import { effectsBasis } from '../dist/src/report/runFit.js';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const seed = Number(arg('seed', '20150601'));
const outDir = resolve(arg('out', 'data'));
const customers = 714;
const periods = 90;
const policy = { afterComplaint: 0.5, otherwise: 0.04 };

const spec = {
  nStates: 3,
  voiceLabels: ['complaint', 'compliment', 'neutral', 'silent'],
  referenceVoice: 'silent',
  formulas: { initial: '~ 1', transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' },
  transitionType: 'multinomial',
  sharedSlopes: false,
};

// State 1 = worst relationship. Daily periods: states are sticky (staying is the reference).
// Relationship channel: yesterday's intervention makes moving up likelier and moving down rarer.
// Propensity channel: the stock of past interventions raises the complaint log-odds in every state.
const truth = {
  'initial[2]:(Intercept)': 0.1335, // initial shares about 0.35 / 0.40 / 0.25
  'initial[3]:(Intercept)': -0.3365,
  'transition[1->2]:(Intercept)': -3.2,
  'transition[1->2]:lag(intervention)': 1.6,
  'transition[1->3]:(Intercept)': -4.8,
  'transition[1->3]:lag(intervention)': 0.8,
  'transition[2->1]:(Intercept)': -3.6,
  'transition[2->1]:lag(intervention)': -0.6,
  'transition[2->3]:(Intercept)': -3.8,
  'transition[2->3]:lag(intervention)': 1.2,
  'transition[3->1]:(Intercept)': -4.8,
  'transition[3->1]:lag(intervention)': -0.5,
  'transition[3->2]:(Intercept)': -3.8,
  'transition[3->2]:lag(intervention)': -0.4,
  'emission[1]:complaint:(Intercept)': -0.9,
  'emission[1]:complaint:stock(intervention, 0.8)': 0.45,
  'emission[1]:compliment:(Intercept)': -5.0,
  'emission[1]:compliment:stock(intervention, 0.8)': 0.2,
  'emission[1]:neutral:(Intercept)': -2.2,
  'emission[1]:neutral:stock(intervention, 0.8)': 0.1,
  'emission[2]:complaint:(Intercept)': -2.8,
  'emission[2]:complaint:stock(intervention, 0.8)': 0.35,
  'emission[2]:compliment:(Intercept)': -3.6,
  'emission[2]:compliment:stock(intervention, 0.8)': 0.25,
  'emission[2]:neutral:(Intercept)': -1.8,
  'emission[2]:neutral:stock(intervention, 0.8)': 0.1,
  'emission[3]:complaint:(Intercept)': -5.0,
  'emission[3]:complaint:stock(intervention, 0.8)': 0.3,
  'emission[3]:compliment:(Intercept)': -1.3,
  'emission[3]:compliment:stock(intervention, 0.8)': 0.3,
  'emission[3]:neutral:(Intercept)': -1.6,
  'emission[3]:neutral:stock(intervention, 0.8)': 0.1,
};
const names = Object.keys(truth);
const values = Float64Array.from(names, (n) => truth[n]);
const blockOf = (n) => n.slice(0, n.search(/[[:]/));
const blocks = [];
names.forEach((n, i) => {
  const b = blockOf(n);
  if (blocks.length === 0 || blocks[blocks.length - 1].block !== b) blocks.push({ block: b, start: i, length: 0 });
  blocks[blocks.length - 1].length++;
});

const { panel, states } = simulate(spec, { names, values, blocks }, { customers, periods, policy, seed });

const lines = ['customer,period,voice,intervention'];
for (let i = 0; i < panel.customers.length; i++) {
  for (let r = panel.offsets[i]; r < panel.offsets[i + 1]; r++) {
    const v = panel.voice[r];
    lines.push(`${panel.customers[i]},${panel.period[r]},${v < 0 ? 'NA' : panel.voiceLabels[v]},${panel.columns.intervention[r]}`);
  }
}

const stateShare = [0, 0, 0];
for (const s of states) stateShare[s] += 1 / states.length;
const voiceCounts = Object.fromEntries(panel.voiceLabels.map((l) => [l, 0]));
for (const v of panel.voice) if (v >= 0) voiceCounts[panel.voiceLabels[v]]++;
let interventions = 0;
for (const x of panel.columns.intervention) interventions += x;

const truthJson = {
  description:
    'Generating model of data/example-panel.csv: 3 relationship states (1 = worst), multinomial transitions on lag(intervention) ' +
    '(relationship channel), emissions on stock(intervention, 0.8) (propensity channel); the firm intervenes with probability ' +
    `${policy.afterComplaint} in a period with a complaint and ${policy.otherwise} otherwise.`,
  command: `node scripts/make-example-panel.mjs --seed ${seed}`,
  seed,
  customers,
  periods,
  policy,
  spec,
  parameters: { names, values: Array.from(values), blocks },
  simulated: {
    rows: states.length,
    stateShare: stateShare.map((x) => Number(x.toFixed(4))),
    voiceCounts,
    interventions,
  },
  // What the effects report needs, measured on the simulated panel under the true parameters, so
  // that `squeaky effects data/example-truth.json` gives the true report.
  effectsBasis: effectsBasis(panel, spec, { names, values, blocks }),
};

/** Write whole or not at all: temp file, then rename. */
function writeAtomic(file, text) {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

mkdirSync(outDir, { recursive: true });
writeAtomic(join(outDir, 'example-panel.csv'), lines.join('\n') + '\n');
writeAtomic(join(outDir, 'example-truth.json'), JSON.stringify(truthJson, null, 2) + '\n');
process.stdout.write(JSON.stringify({ panel: join(outDir, 'example-panel.csv'), rows: states.length, ...truthJson.simulated }) + '\n');
