/**
 * The in-memory panel of DESIGN.md: columnar and typed, customers in CSR layout.
 * Rows are sorted by customer (in first-appearance order of the file unless stated) then period.
 * The CSV readers (readPanel, prepareEvents) sort customers by id: numerically when every id is
 * an integer, else by string, so that the order of rows in a file does not matter.
 */
export interface Panel {
  /** Customer ids, one per sequence, kept once. */
  customers: string[];
  /** Rows of customer i are offsets[i] .. offsets[i+1]-1. Length nSeq+1. */
  offsets: Int32Array;
  /** Period number per row (integer, strictly increasing within a customer, no gaps). */
  period: Int32Array;
  /** Voice category index per row into `voiceLabels`; -1 = missing observation. */
  voice: Int32Array;
  /** Voice category labels, lower case, in index order (e.g. complaint, compliment, neutral, silent). */
  voiceLabels: string[];
  /**
   * Numeric columns by name, one Float64Array of length nRows each. Always contains
   * `intervention` (0/1). Covariates keep their CSV header names.
   */
  columns: Record<string, Float64Array>;
  /** Where the panel was read from (for messages); undefined when built in memory. */
  source?: string;
}

export function nRows(p: Panel): number {
  return p.offsets[p.offsets.length - 1];
}

export function nSeq(p: Panel): number {
  return p.offsets.length - 1;
}

/** Default voice labels, in their default index order. */
export const DEFAULT_VOICE_LABELS = ['complaint', 'compliment', 'neutral', 'silent'] as const;

/**
 * A fresh `columns` record without a prototype, so that any header name (`__proto__`,
 * `constructor`, `toString`) is an ordinary key: assigned, listed and looked up like any other.
 */
export function columnRecord<T = Float64Array>(init: Record<string, T> = {}): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [k, v] of Object.entries(init)) out[k] = v;
  return out;
}
