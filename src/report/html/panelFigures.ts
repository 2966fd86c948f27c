import type { Panel } from '../../data/panel.js';
import type { DecodedStates } from '../decodePanel.js';

/** At most this many calendar bins are plotted; longer period ranges are grouped into equal-width bins. */
export const MAX_PERIOD_BINS = 400;

/**
 * What the report plots from a panel, aggregated by calendar period so that the page's size does not
 * grow with the number of customers. Bin b covers periods first + b*width .. first + (b+1)*width - 1
 * (width 1 unless the period range exceeds MAX_PERIOD_BINS); bins without rows are left out.
 */
export interface PeriodAggregates {
  /** Bin width in periods (1 = one bin per period). */
  width: number;
  /** First period of each bin kept, ascending. */
  period: number[];
  /** Customer-period rows in each bin. */
  rows: number[];
  /** Observed voices per bin, [bin][voice index of voiceLabels]. */
  voiceCounts: number[][];
  /** Interventions per bin. */
  interventions: number[];
  /** Mean posterior state probabilities per bin, [bin][state]; absent without decoded states. */
  stateShares?: number[][];
}

export type TrajectoryRole = 'most complaining' | 'typical' | 'most intervened';

/** One customer's history with its decoded states, for the trajectory charts. */
export interface Trajectory {
  role: TrajectoryRole;
  customer: string;
  period: number[];
  /** Voice label per period, null when not observed. */
  voice: (string | null)[];
  intervention: number[];
  /** Most likely state path (Viterbi), 1-based. */
  state: number[];
  /** Posterior mean state number sum_k k * P(state k), 1-based scale. */
  meanState: number[];
  complaints: number;
  interventions: number;
}

export interface PanelFigures {
  voiceLabels: string[];
  aggregates: PeriodAggregates;
  trajectories: Trajectory[];
}

/** Per-period sums of the panel (and of the posterior when given). */
export function periodAggregates(panel: Panel, decoded?: DecodedStates): PeriodAggregates {
  const n = panel.voice.length;
  const V = panel.voiceLabels.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < n; r++) {
    if (panel.period[r] < lo) lo = panel.period[r];
    if (panel.period[r] > hi) hi = panel.period[r];
  }
  if (n === 0) return { width: 1, period: [], rows: [], voiceCounts: [], interventions: [] };
  const span = hi - lo + 1;
  const width = span <= MAX_PERIOD_BINS ? 1 : Math.ceil(span / MAX_PERIOD_BINS);
  const nBins = Math.ceil(span / width);
  const K = decoded?.nStates ?? 0;
  // Flat accumulators: rows [b], voice [b*V + v], interventions [b], posterior [b*K + k].
  const rows = new Float64Array(nBins);
  const voice = new Float64Array(nBins * V);
  const iv = new Float64Array(nBins);
  const post = new Float64Array(nBins * K);
  const ivCol = panel.columns.intervention;
  for (let r = 0; r < n; r++) {
    const b = Math.floor((panel.period[r] - lo) / width);
    rows[b]++;
    const v = panel.voice[r];
    if (v >= 0) voice[b * V + v]++;
    if (ivCol) iv[b] += ivCol[r];
    for (let k = 0; k < K; k++) post[b * K + k] += decoded!.posterior[r * K + k];
  }
  const out: PeriodAggregates = { width, period: [], rows: [], voiceCounts: [], interventions: [] };
  if (decoded) out.stateShares = [];
  for (let b = 0; b < nBins; b++) {
    if (rows[b] === 0) continue;
    out.period.push(lo + b * width);
    out.rows.push(rows[b]);
    out.voiceCounts.push(Array.from(voice.subarray(b * V, (b + 1) * V)));
    out.interventions.push(iv[b]);
    if (decoded) out.stateShares!.push(Array.from(post.subarray(b * K, (b + 1) * K), (x) => x / rows[b]));
  }
  return out;
}

interface CustomerCounts {
  complaints: number;
  interventions: number;
  length: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : 0;
}

/**
 * Customers to draw: the one with the most complaints, a typical one (complaints at the median
 * count and a history length nearest the median length) and the one with the most interventions;
 * ties go to the first customer in panel order, and a customer is drawn once.
 */
export function pickTrajectoryCustomers(panel: Panel): { role: TrajectoryRole; index: number }[] {
  const nSeq = panel.offsets.length - 1;
  if (nSeq === 0) return [];
  const complaint = panel.voiceLabels.indexOf('complaint');
  const iv = panel.columns.intervention;
  const counts: CustomerCounts[] = [];
  for (let i = 0; i < nSeq; i++) {
    const c: CustomerCounts = { complaints: 0, interventions: 0, length: panel.offsets[i + 1] - panel.offsets[i] };
    for (let r = panel.offsets[i]; r < panel.offsets[i + 1]; r++) {
      if (complaint >= 0 && panel.voice[r] === complaint) c.complaints++;
      if (iv) c.interventions += iv[r];
    }
    counts.push(c);
  }
  const taken = new Set<number>();
  const best = (score: (c: CustomerCounts) => number): number => {
    let bi = -1;
    for (let i = 0; i < nSeq; i++) if (!taken.has(i) && (bi < 0 || score(counts[i]) > score(counts[bi]))) bi = i;
    if (bi >= 0) taken.add(bi);
    return bi;
  };
  const medC = median(counts.map((c) => c.complaints));
  const medL = median(counts.map((c) => c.length));
  const picks: { role: TrajectoryRole; index: number }[] = [];
  const most = best((c) => c.complaints);
  const intervened = best((c) => c.interventions);
  const typical = best((c) => -(Math.abs(c.complaints - medC) * 1e6 + Math.abs(c.length - medL)));
  if (most >= 0) picks.push({ role: 'most complaining', index: most });
  if (typical >= 0) picks.push({ role: 'typical', index: typical });
  if (intervened >= 0) picks.push({ role: 'most intervened', index: intervened });
  return picks;
}

/** One customer's trajectory from the panel and its decoded states. */
export function trajectory(panel: Panel, decoded: DecodedStates, index: number, role: TrajectoryRole): Trajectory {
  const K = decoded.nStates;
  const iv = panel.columns.intervention;
  const t: Trajectory = { role, customer: panel.customers[index], period: [], voice: [], intervention: [], state: [], meanState: [], complaints: 0, interventions: 0 };
  for (let r = panel.offsets[index]; r < panel.offsets[index + 1]; r++) {
    const v = panel.voice[r];
    t.period.push(panel.period[r]);
    t.voice.push(v >= 0 ? panel.voiceLabels[v] : null);
    t.intervention.push(iv ? iv[r] : 0);
    t.state.push(decoded.viterbi[r] + 1);
    let m = 0;
    for (let k = 0; k < K; k++) m += (k + 1) * decoded.posterior[r * K + k];
    t.meanState.push(m);
    if (panel.voiceLabels[v] === 'complaint') t.complaints++;
    t.interventions += iv ? iv[r] : 0;
  }
  return t;
}

/** Everything the report draws from the panel: calendar aggregates and three customers' trajectories. */
export function panelFigures(panel: Panel, decoded: DecodedStates): PanelFigures {
  return {
    voiceLabels: [...panel.voiceLabels],
    aggregates: periodAggregates(panel, decoded),
    trajectories: pickTrajectoryCustomers(panel).map((p) => trajectory(panel, decoded, p.index, p.role)),
  };
}
