import { propagateStates } from './propagateStates.js';
import { longRunTail } from './longRunTail.js';
import { stationaryDistribution } from './stationaryDistribution.js';
import { CHANNELS, SCENARIOS, type ChannelName, type Figures, type Moves, type ScenarioName, type ScenarioProbabilities } from './effectsTypes.js';

/** Per-period effects below this count as died out (LongRun.tolerance). */
export const LONG_RUN_TOLERANCE = 1e-12;
/** Periods the convergence check propagates at most after the probabilities have settled. */
export const CONVERGENCE_CAP = 1_000_000;

/** Transition arm and voice arm of each scenario (0 = without, 1 = with the intervention). */
const ARMS: Record<ScenarioName, [0 | 1, 0 | 1]> = { none: [0, 0], relationshipOnly: [1, 0], propensityOnly: [0, 1], both: [1, 1] };
const CHANNEL_SCENARIO: Record<Exclude<ChannelName, 'interaction'>, ScenarioName> = { relationship: 'relationshipOnly', propensity: 'propensityOnly', net: 'both' };

function matrix(buf: Float64Array, rows: number, cols: number): number[][] {
  const m: number[][] = [];
  for (let i = 0; i < rows; i++) m.push(Array.from(buf.subarray(i * cols, (i + 1) * cols)));
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

/** What the figures are computed from. */
export interface FiguresInput {
  probs: ScenarioProbabilities;
  startMix: ArrayLike<number>;
  /** Periods shown (the series run h = 1..horizon). */
  horizon: number;
  /**
   * True when the probabilities of the last computed period (probs.horizon) hold for every later
   * period and are the same with and without the intervention: periods past probs.horizon reuse
   * them, and the long-run total is computed. False: probs.horizon >= horizon and no long run.
   */
  settled: boolean;
  /** Why the probabilities never settle (when settled is false). */
  unsettledReason?: string;
}

/** The numbers, plus what the point estimate alone needs (the state paths, for the convergence check). */
export interface FiguresResult {
  figures: Figures<number, number[]>;
  /** Why the long-run total does not exist (figures.longRun is undefined). */
  longRunReason?: string;
  /** Last period (1-based) with a per-period effect >= LONG_RUN_TOLERANCE among periods 1..max(horizon, probs.horizon). */
  lastLarge: number;
  /** State distributions in period max(horizon, probs.horizon): without and with the intervention's transitions. */
  endStates: [Float64Array, Float64Array];
}

/**
 * Every figure of the report from the scenario probabilities, by exact propagation: the two state
 * paths (without / with the intervention's transitions), voice probabilities per period in the
 * four scenarios, running sums, channel effects, and the long-run totals (the series summed
 * exactly until the probabilities settle, the rest in closed form, see longRunTail).
 */
export function effectsFigures(input: FiguresInput): FiguresResult {
  const { probs, startMix, horizon: H } = input;
  const K = probs.nStates;
  const labels = probs.voiceLabels;
  const V = labels.length;
  const N = probs.horizon;
  if (startMix.length !== K) throw new RangeError(`start mix has length ${startMix.length}, expected ${K}`);
  if (!input.settled && N < H) throw new RangeError(`unsettled probabilities cover ${N} periods, fewer than the horizon ${H}`);
  const M = Math.max(H, N);
  const T = [probs.transition.without, probs.transition.with];
  const E = [probs.emission.without, probs.emission.with];
  const states = [new Float64Array(M * K), new Float64Array(M * K)];
  for (const a of [0, 1]) propagateStates(K, M, N, startMix, T[a], states[a]);

  // perPeriod[s][h*V + v] = P(voice v in period h+1) in scenario s
  const perPeriod = {} as Record<ScenarioName, Float64Array>;
  for (const s of SCENARIOS) {
    const [ta, ea] = ARMS[s];
    const d = states[ta];
    const em = E[ea];
    const out = new Float64Array(M * V);
    for (let h = 0; h < M; h++) {
      const eb = Math.min(h, N - 1) * K * V;
      for (let v = 0; v < V; v++) {
        let p = 0;
        for (let k = 0; k < K; k++) p += d[h * K + k] * em[eb + k * V + v];
        out[h * V + v] = p;
      }
    }
    perPeriod[s] = out;
  }
  const effectAt = (c: ChannelName, h: number, v: number): number => {
    const base = perPeriod.none[h * V + v];
    if (c !== 'interaction') return perPeriod[CHANNEL_SCENARIO[c]][h * V + v] - base;
    return perPeriod.both[h * V + v] - perPeriod.relationshipOnly[h * V + v] - perPeriod.propensityOnly[h * V + v] + base;
  };

  const expected = {} as Record<ScenarioName, Record<string, number[]>>;
  const cumulative = {} as Record<ScenarioName, Record<string, number[]>>;
  for (const s of SCENARIOS) {
    expected[s] = {};
    cumulative[s] = {};
    labels.forEach((l, v) => {
      const e = new Array<number>(H);
      const c = new Array<number>(H);
      let run = 0;
      for (let h = 0; h < H; h++) {
        e[h] = perPeriod[s][h * V + v];
        run += e[h];
        c[h] = run;
      }
      expected[s][l] = e;
      cumulative[s][l] = c;
    });
  }
  const effects: Record<string, Record<ChannelName, number[]>> = {};
  const cumulativeEffects: Record<string, Record<ChannelName, number[]>> = {};
  const totalToM: Record<string, Record<ChannelName, number>> = {};
  let lastLarge = 0;
  labels.forEach((l, v) => {
    effects[l] = {} as Record<ChannelName, number[]>;
    cumulativeEffects[l] = {} as Record<ChannelName, number[]>;
    totalToM[l] = {} as Record<ChannelName, number>;
    for (const c of CHANNELS) {
      const e = new Array<number>(H);
      const cu = new Array<number>(H);
      let run = 0;
      for (let h = 0; h < M; h++) {
        const x = effectAt(c, h, v);
        run += x;
        if (h < H) {
          e[h] = x;
          cu[h] = run;
        }
        if (Math.abs(x) >= LONG_RUN_TOLERANCE && h + 1 > lastLarge) lastLarge = h + 1;
      }
      effects[l][c] = e;
      cumulativeEffects[l][c] = cu;
      totalToM[l][c] = run;
    }
  });

  const scenarios = {} as Record<ScenarioName, Record<string, number>>;
  for (const s of SCENARIOS) {
    scenarios[s] = {};
    for (const l of labels) scenarios[s][l] = cumulative[s][l][H - 1];
  }
  const netEffects: Record<string, Record<ChannelName, number>> = {};
  for (const l of labels) {
    netEffects[l] = {} as Record<ChannelName, number>;
    for (const c of CHANNELS) netEffects[l][c] = cumulativeEffects[l][c][H - 1];
  }

  // Long run: the series to period M plus, past it, the closed-form tail of the state difference
  // (only the transition arm differs once the probabilities have settled).
  let longRun: Record<string, Record<ChannelName, number>> | undefined;
  let longRunReason: string | undefined;
  if (!input.settled) {
    longRunReason = input.unsettledReason ?? 'the probabilities never settle';
  } else {
    const last = N - 1;
    const delta = new Float64Array(K);
    for (let k = 0; k < K; k++) delta[k] = states[1][(M - 1) * K + k] - states[0][(M - 1) * K + k];
    const tail = longRunTail(K, V, T[0].subarray(last * K * K, (last + 1) * K * K), E[0].subarray(last * K * V, (last + 1) * K * V), delta);
    if (typeof tail === 'string') {
      longRunReason = tail;
    } else {
      longRun = {};
      labels.forEach((l, v) => {
        const t = totalToM[l];
        const relationship = t.relationship + tail[v];
        const net = t.net + tail[v];
        longRun![l] = { relationship, propensity: t.propensity, net, interaction: net - relationship - t.propensity };
      });
    }
  }

  const transitionWithout = matrix(T[0].subarray(0, K * K), K, K);
  const transitionWith = matrix(T[1].subarray(0, K * K), K, K);
  const shares = (a: 0 | 1): number[][] => Array.from({ length: K }, (_, k) => Array.from({ length: H }, (_, h) => states[a][h * K + k]));
  const figures: Figures<number, number[]> = {
    relationship: {
      moves: transitionWithout.map((row, i) => ({ state: i + 1, without: moves(row, i), with: moves(transitionWith[i], i) })),
      longRunWithout: stationaryDistribution(K, T[0].subarray(0, K * K), startMix),
      longRunWith: stationaryDistribution(K, T[1].subarray(0, K * K), startMix),
    },
    propensity: { emissionWithout: matrix(E[0].subarray(0, K * V), K, V), emissionWith: matrix(E[1].subarray(0, K * V), K, V) },
    net: { scenarios, effects: netEffects },
    overTime: { expected, cumulative, effects, cumulativeEffects, stateShares: { without: shares(0), with: shares(1) } },
    longRun,
  };
  return {
    figures,
    longRunReason,
    lastLarge,
    endStates: [states[0].slice((M - 1) * K, M * K), states[1].slice((M - 1) * K, M * K)],
  };
}

/**
 * The period after which every per-period effect stays below LONG_RUN_TOLERANCE (point estimate
 * only): the last large period of the computed series, then the state difference propagated with
 * the settled matrix until its L1 norm (a bound on every later per-period effect, voice
 * probabilities being <= 1) is below the tolerance. undefined when that takes more than CONVERGENCE_CAP periods.
 */
export function convergedBy(K: number, probs: ScenarioProbabilities, result: FiguresResult, fromPeriod: number): number | undefined {
  const P = probs.transition.without.subarray((probs.horizon - 1) * K * K, probs.horizon * K * K);
  let d0 = Float64Array.from(result.endStates[0]);
  let d1 = Float64Array.from(result.endStates[1]);
  let n0 = new Float64Array(K);
  let n1 = new Float64Array(K);
  let last = result.lastLarge;
  for (let h = fromPeriod; h < fromPeriod + CONVERGENCE_CAP; h++) {
    let gap = 0;
    for (let k = 0; k < K; k++) gap += Math.abs(d1[k] - d0[k]);
    if (gap < LONG_RUN_TOLERANCE) return last;
    // Period h + 1: per-period effects there are bounded by the gap; count it as large until the bound clears.
    last = Math.max(last, h + 1);
    for (let j = 0; j < K; j++) {
      let a = 0;
      let b = 0;
      for (let i = 0; i < K; i++) {
        a += d0[i] * P[i * K + j];
        b += d1[i] * P[i * K + j];
      }
      n0[j] = a;
      n1[j] = b;
    }
    [d0, n0] = [n0, d0];
    [d1, n1] = [n1, d1];
  }
  return undefined;
}
