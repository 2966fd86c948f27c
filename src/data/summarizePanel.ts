import { nRows, nSeq, type Panel } from './panel.js';

export interface PanelSummary {
  customers: number;
  rows: number;
  /** Smallest and largest period number; periods per customer (min, mean, max). */
  periods: { first: number; last: number; perCustomer: { min: number; mean: number; max: number } };
  /** Rows per voice label, in label order, and rows with a missing voice. */
  voice: { label: string; count: number }[];
  missingVoice: number;
  /** Rows with intervention 1, and customers with at least one. */
  interventions: { rows: number; customers: number };
  covariates: { name: string; min: number; mean: number; max: number }[];
}

export function summarizePanel(panel: Panel): PanelSummary {
  const n = nRows(panel);
  const s = nSeq(panel);
  let first = Infinity;
  let last = -Infinity;
  let minLen = Infinity;
  let maxLen = 0;
  const iv = panel.columns.intervention;
  let ivRows = 0;
  let ivCust = 0;
  for (let i = 0; i < s; i++) {
    const a = panel.offsets[i];
    const b = panel.offsets[i + 1];
    minLen = Math.min(minLen, b - a);
    maxLen = Math.max(maxLen, b - a);
    if (b > a) {
      first = Math.min(first, panel.period[a]);
      last = Math.max(last, panel.period[b - 1]);
    }
    let any = false;
    for (let r = a; r < b; r++) {
      if (iv !== undefined && iv[r] !== 0) {
        ivRows++;
        any = true;
      }
    }
    if (any) ivCust++;
  }
  const counts = new Array<number>(panel.voiceLabels.length).fill(0);
  let missing = 0;
  for (let r = 0; r < n; r++) {
    const v = panel.voice[r];
    if (v < 0) missing++;
    else counts[v]++;
  }
  const covariates = Object.keys(panel.columns)
    .filter((c) => c !== 'intervention')
    .map((name) => {
      const x = panel.columns[name];
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (let r = 0; r < n; r++) {
        const v = x[r];
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
      }
      return { name, min, mean: n > 0 ? sum / n : NaN, max };
    });
  return {
    customers: s,
    rows: n,
    periods: { first, last, perCustomer: { min: s > 0 ? minLen : 0, mean: s > 0 ? n / s : 0, max: maxLen } },
    voice: panel.voiceLabels.map((label, k) => ({ label, count: counts[k] })),
    missingVoice: missing,
    interventions: { rows: ivRows, customers: ivCust },
    covariates,
  };
}

function num(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3 ? x.toExponential(3) : x.toFixed(3);
}

function pct(a: number, b: number): string {
  return b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '-';
}

/** The summary as aligned text lines (what `squeaky validate` prints). */
export function formatPanelSummary(s: PanelSummary, source?: string): string {
  const lines: string[] = [];
  if (source !== undefined) lines.push(`panel ${source}: OK`);
  lines.push(`customers      ${s.customers}`);
  lines.push(`rows           ${s.rows}`);
  lines.push(`periods        ${s.periods.first}..${s.periods.last}; per customer min ${s.periods.perCustomer.min}, mean ${num(s.periods.perCustomer.mean)}, max ${s.periods.perCustomer.max}`);
  lines.push('voice');
  const w = Math.max(7, ...s.voice.map((v) => v.label.length));
  for (const v of s.voice) lines.push(`  ${v.label.padEnd(w)}  ${String(v.count).padStart(10)}  ${pct(v.count, s.rows).padStart(6)}`);
  lines.push(`  ${'missing'.padEnd(w)}  ${String(s.missingVoice).padStart(10)}  ${pct(s.missingVoice, s.rows).padStart(6)}`);
  lines.push(`interventions  ${s.interventions.rows} rows (${pct(s.interventions.rows, s.rows)}), ${s.interventions.customers} customers (${pct(s.interventions.customers, s.customers)})`);
  if (s.covariates.length > 0) {
    lines.push('covariates');
    const cw = Math.max(4, ...s.covariates.map((c) => c.name.length));
    lines.push(`  ${'name'.padEnd(cw)}  ${'min'.padStart(10)}  ${'mean'.padStart(10)}  ${'max'.padStart(10)}`);
    for (const c of s.covariates) lines.push(`  ${c.name.padEnd(cw)}  ${num(c.min).padStart(10)}  ${num(c.mean).padStart(10)}  ${num(c.max).padStart(10)}`);
  }
  return lines.join('\n') + '\n';
}
