import type { Figures } from './effectsTypes.js';

function mapRecord<A, B>(r: Record<string, A>, f: (a: A) => B): Record<string, B> {
  const out: Record<string, B> = {};
  for (const k of Object.keys(r)) out[k] = f(r[k]);
  return out;
}

/** A probability (in [0, 1]) or an expected count or difference of counts. */
export type FigureKind = 'probability' | 'count';

/**
 * The same figures with every single figure passed through `leaf` and every series through
 * `series`, visited in one fixed order. Flattening the figures into a vector (for the Jacobian)
 * and rebuilding intervals in their shape both go through this one walk, so the two cannot get
 * out of step.
 */
export function mapFigures<L, S>(fig: Figures<number, number[]>, leafOf: (x: number, kind: FigureKind) => L, seriesOf: (xs: number[], kind: FigureKind) => S): Figures<L, S> {
  const leaf = (x: number) => leafOf(x, 'probability');
  const series = (xs: number[]) => seriesOf(xs, 'probability');
  const count = (x: number) => leafOf(x, 'count');
  const counts = (xs: number[]) => seriesOf(xs, 'count');
  const moves3 = (m: { up: number; stay: number; down: number }) => ({ up: leaf(m.up), stay: leaf(m.stay), down: leaf(m.down) });
  const byVoice = <T, U>(r: Record<string, Record<string, T>>, f: (t: T) => U) => mapRecord(r, (inner) => mapRecord(inner, f));
  const r = fig.relationship;
  const o = fig.overTime;
  return {
    relationship: {
      moves: r.moves.map((m) => ({ state: m.state, without: moves3(m.without), with: moves3(m.with) })),
      longRunWithout: r.longRunWithout.map(leaf),
      longRunWith: r.longRunWith.map(leaf),
    },
    propensity: { emissionWithout: fig.propensity.emissionWithout.map((row) => row.map(leaf)), emissionWith: fig.propensity.emissionWith.map((row) => row.map(leaf)) },
    net: { scenarios: byVoice(fig.net.scenarios, count), effects: byVoice(fig.net.effects, count) },
    overTime: {
      // P(voice v in period h): a probability; sums over periods and differences are counts.
      expected: byVoice(o.expected, series),
      cumulative: byVoice(o.cumulative, counts),
      effects: byVoice(o.effects, counts),
      cumulativeEffects: byVoice(o.cumulativeEffects, counts),
      stateShares: { without: o.stateShares.without.map(series), with: o.stateShares.with.map(series) },
    },
    longRun: fig.longRun === undefined ? undefined : byVoice(fig.longRun, count),
  } as Figures<L, S>;
}

/** Every number of the figures in the walk's order. */
export function flattenFigures(fig: Figures<number, number[]>): Float64Array {
  const out: number[] = [];
  mapFigures(
    fig,
    (x) => out.push(x),
    (xs) => {
      for (const x of xs) out.push(x);
    },
  );
  return Float64Array.from(out);
}
