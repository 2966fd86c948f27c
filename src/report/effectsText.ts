import { CHANNELS, type EffectsReport, type IntervalBounds } from './effectsTypes.js';
import { headlineVoices, signed } from './effectsHeadline.js';
import { describePeriods } from './periodLength.js';

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5) + '%';
}

/** "[ 3.1,  6.7]" in percent, or '' without an interval. */
function pctBounds(b: IntervalBounds | undefined): string {
  if (!b) return '';
  const f = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1).padStart(5) : '  n/a');
  return ` [${f(b.low)}, ${f(b.high)}]`;
}

function bounds(b: IntervalBounds | undefined): string {
  if (!b) return '';
  const f = (x: number) => (Number.isFinite(x) ? signed(x) : 'n/a');
  return `[${f(b.low)}, ${f(b.high)}]`;
}

/** Periods shown in the over-time tables: 1, 2, 3, 5, 7, 10, 14, 20, 30, 50, ... up to the horizon, and the horizon. */
export function shownPeriods(H: number): number[] {
  const out: number[] = [];
  for (let scale = 1; scale <= H; scale *= 10) for (const m of [1, 2, 3, 5, 7]) if (m * scale <= H && !(scale >= 10 && m === 1 && out.includes(scale))) out.push(m * scale);
  for (const x of [14, 140, 1400]) if (x <= H) out.push(x);
  const set = [...new Set([...out, H])].filter((x) => x >= 1 && x <= H).sort((a, b) => a - b);
  return set;
}

/**
 * The report as text: relationship channel, propensity channel, effects over time and in the long
 * run, the report's warnings (unless `warnings: false`, e.g. under a fit summary whose footer has them), headline.
 */
