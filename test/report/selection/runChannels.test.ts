import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../src/estimation/simulate.js';
import { UsageError } from '../../../src/errors.js';
import { runFitOnPanel } from '../../../src/report/runFit.js';
import { biasSentences, channelFormulas, runChannelsOnPanel } from '../../../src/report/selection/runChannels.js';
import { chiSquareSf } from '../../../src/estimation/inference/distributions.js';
import { TRUTH_SPEC, truthParameters } from '../../cli/fixtures.js';
import { assertClose } from '../../helpers/assert.js';
import { buildDist } from '../../helpers/runCli.js';

const panel = simulate(TRUTH_SPEC, truthParameters(), { customers: 80, periods: 15, policy: { afterComplaint: 0.6, otherwise: 0.05 }, seed: 4 }).panel;
const options = { states: 2, formulas: TRUTH_SPEC.formulas, sharedSlopes: true, starts: 2, seed: 3, se: 'none' as const };

describe('channelFormulas', () => {
  it('removes the intervention terms and refuses a formula without one, naming the option', () => {
    const cols = ['intervention', 'x'];
    const r = channelFormulas('~ stock(intervention, 0.8) + x', '~ lag(intervention)', cols);
    expect(r.emission.formula).toBe('~ x');
    expect(r.transition.formula).toBe('~ 1');
    expect(() => channelFormulas('~ x', '~ lag(intervention)', cols)).toThrow(/^--emission '~ x' has no term reading intervention/);
    expect(() => channelFormulas('~ lag(intervention)', '~ x', cols)).toThrow(UsageError);
    expect(() => channelFormulas('~ lag(intervention)', '~ x', cols)).toThrow(/^--transition/);
  });
});

describe('runChannelsOnPanel', () => {
  beforeAll(() => buildDist());

  it('fits the four models as fit does, tests each against the full model, and sets the naive net effect beside the full one', async () => {
    const r = await runChannelsOnPanel(panel, { ...options, threads: 2 });
    expect(r.fits.map((f) => f.model)).toEqual(['full', 'no-propensity', 'no-relationship', 'neither']);
    expect(r.fits.map((f) => f.formulas)).toEqual([
      { transition: '~ lag(intervention)', emission: '~ stock(intervention, 0.8)' },
      { transition: '~ lag(intervention)', emission: '~ 1' },
      { transition: '~ 1', emission: '~ stock(intervention, 0.8)' },
      { transition: '~ 1', emission: '~ 1' },
    ]);
    const naive = runFitOnPanel(panel, { ...options, formulas: { ...options.formulas, emission: '~ 1' } });
    expect(r.fits[1].logLik).toBe(naive.fit.logLik);
    const full = r.fits[0];
    for (const t of r.tests) {
      const f = r.fits.find((x) => x.model === t.restricted)!;
      expect(t.df).toBe(full.nParams - f.nParams);
      assertClose(t.statistic, Math.max(0, 2 * (full.logLik - f.logLik)), { atol: 1e-9 });
      assertClose(t.p, chiSquareSf(t.statistic, t.df), { atol: 1e-12 });
    }
    // shared slopes: 3 emission slopes (one per non-reference voice); 2 transition slopes (one per origin state)
    expect(r.tests.map((t) => t.df)).toEqual([3, 2, 5]);
    expect(r.netEffects.full!.complaint).toBe(full.run.effects!.net.effects.complaint.net);
    expect(r.netEffects['no-propensity']!.complaint).toBe(naive.effects!.net.effects.complaint.net);
    expect(r.netEffects.neither!.complaint).toBe(0); // no intervention term left: no effect
    expect(r.bias[0]).toMatch(/^A model that ignores the squeaky wheel \(no propensity channel\) puts the value of an intervention at [\d.]+ (fewer|more) complaints/);
    // the channel split is each model's own effects report, and the sentences read it
    const fe = full.run.effects!;
    expect(r.channelEffects.full!.complaint).toEqual({ relationship: fe.net.effects.complaint.relationship, propensity: fe.net.effects.complaint.propensity, net: fe.net.effects.complaint.net });
    expect(r.channelEffects.full!.longRun!.compliment.net).toBe(fe.longRun.effects!.compliment.net);
    expect(r.channelEffects['no-propensity']!.complaint.propensity).toBe(0);
    expect(r.channelEffects['no-propensity']!.complaint.relationship).toBe(naive.effects!.net.effects.complaint.relationship);
    expect(r.bias[1]).toContain(`the propensity-free model ${Math.abs(naive.effects!.net.effects.complaint.relationship).toFixed(3)}`);
    expect(r.bias[2]).toMatch(/^In the long run/);
    const text = r.table.notes.join('\n');
    expect(text).toMatch(/Removed from the emission formula \(propensity channel\): stock\(intervention, 0\.8\); from the transition formula \(relationship channel\): lag\(intervention\)/);
    // the same with one thread
    const one = await runChannelsOnPanel(panel, { ...options, threads: 1 });
    expect(one.fits.map((f) => f.logLik)).toEqual(r.fits.map((f) => f.logLik));
  });

  it('refuses one state (no transitions, no relationship channel), naming --states', async () => {
    await expect(runChannelsOnPanel(panel, { ...options, states: 1, threads: 1 })).rejects.toThrow(/^--states 1/);
  });
});

