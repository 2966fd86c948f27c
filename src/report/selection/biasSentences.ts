/**
 * The naive-model bias of `squeaky channels` in plain words: the propensity-free model's effect of
 * one intervention next to the full model's, over the horizon, by channel, and in the long run.
 *
 * Why by channel: the propensity-free model has only the relationship channel, so its net figure is
 * a relationship figure; the full model's net figure is the relationship channel plus the
 * propensity channel (customers readier to voice, which adds complaints). The squeaky-wheel bias
 * the literature describes is in the relationship channel: complaints that follow an intervention
 * because of the propensity channel are read by the propensity-free model as customers in worse
 * states, so it understates how far an intervention improves the relationship. Its net figure on
 * complaints can still lie below the full model's (it also leaves out the propensity channel's
 * extra complaints), so the net comparison alone does not show the bias.
 */
import type { EffectsReport } from '../effectsTypes.js';

export interface NetEffect {
  complaint: number;
  compliment: number;
}

/** One voice's effect of one intervention, by channel. */
export interface ChannelSplit {
  relationship: number;
  propensity: number;
  net: number;
}

/** A model's effects on complaints and compliments over the horizon, and in the long run when it exists. */
export interface ChannelEffects {
  complaint: ChannelSplit;
  compliment: ChannelSplit;
  longRun?: { complaint: ChannelSplit; compliment: ChannelSplit };
}

const split = (e: { relationship: number; propensity: number; net: number } | undefined): ChannelSplit => ({
  relationship: e?.relationship ?? NaN,
  propensity: e?.propensity ?? NaN,
  net: e?.net ?? NaN,
});

/** The channel figures of an effects report. */
export function channelEffectsOf(e: EffectsReport): ChannelEffects {
  const out: ChannelEffects = { complaint: split(e.net.effects.complaint), compliment: split(e.net.effects.compliment) };
  if (e.longRun.exists && e.longRun.effects) out.longRun = { complaint: split(e.longRun.effects.complaint), compliment: split(e.longRun.effects.compliment) };
  return out;
}

function amount(x: number, noun: string): string {
  if (!Number.isFinite(x)) return `an unknown number of ${noun}s`;
  return `${Math.abs(x).toFixed(3)} ${x <= 0 ? 'fewer' : 'more'} ${noun}s`;
}
const both = (e: NetEffect) => `${amount(e.complaint, 'complaint')} and ${amount(e.compliment, 'compliment')}`;

/**
 * Plain-words comparison of the propensity-free model's effects with the full model's: the net
 * figures over the horizon; with `channels` (both models' channel figures), the relationship
 * channel (where the naive-model bias lies), what the net figure on complaints mixes, and the long run.
 */
export function biasSentences(full: NetEffect, naive: NetEffect, horizon: number, channels?: { full: ChannelEffects; naive: ChannelEffects }): string[] {
  const out = [
    `A model that ignores the squeaky wheel (no propensity channel) puts the value of an intervention at ${both(naive)} over ${horizon} periods; the full model at ${both(full)}.`,
  ];
  const d = naive.complaint - full.complaint;
  if (!channels) {
    if (Number.isFinite(d) && d !== 0) {
      out.push(
        `Ignoring the propensity channel puts the intervention's effect on expected complaints ${Math.abs(d).toFixed(3)} ${d > 0 ? 'higher (worse)' : 'lower (better)'} ` +
          `than the full model does: it ${d > 0 ? 'understates' : 'overstates'} the value of intervening.`,
      );
    }
    return out;
  }
  const f = channels.full.complaint;
  const n = channels.naive.complaint;
  const r = n.relationship - f.relationship;
  if (Number.isFinite(r) && Number.isFinite(f.propensity)) {
    out.push(
      `Relationship channel (customers moved to better states): the full model ${amount(f.relationship, 'complaint')}, the propensity-free model ${amount(n.relationship, 'complaint')}` +
        (r === 0 ? '.' : `: ignoring the squeaky wheel ${r > 0 ? 'understates' : 'overstates'} how far an intervention improves the relationship, by ${Math.abs(r).toFixed(3)} complaints over ${horizon} periods.`) +
        ` The full model's net figure on complaints adds the propensity channel (customers readier to voice: ${amount(f.propensity, 'complaint')}); the propensity-free model leaves it out` +
        (Number.isFinite(d) && d !== 0 ? `, and its net figure on complaints lies ${Math.abs(d).toFixed(3)} ${d > 0 ? 'above (worse than)' : 'below (better than)'} the full model's.` : '.'),
    );
  }
  const fl = channels.full.longRun;
  const nl = channels.naive.longRun;
  if (fl && nl) {
    const net = (s: { complaint: ChannelSplit; compliment: ChannelSplit }): NetEffect => ({ complaint: s.complaint.net, compliment: s.compliment.net });
    out.push(
      `In the long run (until the intervention's effects die out): the propensity-free model ${both(net(nl))}, the full model ${both(net(fl))}; ` +
        `relationship channel alone: the full model ${amount(fl.complaint.relationship, 'complaint')}, the propensity-free model ${amount(nl.complaint.relationship, 'complaint')}.`,
    );
  }
  return out;
}
