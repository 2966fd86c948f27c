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
  it('says in plain words which way the propensity-free model errs', () => {
    const s = biasSentences({ complaint: -0.2, compliment: 0.3 }, { complaint: -0.5, compliment: 0.1 }, 30);
    expect(s[0]).toBe(
      'A model that ignores the squeaky wheel (no propensity channel) puts the value of an intervention at 0.500 fewer complaints and 0.100 more compliments over 30 periods; the full model at 0.200 fewer complaints and 0.300 more compliments.',
    );
    expect(s[1]).toMatch(/0\.300 lower \(better\) than the full model does: it overstates the value of intervening/);
    expect(biasSentences({ complaint: -0.5, compliment: 0 }, { complaint: 0.1, compliment: 0 }, 7)[1]).toMatch(/0\.600 higher \(worse\).*understates/);
  });
});
