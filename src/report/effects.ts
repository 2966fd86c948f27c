import { propagateVoice } from './propagateVoice.js';
import { stationaryDistribution } from './stationaryDistribution.js';

/**
 * Probabilities of the hypothetical customer of the report, for the periods after the complaint,
 * with and without one intervention in the complaint period (period 0):
 *   transition row-major [h*K*K + i*K + j]: P(state j in period h+1 | state i in period h)
 *   emission   row-major [h*K*V + k*V + v]: P(voice v in period h+1 | state k)
 * for h = 0..horizon-1.
 */
export interface ScenarioProbabilities {
  nStates: number;
  voiceLabels: string[];
  horizon: number;
  transition: { without: Float64Array; with: Float64Array };
  emission: { without: Float64Array; with: Float64Array };
}

export interface Moves {
  up: number;
  stay: number;
  down: number;
}

/** Expected voice counts over the horizon, by voice label. */
export type VoiceCounts = Record<string, number>;

export interface ChannelEffect {
  /** Relationship channel alone: intervened transitions, non-intervened voice probabilities. */
  relationship: number;
  /** Propensity channel alone: non-intervened transitions, intervened voice probabilities. */
  propensity: number;
  /** Both channels together. */
  net: number;
  /** net - relationship - propensity (the channels' interaction). */
  interaction: number;
}

/** The intervention-effect report (effects.json). Probabilities, expected counts over the horizon. */
export interface EffectsReport {
  horizon: number;
  nStates: number;
  voiceLabels: string[];
  /** State distribution in the complaint period the propagation starts from. */
  startMix: number[];
  /** How many complaint rows of the data the start mix averages over (0: there were none, and the mix averages over all rows). */
  complaintRows: number;
  relationship: {
    /** Next-period transition matrices [from][to], without and with the intervention. */
    transitionWithout: number[][];
    transitionWith: number[][];
    /** Per origin state: probability of moving up (to a better state), staying, moving down. */
    moves: { state: number; without: Moves; with: Moves }[];
    /** Long-run share of customers in each state if the next-period matrix held every period. */
    longRunWithout: number[];
    longRunWith: number[];
  };
  propensity: {
    /** Next-period voice probabilities [state][voice], without and with the intervention's effect on voice. */
    emissionWithout: number[][];
    emissionWith: number[][];
  };
  net: {
    /** Expected counts of each voice over periods 1..horizon in the four scenarios. */
    scenarios: { none: VoiceCounts; relationshipOnly: VoiceCounts; propensityOnly: VoiceCounts; both: VoiceCounts };
    /** Differences from the no-intervention scenario, per voice. */
    effects: Record<string, ChannelEffect>;
  };
  /** The headline in plain words. */
  summary: string[];
}

function matrix(buf: Float64Array, offset: number, rows: number, cols: number): number[][] {
  const m: number[][] = [];
  for (let i = 0; i < rows; i++) m.push(Array.from(buf.subarray(offset + i * cols, offset + (i + 1) * cols)));
  return m;
}

function moves(row: number[], i: number): Moves {
  let up = 0;
  let down = 0;
  for (let j = 0; j < row.length; j++) {
    if (j > i) up += row[j];
    else if (j < i) down += row[j];
  }
  return { up, stay: row[i], down };
}

/**
 * The report from scenario probabilities and the start mix, by exact propagation of state
 * distributions (no simulation). Scenarios: none = (without, without); relationship only =
 * (with transitions, without emissions); propensity only = (without, with); both = (with, with).
 */
export function effectsFromProbabilities(probs: ScenarioProbabilities, startMix: ArrayLike<number>, complaintRows = 0): EffectsReport {
  const K = probs.nStates;
  const V = probs.voiceLabels.length;
  const H = probs.horizon;
  if (startMix.length !== K) throw new RangeError(`start mix has length ${startMix.length}, expected ${K}`);
  const work = new Float64Array(2 * K);
  const run = (trans: Float64Array, emis: Float64Array): VoiceCounts => {
    const out = new Float64Array(V);
    propagateVoice(K, V, H, startMix, trans, emis, work, out);
    const counts: VoiceCounts = {};
    probs.voiceLabels.forEach((l, v) => (counts[l] = out[v]));
    return counts;
  };
  const T = probs.transition;
  const E = probs.emission;
  const scenarios = {
    none: run(T.without, E.without),
    relationshipOnly: run(T.with, E.without),
    propensityOnly: run(T.without, E.with),
    both: run(T.with, E.with),
  };
  const effects: Record<string, ChannelEffect> = {};
  for (const l of probs.voiceLabels) {
    const base = scenarios.none[l];
    const relationship = scenarios.relationshipOnly[l] - base;
    const propensity = scenarios.propensityOnly[l] - base;
    const net = scenarios.both[l] - base;
    effects[l] = { relationship, propensity, net, interaction: net - relationship - propensity };
  }
  const transitionWithout = matrix(T.without, 0, K, K);
  const transitionWith = matrix(T.with, 0, K, K);
  const report: EffectsReport = {
    horizon: H,
    nStates: K,
    voiceLabels: [...probs.voiceLabels],
    startMix: Array.from(startMix),
    complaintRows,
    relationship: {
      transitionWithout,
      transitionWith,
      moves: transitionWithout.map((row, i) => ({ state: i + 1, without: moves(row, i), with: moves(transitionWith[i], i) })),
      longRunWithout: stationaryDistribution(K, T.without.subarray(0, K * K), startMix),
      longRunWith: stationaryDistribution(K, T.with.subarray(0, K * K), startMix),
    },
    propensity: { emissionWithout: matrix(E.without, 0, K, V), emissionWith: matrix(E.with, 0, K, V) },
    net: { scenarios, effects },
    summary: [],
  };
  report.summary = headline(report);
  return report;
}

