import { describe, expect, it } from 'vitest';
import { channelTotalsChart, longRunChart, transitionChart, voiceByStateChart } from '../../../src/report/html/stateCharts.js';
import { startTracesChart } from '../../../src/report/html/fitCharts.js';
import { channelsCumulativeChart, channelsPerPeriodChart } from '../../../src/report/html/channelCharts.js';
import type { ChannelName, ScenarioName } from '../../../src/report/effectsTypes.js';
import { interventionsChart, voiceSharesChart, voiceTotalsChart } from '../../../src/report/html/dataCharts.js';
import { stateSharesChart, trajectoryChart } from '../../../src/report/html/panelCharts.js';
import { periodAggregates, panelFigures } from '../../../src/report/html/panelFigures.js';
import { reportCharts } from '../../../src/report/html/buildReport.js';
import { periodTitle, type ChartFigure } from '../../../src/report/html/chartStyle.js';
import { decodePanel } from '../../../src/report/decodePanel.js';
import { posterior } from '../../../src/estimation/fit.js';
import { assertClose } from '../../helpers/assert.js';
import { fixedEffects, fixedFit, smallFit } from './fixtures.js';

type Row = Record<string, number | string>;
const values = (c: ChartFigure): Row[] => (c.spec as unknown as { data: { values: Row[] } }).data.values;

/** x and y encodings with a field, anywhere in the spec (layers, facets). */
function positional(spec: unknown, out: { channel: string; title?: unknown }[] = []): { channel: string; title?: unknown }[] {
  if (spec && typeof spec === 'object') {
    for (const [k, v] of Object.entries(spec as Record<string, unknown>)) {
      if ((k === 'x' || k === 'y') && v && typeof v === 'object' && 'field' in v) out.push({ channel: k, title: (v as { title?: unknown }).title });
      else positional(v, out);
    }
  }
  return out;
}

/** Every chart has a title, a description for screen readers, and a titled x and y axis. */
function checkLabelled(c: ChartFigure): void {
  expect(c.title.length, c.name).toBeGreaterThan(5);
  expect(c.description.length, c.name).toBeGreaterThan(20);
  expect((c.spec as unknown as Record<string, unknown>).description).toBe(c.description);
  const enc = positional(c.spec);
  for (const ch of ['x', 'y']) expect(enc.some((e) => e.channel === ch && typeof e.title === 'string' && e.title.length > 0), `${c.name}: titled ${ch} axis`).toBe(true);
}

