/**
 * The policy projection as text: the firm's observed policy (coefficient table), totals of every
 * policy with their Monte Carlo standard errors, differences from `observed` with 95% intervals,
 * the value ranking, a per-period table per policy, and a numbered warnings footer.
 */
import { describePeriods } from '../periodLength.js';
import type { FirmPolicy } from './firmPolicy.js';
import type { MeasureTable, PolicyReport, UncertainFigure } from './policyReport.js';

function pad(s: string, w: number, left = false): string {
  return left ? s.padEnd(w) : s.padStart(w);
}

function num(x: number | null | undefined, digits: number, sign = false): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const s = x.toFixed(digits);
  return sign && x >= 0 ? `+${s}` : s;
}

function pValue(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** Decimals of a measure: counts 1, shares 3. */
function digitsOf(report: PolicyReport, m: number): number {
  return m > report.voiceLabels.length ? 3 : 1;
}

export function formatFirmPolicy(f: FirmPolicy): string {
  const lines = [`The firm's observed policy: logit of an intervention on this period's voice and the customer's history`, `(${f.rows} customer-periods, ${f.interventions} interventions, log-likelihood ${f.logLik.toFixed(2)})`];
  const w = Math.max(12, ...f.names.map((n) => n.length)) + 2;
  lines.push(`  ${pad('term', w, true)}${pad('estimate', 10)}${pad('std. error', 12)}${pad('z', 9)}${pad('p', 9)}   95% interval`);
  f.names.forEach((n, j) => {
    lines.push(`  ${pad(n, w, true)}${pad(num(f.estimate[j], 3), 10)}${pad(num(f.se[j], 3), 12)}${pad(num(f.z[j], 2), 9)}${pad(pValue(f.p[j]), 9)}   ${Number.isFinite(f.se[j]) ? `[${num(f.low[j], 3)}, ${num(f.high[j], 3)}]` : 'n/a'}`);
  });
  return lines.join('\n') + '\n';
}

function figureCell(f: UncertainFigure, digits: number, sign: boolean): string {
  const e = num(f.estimate, digits, sign);
  return f.low === null || f.high === null ? e : `${e} [${num(f.low, digits, sign)}, ${num(f.high, digits, sign)}]`;
}

function measureHeader(report: PolicyReport, w: number, first: string, firstW: number): string {
  return `  ${pad(first, firstW, true)}${report.measures.map((m) => pad(m, w)).join('')}`;
}

function perPeriodTable(report: PolicyReport, t: MeasureTable): string[] {
  const w = 18;
  const lines = [measureHeader(report, w, 'period', 8)];
  t.perPeriod.mean.forEach((row, h) => {
    const cells = row.map((x, m) => {
      const d = digitsOf(report, m);
      const se = t.perPeriod.se[h][m];
      return pad(`${num(x, d)} (${num(se, d + 1)})`, w);
    });
    lines.push(`  ${pad(String(h + 1), 8, true)}${cells.join('')}`);
  });
  return lines;
}

export function formatPolicyText(report: PolicyReport): string {
  const out: string[] = [];
  const { horizon: H, customers: N } = report;
  out.push(
    `Policy projection: ${N} customers, ${describePeriods(H, report.periodLength)} from ${report.from === 'end' ? "the end of the panel (each customer's filtered state distribution in their last period)" : "each customer's first period (the initial model's state distribution)"}; seed ${report.seed}`,
    '',
  );
  out.push(formatFirmPolicy(report.firmPolicy));
  const nameW = Math.max(10, ...report.policies.map((p) => p.name.length)) + 2;
  const w = 13;
  out.push(`Totals over ${H} periods, summed over the customers (states: share of customers in period ${H}); Monte Carlo SE in parentheses`);
  out.push(`${measureHeader(report, w, 'policy', nameW)}${pad('paths', 8)}  method`);
  for (const p of report.policies) {
    const t = p.table.totals;
    out.push(`  ${pad(p.name, nameW, true)}${t.mean.map((x, m) => pad(num(x, digitsOf(report, m)), w)).join('')}${pad(String(p.paths), 8)}  ${p.method === 'exact' ? 'exact propagation' : 'Monte Carlo'}`);
    out.push(`  ${pad('', nameW, true)}${t.se.map((x, m) => pad(`(${num(x, digitsOf(report, m) + 1)})`, w)).join('')}`);
  }
  out.push('');
  out.push('Policies:');
  for (const p of report.policies) {
    const mc = p.method === 'exact'
      ? `exact; its Monte Carlo check (${p.paths} paths) is within ${num(p.monteCarloCheck?.maxAbsZ, 2)} MC SE of it`
      : `${p.paths} paths, largest MC SE ${num(100 * p.maxRelativeSe, 2)}% of its mean${p.targetMet ? '' : ' (above the target)'}`;
    out.push(`  ${pad(p.name, nameW, true)}${p.description} (${mc})`);
  }
  out.push('');
  out.push(`Difference from observed over ${H} periods${report.intervals.available ? ', with 95% intervals from parameter uncertainty' : ''}`);
  if (!report.intervals.available) out.push(`  (${report.intervals.note})`);
  const dw = report.intervals.available ? 28 : 13;
  out.push(measureHeader(report, dw, 'policy', nameW));
  for (const p of report.policies.slice(1)) {
    out.push(`  ${pad(p.name, nameW, true)}${(p.difference ?? []).map((f, m) => pad(figureCell(f, digitsOf(report, m), true), dw)).join('')}`);
  }
  if (report.intervals.available) out.push(`  ${report.intervals.note}`);
  out.push('');
  if (report.value) {
    const wts = report.value.weights;
    const parts = [...Object.entries(wts.voice).map(([k, v]) => `${k}=${v}`), `intervention=${wts.intervention}`];
    out.push(`Value (${parts.join(', ')}) over ${H} periods, best first`);
    for (const r of report.value.ranking) {
      const p = report.policies.find((q) => q.name === r.policy)!;
      const diff = p.valueDifference ? `   difference from observed ${figureCell(p.valueDifference, 1, true)}` : '';
      out.push(`  ${r.rank}. ${pad(p.name, nameW, true)}${pad(figureCell(p.value!, 1, false), 28)} (MC SE ${num(p.value!.mcSe, 2)})${diff}`);
    }
    out.push('');
  }
  for (const p of report.policies) {
    out.push(`Per period: ${p.name} (${p.description}); Monte Carlo SE in parentheses${p.method === 'exact' ? ' (exact: 0)' : ''}`);
    out.push(...perPeriodTable(report, p.table), '');
  }
  if (report.warnings.length) {
    out.push('Warnings:');
    report.warnings.forEach((w, i) => out.push(`  ${i + 1}. ${w}`));
  } else out.push('Warnings: none');
  return out.join('\n') + '\n';
}
