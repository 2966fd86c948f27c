/**
 * The policy projection as data: what `squeaky policy --format json` writes (and `--out` saves),
 * and what the HTML report reads. Plain JSON (numbers and strings; NaN is written as null and
 * means "not available").
 *
 * Measures (`measures`, the column order of every table): one per voice label (the expected number
 * of periods with that voice, summed over the panel's customers), `intervention` (expected
 * interventions spent), then `state1` .. `stateK` (the expected share of customers in each state).
 * Per period: the value in projected period h (perPeriod[h - 1][m]); totals: counts summed over
 * the H projected periods, shares in the last projected period.
 */
import type { PeriodLength } from '../effectsTypes.js';
import type { FirmPolicy } from './firmPolicy.js';
import type { ValueWeights } from './policySpec.js';
import type { ProjectFrom } from './projection.js';

export const POLICY_FORMAT = 'squeaky-policy';
export const POLICY_FORMAT_VERSION = 1;

/** Means over Monte Carlo paths (or exact values) with their Monte Carlo standard errors (0 when exact). */
export interface MeasureTable {
  /** [h][m]: projected period h + 1, measure m. */
  perPeriod: { mean: number[][]; se: number[][] };
  /** [m]: counts summed over the horizon, shares in the last period. */
  totals: { mean: number[]; se: number[] };
}

/** A figure with its 95% interval from parameter uncertainty (percentiles over parameter draws). */
export interface UncertainFigure {
  estimate: number;
  /** Monte Carlo standard error of the estimate. */
  mcSe: number;
  /** 95% interval over parameter draws (null when intervals are not available). */
  low: number | null;
  high: number | null;
}

export interface PolicyProjection {
  /** As on the command line: observed, all, none, rate:0.5, budget:20, state:1. */
  name: string;
  description: string;
  /** How the reported figures were computed. */
  method: 'monte-carlo' | 'exact';
  /** Monte Carlo paths behind the figures (for `exact`, the paths of the Monte Carlo check). */
  paths: number;
  /** Largest Monte Carlo standard error relative to its mean, over every reported mean (0 when exact). */
  maxRelativeSe: number;
  /** Whether maxRelativeSe is below the target (always true when exact). */
  targetMet: boolean;
  table: MeasureTable;
  /**
   * For policies also computed exactly: the largest |Monte Carlo - exact| / (Monte Carlo SE) over
   * every per-period and total figure, and the Monte Carlo table itself.
   */
  monteCarloCheck?: { maxAbsZ: number; table: MeasureTable };
  /** Totals with parameter-uncertainty intervals, one per measure. */
  totals: UncertainFigure[];
  /** Totals minus those of `observed`, with intervals; absent for `observed` itself. */
  difference?: UncertainFigure[];
  /** The value line (with --value): weights times totals. */
  value?: UncertainFigure;
  valueDifference?: UncertainFigure;
}

export interface PolicyReport {
  format: typeof POLICY_FORMAT;
  formatVersion: typeof POLICY_FORMAT_VERSION;
  /** squeaky version. */
  version: string;
  from: ProjectFrom;
  horizon: number;
  /** The panel's period length, when the fit knows it (panels made by `prepare`). */
  periodLength?: PeriodLength;
  customers: number;
  seed: number;
  nStates: number;
  voiceLabels: string[];
  measures: string[];
  /** The firm's estimated policy (the `observed` policy), with its coefficient table. */
  firmPolicy: FirmPolicy;
  monteCarlo: {
    /** Target of the adaptive path count: every reported mean's MC SE below this share of it. */
    targetRelativeSe: number;
    /** Paths per batch (each batch its own random streams). */
    batchPaths: number;
    maxPaths: number;
    /** Set when --paths fixed the number of paths (no adaptation). */
    fixedPaths: number | null;
  };
  intervals: {
    available: boolean;
    /** Where the parameter draws come from. */
    method: 'covariance' | 'bootstrap' | null;
    draws: number;
    /** Monte Carlo paths per policy and draw (their noise widens the intervals slightly). */
    pathsPerDraw: number;
    level: number;
    /** Why intervals are not available, or what they carry. */
    note: string;
  };
  policies: PolicyProjection[];
  /** With --value: the weights and the policies ranked by value (best first). */
  value?: { weights: ValueWeights; ranking: { policy: string; value: number; rank: number }[] };
  warnings: string[];
}

/** The report as JSON text (NaN and infinities as null). */
export function policyReportJson(r: PolicyReport): string {
  return JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