describe('state chart specifications', () => {
  const e = fixedEffects(10);

  it('transition heatmaps hold the next-period matrices without and with the intervention', () => {
    const c = transitionChart(e);
    const v = values(c);
    expect(v).toHaveLength(2 * e.nStates * e.nStates);
    for (const row of v) {
      const i = Number(String(row.from).split(' ')[1]) - 1;
      const j = Number(String(row.to).split(' ')[1]) - 1;
      const m = row.scenario === 'with intervention' ? e.relationship.transitionWith : e.relationship.transitionWithout;
      assertClose(row.p as number, m[i][j], { atol: 1e-6 }, `${row.scenario} ${i}->${j}`);
    }
    checkLabelled(c);
  });

  it('voice bars hold the emission probabilities of every state and voice', () => {
    const c = voiceByStateChart(e);
    const v = values(c);
    expect(v).toHaveLength(2 * e.nStates * e.voiceLabels.length);
    for (const row of v) {
      const k = Number(String(row.state).split(' ')[1]) - 1;
      const m = row.scenario === 'with intervention' ? e.propensity.emissionWith : e.propensity.emissionWithout;
      assertClose(row.p as number, m[k][e.voiceLabels.indexOf(String(row.voice))], { atol: 1e-6 });
    }
    // The intervention's effect on voice is visible: the complaint probabilities differ.
    const complaint = v.filter((r) => r.voice === 'complaint' && r.state === 'state 1');
    expect(complaint[0].p).not.toBe(complaint[1].p);
  });

  it('long-run bars hold the stationary shares, which sum to 1 in each scenario', () => {
    const v = values(longRunChart(e));
    const without = v.filter((r) => r.scenario === 'without intervention').map((r) => r.share as number);
    const withIv = v.filter((r) => r.scenario === 'with intervention').map((r) => r.share as number);
    assertClose(without, e.relationship.longRunWithout, { atol: 1e-6 });
    assertClose(withIv, e.relationship.longRunWith, { atol: 1e-6 });
    assertClose(without.reduce((s, x) => s + x, 0), 1, { atol: 1e-5 });
  });

  it('channel bars hold the effects report, and net = relationship + propensity + interaction', () => {
    const v = values(channelTotalsChart(e));
    for (const l of ['complaint', 'compliment']) {
      const get = (part: string) => v.find((r) => r.voice === l && r.part === part)!.change as number;
      for (const part of ['relationship', 'propensity', 'interaction', 'net'] as const) assertClose(get(part), e.net.effects[l][part], { atol: 1e-6 });
      assertClose(get('net'), get('relationship') + get('propensity') + get('interaction'), { atol: 3e-6 });
    }
  });

  it('channels over time hold the expected counts per period of every scenario and the cumulative effects', () => {
    const per = values(channelsPerPeriodChart(e, {}));
    const names: Record<string, ScenarioName> = { 'no intervention': 'none', 'with intervention (both channels)': 'both', 'relationship channel alone': 'relationshipOnly', 'propensity channel alone': 'propensityOnly' };
    expect(per).toHaveLength(2 * 4 * e.horizon);
    for (const r of per) assertClose(r.value as number, e.overTime.expected[names[r.series as string]][r.voice as string][(r.h as number) - 1], { atol: 1e-6 });
    const cum = values(channelsCumulativeChart(e, {}));
    expect(cum).toHaveLength(2 * 4 * e.horizon);
    for (const r of cum) assertClose(r.value as number, e.overTime.cumulativeEffects[r.voice as string][r.series as ChannelName][(r.h as number) - 1], { atol: 1e-6 });
    // The last cumulative point is the effect over the horizon the table and headline quote.
    for (const l of ['complaint', 'compliment']) {
      const last = cum.find((r) => r.voice === l && r.series === 'net' && r.h === e.horizon)!;
      assertClose(last.value as number, e.net.effects[l].net, { atol: 1e-6 });
    }
    // No covariance, no interval bands.
    expect(per.some((r) => 'low' in r)).toBe(false);
  });

  it('channels over time draw interval bands when the report has intervals', () => {
    const withIv = structuredClone(e);
    const series = (xs: number[]) => ({ low: xs.map((x) => x - 0.01), high: xs.map((x) => x + 0.01), se: xs.map(() => 0.005) });
    const cumulativeEffects: Record<string, Record<ChannelName, ReturnType<typeof series>>> = {};
    for (const l of e.voiceLabels) cumulativeEffects[l] = Object.fromEntries((['relationship', 'propensity', 'net', 'interaction'] as const).map((c) => [c, series(e.overTime.cumulativeEffects[l][c])])) as Record<ChannelName, ReturnType<typeof series>>;
    withIv.intervals = { method: 'delta', level: 0.95, covariance: 'observed', notes: [], overTime: { cumulativeEffects } } as unknown as NonNullable<typeof e.intervals>;
    const c = channelsCumulativeChart(withIv, {});
    const v = values(c);
    expect(v.every((r) => typeof r.low === 'number' && (r.low as number) < (r.value as number) && (r.high as number) > (r.value as number))).toBe(true);
    expect(JSON.stringify(c.spec)).toContain('"type":"area"');
    expect(c.description).toContain('95% interval bands');
  });

  it('match their golden JSON (a change to a chart is deliberate)', async () => {
    for (const c of [transitionChart(e), voiceByStateChart(e), longRunChart(e), channelTotalsChart(e), channelsPerPeriodChart(e, { periodLength: 'day' }), channelsCumulativeChart(e, { periodLength: 'day' })]) {
      await expect(JSON.stringify(c.spec, null, 2) + '\n').toMatchFileSnapshot(`golden/${c.name}.vl.json`);
    }
  });
});

