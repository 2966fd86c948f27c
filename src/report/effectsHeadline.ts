import type { ChannelEffect, ChannelName, EffectsReport, IntervalBounds } from './effectsTypes.js';
import { describePeriods } from './periodLength.js';

/** Voices the headline and the text tables speak of: complaint and compliment when present, else every voice. */
export function headlineVoices(r: Pick<EffectsReport, 'voiceLabels'>): string[] {
  const shown = ['complaint', 'compliment'].filter((l) => r.voiceLabels.includes(l));
  return shown.length ? shown : [...r.voiceLabels];
}

/** Signed with 3 decimals, '+' on non-negative values. */
export function signed(x: number, digits = 3): string {
  const s = x.toFixed(digits);
  return (s.startsWith('-') ? '' : '+') + s;
}

/** True when the interval includes zero: the data do not settle the sign. */
export function includesZero(b: IntervalBounds | undefined): boolean {
  return b !== undefined && Number.isFinite(b.low) && Number.isFinite(b.high) && b.low <= 0 && b.high >= 0;
}

/** " (95% interval -0.150 to +0.052: the data do not settle the sign)", or '' without an interval (or with a zero-width one). */
export function intervalWords(b: IntervalBounds | undefined, level = 0.95): string {
  // No interval without one, and none for a figure the model fixes (zero by construction: no uncertainty).
  if (!b || !Number.isFinite(b.low) || !Number.isFinite(b.high) || b.se === 0) return '';
  const pct = Math.round(level * 100);
  return ` (${pct}% interval ${signed(b.low)} to ${signed(b.high)}${includesZero(b) ? ': the data do not settle the sign' : ''})`;
}

/**
 * Thousandths of the channels, rounded so that the printed numbers add up exactly:
 * propensity + relationship + interaction = net, with interaction the remainder of the rounded
 * figures (0 when it is negligible at three decimals).
 */
export function roundedChannels(e: ChannelEffect): Record<ChannelName, number> {
  const relationship = Math.round(e.relationship * 1000);
  const propensity = Math.round(e.propensity * 1000);
  const net = Math.round(e.net * 1000);
  return { relationship, propensity, net, interaction: net - relationship - propensity };
}

function change(milli: number, noun: string): string {
  if (milli === 0) return `leave ${noun} unchanged`;
  return `${milli > 0 ? 'raise' : 'lower'} ${noun} by ${(Math.abs(milli) / 1000).toFixed(3)}`;
}

function milliSigned(milli: number): string {
  return (milli < 0 ? '-' : '+') + (Math.abs(milli) / 1000).toFixed(3);
}

/**
 * The plain-words sentences, per headline voice: the long-run total through each channel (with
 * the interaction when it is not negligible, so the numbers add up to the net), the net at the
 * horizon next to it, their intervals when the fit has a covariance, and the ratio of the channels
 * from the same decomposition. When there is no long-run total, the horizon's figures and why.
 */
export function headline(r: EffectsReport): string[] {
  const out: string[] = [];
  const level = r.intervals?.level ?? 0.95;
  const atHorizon = `over the next ${describePeriods(r.horizon, r.periodLength)}`;
  for (const l of headlineVoices(r)) {
    const long = r.longRun.effects?.[l];
    const e = long ?? r.net.effects[l];
    const iv = long ? r.intervals?.longRun?.[l] : r.intervals?.net.effects[l];
    const m = roundedChannels(e);
    const when = long ? 'In the long run' : `${atHorizon[0].toUpperCase()}${atHorizon.slice(1)}`;
    let s = `${when}, interventions ${change(m.propensity, `expected ${l}s`)} through propensity${intervalWords(iv?.propensity, level)}`;
    s += ` and ${change(m.relationship, 'them')} through relationship${intervalWords(iv?.relationship, level)}`;
    if (m.interaction !== 0) s += `; the two channels interact by ${milliSigned(m.interaction)}${intervalWords(iv?.interaction, level)}`;
    s += `: net ${milliSigned(m.net)}${intervalWords(iv?.net, level)} per customer who complained`;
    if (long) {
      const h = r.net.effects[l];
      s += `; ${atHorizon}, net ${signed(h.net)}${intervalWords(r.intervals?.net.effects[l]?.net, level)}`;
    }
    s += '.';
    if (Math.abs(e.relationship) >= 5e-4 && Math.abs(e.propensity) >= 5e-4) {
      const [big, small] = Math.abs(e.propensity) >= Math.abs(e.relationship) ? (['propensity', 'relationship'] as const) : (['relationship', 'propensity'] as const);
      const ratio = Math.abs(e[big]) / Math.abs(e[small]);
      s += ` The ${big} channel is ${ratio.toFixed(2)} times the size of the ${small} channel${Math.sign(e.propensity) !== Math.sign(e.relationship) ? ', in the opposite direction' : ''}.`;
    }
    out.push(s);
  }
  if (!r.longRun.exists && r.longRun.reason) out.push(`There is no long-run total: ${r.longRun.reason}.`);
  return out;
}