export function formatEffectsText(r: EffectsReport, options: { warnings?: boolean } = {}): string {
  const K = r.nStates;
  const iv = r.intervals;
  const lines: string[] = [];
  lines.push('Intervention effects');
  lines.push(`Hypothetical customer: complained in period 0; one intervention in period 0 vs none; no intervention afterwards; other covariates at their sample means.`);
  const where = r.complaintRows ? `state mix of customers in periods they complained (${r.complaintRows} complaint rows)` : 'average state mix over all rows (no complaint rows to condition on)';
  lines.push(`Start: ${where}: ` + r.startMix.map((p, k) => `state ${k + 1} ${pct(p).trim()}`).join(', '));
  if (r.periodLength) lines.push(`One period = ${describePeriods(1, r.periodLength).replace(/^1 period \((.*)\)$/, '$1')}.`);
  if (iv) {
    const how = iv.method === 'bootstrap' ? `percentiles over ${iv.replicates ?? 'the'} bootstrap replicates` : `delta method from the ${iv.covariance} covariance`;
    lines.push(`Intervals: ${Math.round(iv.level * 100)}% (${how}).`);
    for (const n of iv.notes) lines.push(`  note: ${n}`);
  }
  lines.push('');
  lines.push('Relationship channel (next period; state 1 = worst)');
  lines.push(`  state  move   ${'without intervention'.padEnd(iv ? 24 : 10)} with intervention`);
  const ivMoves = iv?.relationship.moves;
  for (const m of r.relationship.moves) {
    for (const mv of ['up', 'stay', 'down'] as const) {
      const w = `${pct(m.without[mv])}${pctBounds(ivMoves?.[m.state - 1].without[mv])}`;
      const x = `${pct(m.with[mv])}${pctBounds(ivMoves?.[m.state - 1].with[mv])}`;
      lines.push(`  ${(mv === 'up' ? String(m.state) : '').padEnd(5)}  ${mv.padEnd(5)}  ${w.padEnd(iv ? 24 : 10)} ${x}`);
    }
  }
  const shares = (xs: number[], b?: IntervalBounds[]) => xs.map((p, k) => `${k + 1}:${pct(p).trim()}${pctBounds(b?.[k]).replace(/\s+/g, '')}`).join('  ');
  lines.push('  long-run share of customers in each state');
  lines.push(`    ${'with no interventions:'.padEnd(35)} ${shares(r.relationship.longRunWithout, iv?.relationship.longRunWithout)}`);
  lines.push(`    ${'with an intervention every period:'.padEnd(35)} ${shares(r.relationship.longRunWith, iv?.relationship.longRunWith)}`);
  lines.push('    (after one intervention, customers drift back to the no-intervention shares; the path is in effects.json, overTime.stateShares)');
  lines.push('');
  const voices = headlineVoices(r);
  lines.push('Propensity channel (voice probability next period, without -> with the intervention)');
  lines.push('  state  ' + voices.map((l) => l.padEnd(iv ? 48 : 20)).join(''));
  for (let k = 0; k < K; k++) {
    const cells = voices.map((l) => {
      const v = r.voiceLabels.indexOf(l);
      const a = `${pct(r.propensity.emissionWithout[k][v])}${pctBounds(iv?.propensity.emissionWithout[k][v])}`;
      const b = `${pct(r.propensity.emissionWith[k][v])}${pctBounds(iv?.propensity.emissionWith[k][v])}`;
      return `${a} -> ${b}`.padEnd(iv ? 48 : 20);
    });
    lines.push(`  ${String(k + 1).padEnd(5)}  ${cells.join('')}`);
  }
  const periods = shownPeriods(r.horizon);
  for (const l of voices) {
    lines.push('');
    lines.push(`Net effect on expected ${l}s per customer, cumulative over periods 1..h (h = 1 is the period after the complaint)`);
    lines.push(`  ${'h'.padStart(9)} ${'no interv.'.padStart(11)} ${'relationship'.padStart(13)} ${'propensity'.padStart(11)} ${'interaction'.padStart(12)} ${'net'.padStart(8)}${iv ? '   95% interval of net' : ''}`);
    const c = r.overTime.cumulativeEffects[l];
    for (const h of periods) {
      const i = h - 1;
      const b = iv ? `   ${bounds({ low: iv.overTime.cumulativeEffects[l].net.low[i], high: iv.overTime.cumulativeEffects[l].net.high[i], se: iv.overTime.cumulativeEffects[l].net.se[i] })}` : '';
      lines.push(
        `  ${String(h).padStart(9)} ${r.overTime.cumulative.none[l][i].toFixed(3).padStart(11)} ${signed(c.relationship[i]).padStart(13)} ${signed(c.propensity[i]).padStart(11)} ${signed(c.interaction[i]).padStart(12)} ${signed(c.net[i]).padStart(8)}${b}`,
      );
    }
    const lr = r.longRun.effects?.[l];
    if (lr) {
      const b = iv?.longRun ? `   ${bounds(iv.longRun[l].net)}` : '';
      lines.push(`  ${'long run'.padStart(9)} ${''.padStart(11)} ${signed(lr.relationship).padStart(13)} ${signed(lr.propensity).padStart(11)} ${signed(lr.interaction).padStart(12)} ${signed(lr.net).padStart(8)}${b}`);
    }
    if (iv) {
      const row = (label: string, b: Record<string, IntervalBounds> | undefined) =>
        b ? `  ${label.padEnd(16)} ${CHANNELS.map((ch) => `${ch} ${bounds(b[ch])}`).join('  ')}` : undefined;
      const rows = [row(`95% at h = ${r.horizon}:`, iv.net.effects[l]), row('95% long run:', iv.longRun?.[l])].filter((x): x is string => x !== undefined);
      lines.push(...rows);
    }
  }
  lines.push('');
  if (r.longRun.exists) {
    lines.push(
      `Long run: the sum over every later period (series summed exactly to period ${r.longRun.settledAfter}, the rest in closed form)` +
        (r.longRun.convergedBy !== undefined ? `; every per-period effect is below ${r.longRun.tolerance} after period ${r.longRun.convergedBy}.` : '.'),
    );
  } else {
    lines.push(`Long run: not available (${r.longRun.reason}).`);
  }
  lines.push(`Horizon (--horizon): ${describePeriods(r.horizon, r.periodLength)}.`);
  if (r.warnings.length && options.warnings !== false) lines.push('', 'Warnings', ...r.warnings.map((w, i) => `${i + 1}. ${w}`));
  if (r.summary.length) lines.push('', ...r.summary);
  return lines.map((l) => l.trimEnd()).join('\n') + '\n';
}