describe('fit chart specifications', () => {
  it("draw every start's trace, and a start saved without one as its last point", () => {
    const fit = fixedFit();
    const c = startTracesChart(fit);
    const v = values(c);
    const of = (s: number) => v.filter((r) => String(r.start).startsWith(`start ${s} `));
    // The axis starts 25% of the spread of the ends (-1000 to -1040) below the worst end: -1050.
    // Earlier points (start 1 at -1100, start 2 at -1300 and -1100) are left out, the rest drawn.
    expect(of(1).map((r) => r.logLik)).toEqual(fit.starts[0].history!.slice(1));
    expect(of(1).map((r) => r.iteration)).toEqual([1, 2, 3, 4]);
    expect(of(1)[0].start).toContain('kept');
    expect(of(2).map((r) => r.logLik)).toEqual([-1040]);
    expect(of(3)).toEqual([{ start: 'start 3 (random)', iteration: 2, logLik: -1020 }]);
    expect(JSON.stringify(c.spec)).toContain('early iterations below');
    checkLabelled(c);
    expect(c.description).toContain('start 2 ended at -1040.00');
  });

  it('of a real fit: the kept start ends at the fit log-likelihood', () => {
    const { fit } = smallFit();
    const v = values(startTracesChart(fit));
    const kept = v.filter((r) => String(r.start).includes('kept'));
    expect(kept.length).toBe(fit.history.length);
    assertClose(kept[kept.length - 1].logLik as number, fit.logLik, { atol: 1e-9 });
    expect(new Set(v.map((r) => r.start)).size).toBe(fit.starts.length);
  });

  it('voice totals come from the fit alone', () => {
    const fit = fixedFit();
    const v = values(voiceTotalsChart(fit.data, fit.spec.voiceLabels));
    expect(v).toEqual(fit.spec.voiceLabels.map((l) => ({ voice: l, count: fit.data.voiceCounts[l] })));
  });
});

describe('panel chart specifications', () => {
  const { fit, panel } = smallFit();
  const decoded = decodePanel(fit, panel);
  const figs = panelFigures(panel, decoded);
  const unit = { periodLength: 'week' };

  it('state shares are the mean posterior of the rows of each period (recomputed from posterior())', () => {
    const post = posterior(panel, fit.spec, fit.parameters);
    const c = stateSharesChart(figs.aggregates, 2, unit);
    const v = values(c);
    for (const p of [panel.period[0], panel.period[panel.period.length - 1]]) {
      let n = 0;
      let s1 = 0;
      for (let r = 0; r < panel.period.length; r++) {
        if (panel.period[r] !== p) continue;
        n++;
        s1 += post[r * 2];
      }
      assertClose(v.find((r) => r.period === p && r.state === 'state 1')!.share as number, s1 / n, { atol: 1e-6 });
    }
    const byPeriod = new Map<number, number>();
    for (const r of v) byPeriod.set(r.period as number, (byPeriod.get(r.period as number) ?? 0) + (r.share as number));
    for (const s of byPeriod.values()) assertClose(s, 1, { atol: 1e-5 });
    expect(JSON.stringify(c.spec)).toContain(periodTitle(unit));
    checkLabelled(c);
  });

  it('voice shares sum to 1 per period and interventions to the panel total', () => {
    const a = periodAggregates(panel);
    const v = values(voiceSharesChart(a, panel.voiceLabels, unit));
    const sums = new Map<number, number>();
    for (const r of v) sums.set(r.period as number, (sums.get(r.period as number) ?? 0) + (r.share as number));
    for (const s of sums.values()) assertClose(s, 1, { atol: 1e-5 });
    const iv = values(interventionsChart(a, unit));
    expect(iv.reduce((s, r) => s + (r.interventions as number), 0)).toBe(fit.data.interventions);
  });

  it('trajectory charts mark every complaint and intervention of the customer', () => {
    const t = figs.trajectories[0];
    const c = trajectoryChart(t, 2, panel.voiceLabels, unit, 0);
    const layers = (c.spec as unknown as { layer: { data: { values: Row[] } }[] }).layer;
    expect(layers[0].data.values.map((r) => r.state)).toEqual(t.state);
    expect(layers[2].data.values.filter((r) => r.voice === 'complaint')).toHaveLength(t.complaints);
    expect(layers[3].data.values).toHaveLength(t.interventions);
    expect(c.title).toContain(t.customer);
  });

  it('the report draws every chart once, with unique names', () => {
    const charts = reportCharts(fit, fixedEffects(), figs, unit);
    const names = charts.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['voice-shares', 'interventions', 'start-traces', 'transitions', 'voice-by-state', 'long-run', 'channels-per-period', 'channels-cumulative', 'channel-totals', 'state-shares', 'trajectory-1', 'trajectory-2', 'trajectory-3']);
    expect(reportCharts(fit, undefined, undefined, {}).map((c) => c.name)).toEqual(['voice-totals', 'start-traces']);
  });
});