const NEGLIGIBLE = 5e-5;

function change(x: number, noun: string): string {
  if (Math.abs(x) < NEGLIGIBLE) return `leave ${noun} unchanged`;
  return `${x > 0 ? 'raise' : 'lower'} ${noun} by ${fmt(Math.abs(x), 3)}`;
}

function fmt(x: number, digits: number): string {
  return x.toFixed(digits);
}

/** Plain-words sentences: per headline voice, the two channels, the net, and their ratio. */
function headline(r: EffectsReport): string[] {
  const out: string[] = [];
  const voices = ['complaint', 'compliment'].filter((l) => r.voiceLabels.includes(l));
  for (const l of voices) {
    const e = r.net.effects[l];
    const noun = `expected ${l}s over the next ${r.horizon} periods`;
    let s = `Interventions ${change(e.propensity, noun)} through propensity and ${change(e.relationship, 'them')} through relationship`;
    s += `; net ${e.net >= 0 ? '+' : '-'}${fmt(Math.abs(e.net), 3)} (from ${fmt(r.net.scenarios.none[l], 3)} to ${fmt(r.net.scenarios.both[l], 3)}).`;
    if (Math.abs(e.relationship) >= NEGLIGIBLE && Math.abs(e.propensity) >= NEGLIGIBLE) {
      const ratio = Math.abs(e.propensity) / Math.abs(e.relationship);
      s += ` The propensity channel is ${fmt(ratio, 2)} times the size of the relationship channel${Math.sign(e.propensity) !== Math.sign(e.relationship) ? ', in the opposite direction' : ''}.`;
    }
    out.push(s);
  }
  return out;
}

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5) + '%';
}

function signed(x: number, digits = 3): string {
  const s = x.toFixed(digits);
  return (x >= 0 && !s.startsWith('-') ? '+' : '') + s;
}

/** The report as text: relationship channel, propensity channel, net effects, headline. */
export function formatEffectsText(r: EffectsReport): string {
  const K = r.nStates;
  const lines: string[] = [];
  lines.push('Intervention effects');
  lines.push(`Hypothetical customer: complained in period 0; one intervention in period 0 vs none; other covariates at their sample means.`);
  const where = r.complaintRows ? `state mix of customers in periods they complained (${r.complaintRows} complaint rows)` : 'average state mix over all rows (no complaint rows to condition on)';
  lines.push(`Start: ${where}: ` + r.startMix.map((p, k) => `state ${k + 1} ${pct(p).trim()}`).join(', '));
  lines.push('');
  lines.push('Relationship channel (next period; state 1 = worst)');
  lines.push('         without intervention      with intervention');
  lines.push('  state      up   stay   down        up   stay   down');
  for (const m of r.relationship.moves) {
    lines.push(`  ${String(m.state).padEnd(5)} ${pct(m.without.up)} ${pct(m.without.stay)} ${pct(m.without.down)}    ${pct(m.with.up)} ${pct(m.with.stay)} ${pct(m.with.down)}`);
  }
  lines.push('  long-run share of customers in each state');
  lines.push(`    without: ${r.relationship.longRunWithout.map((p, k) => `${k + 1}:${pct(p).trim()}`).join('  ')}`);
  lines.push(`    with:    ${r.relationship.longRunWith.map((p, k) => `${k + 1}:${pct(p).trim()}`).join('  ')}`);
  lines.push('');
  const shown = ['complaint', 'compliment'].filter((l) => r.voiceLabels.includes(l));
  const voices = shown.length ? shown : r.voiceLabels;
  lines.push('Propensity channel (voice probability next period)');
  lines.push('  state  ' + voices.map((l) => `${l} without -> with`.padStart(30)).join(''));
  for (let k = 0; k < K; k++) {
    const cells = voices.map((l) => {
      const v = r.voiceLabels.indexOf(l);
      return `${pct(r.propensity.emissionWithout[k][v])} -> ${pct(r.propensity.emissionWith[k][v])}`.padStart(30);
    });
    lines.push(`  ${String(k + 1).padEnd(5)}  ${cells.join('')}`);
  }
  lines.push('');
  lines.push(`Net effect on expected counts over the next ${r.horizon} periods`);
  lines.push('  voice          no intervention   relationship   propensity          net   (interaction)');
  for (const l of voices) {
    const e = r.net.effects[l];
    lines.push(
      `  ${l.padEnd(12)} ${r.net.scenarios.none[l].toFixed(3).padStart(17)} ${signed(e.relationship).padStart(14)} ${signed(e.propensity).padStart(12)} ${signed(e.net).padStart(12)}   (${signed(e.interaction)})`,
    );
  }
  if (r.summary.length) lines.push('', ...r.summary);
  return lines.join('\n') + '\n';
}
