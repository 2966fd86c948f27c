import { describe, expect, it } from 'vitest';
import { periodAggregates, pickTrajectoryCustomers, trajectory, MAX_PERIOD_BINS, panelFigures } from '../../../src/report/html/panelFigures.js';
import { decodePanel } from '../../../src/report/decodePanel.js';
import type { Panel } from '../../../src/data/panel.js';
import { assertClose } from '../../helpers/assert.js';
import { smallFit } from './fixtures.js';

const LABELS = ['complaint', 'compliment', 'neutral', 'silent'];

/** A panel from per-customer lists: [first period, voices ('c','p','n','s','-'), interventions]. */
function panelOf(customers: [string, number, string, number[]][]): Panel {
  const code: Record<string, number> = { c: 0, p: 1, n: 2, s: 3, '-': -1 };
  const offsets = [0];
  const period: number[] = [];
  const voice: number[] = [];
  const iv: number[] = [];
  for (const [, first, vs, ivs] of customers) {
    [...vs].forEach((ch, t) => {
      period.push(first + t);
      voice.push(code[ch]);
      iv.push(ivs[t] ?? 0);
    });
    offsets.push(period.length);
  }
  return {
    customers: customers.map((c) => c[0]),
    offsets: Int32Array.from(offsets),
    period: Int32Array.from(period),
    voice: Int32Array.from(voice),
    voiceLabels: LABELS,
    columns: { intervention: Float64Array.from(iv) },
  };
}

describe('periodAggregates', () => {
  it('counts voices, rows and interventions per calendar period, and averages the posterior', () => {
    const p = panelOf([
      ['a', 0, 'ccs', [1, 0, 1]],
      ['b', 1, 'pn-s', [0, 1, 0, 0]],
      ['c', 6, 'c', [1]],
    ]);
    const K = 2;
    const post = new Float64Array(p.voice.length * K);
    for (let r = 0; r < p.voice.length; r++) {
      post[r * K] = (r + 1) / 10;
      post[r * K + 1] = 1 - (r + 1) / 10;
    }
    const a = periodAggregates(p, { nStates: K, posterior: post, viterbi: new Int32Array(p.voice.length) });
    // Periods 0..6 occur except 5 (no rows): left out.
    expect(a.width).toBe(1);
    expect(a.period).toEqual([0, 1, 2, 3, 4, 6]);
    expect(a.rows).toEqual([1, 2, 2, 1, 1, 1]);
    expect(a.voiceCounts).toEqual([
      [1, 0, 0, 0],
      [1, 1, 0, 0],
      [0, 0, 1, 1],
      [0, 0, 0, 0],
      [0, 0, 0, 1],
      [1, 0, 0, 0],
    ]);
    expect(a.interventions).toEqual([1, 0, 2, 0, 0, 1]);
    // Period 2 holds rows 2 (a, its third period) and 4 (b, its second): mean of 0.3 and 0.5.
    assertClose(a.stateShares![2], [0.4, 0.6], { atol: 1e-12 });
    assertClose(a.stateShares![5], [0.8, 0.2], { atol: 1e-12 });
  });

  it('groups a long period range into at most MAX_PERIOD_BINS bins and loses no row', () => {
    const T = 3 * MAX_PERIOD_BINS + 7;
    const p = panelOf([['a', 10, 's'.repeat(T), Array.from({ length: T }, (_, t) => (t % 3 === 0 ? 1 : 0))]]);
    const a = periodAggregates(p);
    expect(a.width).toBe(Math.ceil(T / MAX_PERIOD_BINS));
    expect(a.period.length).toBeLessThanOrEqual(MAX_PERIOD_BINS);
    expect(a.period[0]).toBe(10);
    expect(a.period[1] - a.period[0]).toBe(a.width);
    expect(a.rows.reduce((s, x) => s + x, 0)).toBe(T);
    expect(a.interventions.reduce((s, x) => s + x, 0)).toBe(Math.ceil(T / 3));
    expect(a.stateShares).toBeUndefined();
  });
});

describe('pickTrajectoryCustomers', () => {
  it('picks the most complaining, a typical and the most intervened customer, each once', () => {
    const p = panelOf([
      ['quiet', 0, 'sssss', []],
      ['loud', 0, 'ccccs', [0, 0, 0, 0, 1]],
      ['helped', 0, 'csscs', [1, 1, 1, 0, 0]],
      ['mid', 0, 'csss', [0, 1]],
      ['mid2', 0, 'cssss', [0, 1]],
    ]);
    // complaints 0,4,2,1,1 -> median 1; lengths 5,5,5,4,5 -> median 5: 'mid2' is typical.
    expect(pickTrajectoryCustomers(p).map((x) => [x.role, p.customers[x.index]])).toEqual([
      ['most complaining', 'loud'],
      ['typical', 'mid2'],
      ['most intervened', 'helped'],
    ]);
  });

  it('never draws a customer twice, even when one is the most complaining and the most intervened', () => {
    const p = panelOf([
      ['a', 0, 'ccc', [1, 1, 1]],
      ['b', 0, 'css', [1]],
    ]);
    const picks = pickTrajectoryCustomers(p);
    expect(new Set(picks.map((x) => x.index)).size).toBe(picks.length);
    expect(picks.map((x) => p.customers[x.index])).toEqual(['a', 'b']);
  });
});

describe('trajectory', () => {
  it("is the customer's rows with the decoded states of the fit", () => {
    const { fit, panel } = smallFit();
    const decoded = decodePanel(fit, panel);
    const figs = panelFigures(panel, decoded);
    expect(figs.trajectories.map((t) => t.role)).toEqual(['most complaining', 'typical', 'most intervened']);
    for (const t of figs.trajectories) {
      const i = panel.customers.indexOf(t.customer);
      const r0 = panel.offsets[i];
      const n = panel.offsets[i + 1] - r0;
      expect(t.period).toEqual(Array.from(panel.period.subarray(r0, r0 + n)));
      expect(t.state).toEqual(Array.from(decoded.viterbi.subarray(r0, r0 + n), (s) => s + 1));
      expect(t.intervention).toEqual(Array.from(panel.columns.intervention.subarray(r0, r0 + n)));
      expect(t.complaints).toBe(t.voice.filter((v) => v === 'complaint').length);
      for (let j = 0; j < n; j++) {
        const p1 = decoded.posterior[(r0 + j) * 2];
        assertClose(t.meanState[j], p1 + 2 * (1 - p1), { atol: 1e-12 }, 'mean state');
      }
    }
    const most = figs.trajectories[0];
    const maxComplaints = Math.max(...panel.customers.map((_, i) => trajectory(panel, decoded, i, 'typical').complaints));
    expect(most.complaints).toBe(maxComplaints);
  });
});