describe('biasSentences', () => {
  it('compares the relationship channels, says what the net figure on complaints mixes, and gives the long run', () => {
    const sp = (relationship: number, propensity: number) => ({ relationship, propensity, net: relationship + propensity });
    const full = { complaint: sp(-0.31, 0.28), compliment: sp(0.1, 0.03), longRun: { complaint: sp(-0.38, 0.28), compliment: sp(0.15, 0.03) } };
    const naive = { complaint: sp(-0.08, 0), compliment: sp(0.12, 0), longRun: { complaint: sp(-0.09, 0), compliment: sp(0.14, 0) } };
    const net = (c: typeof full) => ({ complaint: c.complaint.net, compliment: c.compliment.net });
    const s = biasSentences(net(full), net(naive), 30, { full, naive });
    expect(s).toHaveLength(3);
    expect(s[0]).toBe(
      'A model that ignores the squeaky wheel (no propensity channel) puts the value of an intervention at 0.080 fewer complaints and 0.120 more compliments over 30 periods; the full model at 0.030 fewer complaints and 0.130 more compliments.',
    );
    expect(s[1]).toBe(
      'Relationship channel (customers moved to better states): the full model 0.310 fewer complaints, the propensity-free model 0.080 fewer complaints: ignoring the squeaky wheel understates how far an intervention improves the relationship, by 0.230 complaints over 30 periods. ' +
        "The full model's net figure on complaints adds the propensity channel (customers readier to voice: 0.280 more complaints); the propensity-free model leaves it out, and its net figure on complaints lies 0.050 below (better than) the full model's.",
    );
    expect(s[2]).toBe(
      'In the long run (until the intervention\'s effects die out): the propensity-free model 0.090 fewer complaints and 0.140 more compliments, the full model 0.100 fewer complaints and 0.180 more compliments; relationship channel alone: the full model 0.380 fewer complaints, the propensity-free model 0.090 fewer complaints.',
    );
    // the other direction, and no long run
    const over = biasSentences(net(full), { complaint: -0.5, compliment: 0.1 }, 7, { full: { ...full, longRun: undefined }, naive: { complaint: sp(-0.5, 0), compliment: sp(0.1, 0) } });
    expect(over).toHaveLength(2);
    expect(over[1]).toMatch(/overstates how far an intervention improves the relationship, by 0\.190 complaints over 7 periods\..*lies 0\.470 below/);
  });

  it('says in plain words which way the propensity-free model errs', () => {
    const s = biasSentences({ complaint: -0.2, compliment: 0.3 }, { complaint: -0.5, compliment: 0.1 }, 30);
    expect(s[0]).toBe(
      'A model that ignores the squeaky wheel (no propensity channel) puts the value of an intervention at 0.500 fewer complaints and 0.100 more compliments over 30 periods; the full model at 0.200 fewer complaints and 0.300 more compliments.',
    );
    expect(s[1]).toMatch(/0\.300 lower \(better\) than the full model does: it overstates the value of intervening/);
    expect(biasSentences({ complaint: -0.5, compliment: 0 }, { complaint: 0.1, compliment: 0 }, 7)[1]).toMatch(/0\.600 higher \(worse\).*understates/);
  });
});
