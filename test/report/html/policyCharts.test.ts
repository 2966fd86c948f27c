import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { policyOverTimeChart, policyTotalsChart, selectionChart } from '../../../src/report/html/policyCharts.js';
import { loadPolicyReport, loadSelectionTable, type SelectionTable } from '../../../src/report/html/reportInputs.js';
import type { PolicyReport } from '../../../src/report/policy/policyReport.js';
import { InputError } from '../../../src/errors.js';

type Row = Record<string, number | string>;
const values = (spec: unknown): Row[] => (spec as { data: { values: Row[] } }).data.values;

const MEASURES = ['complaint', 'compliment', 'neutral', 'silent', 'intervention', 'state1', 'state2'];

/** A policy report with two policies over 3 periods; per-period value = policy index + 10 * measure + period / 10. */
function policyReport(intervals: boolean): PolicyReport {
  const policy = (name: string, i: number) => ({
    name,
    description: `policy ${name}`,
    method: 'monte-carlo',
    paths: 100,
    maxRelativeSe: 0.01,
    targetMet: true,
    table: { perPeriod: { mean: [1, 2, 3].map((h) => MEASURES.map((_, m) => i + 10 * m + h / 10)), se: [] }, totals: { mean: [], se: [] } },
    totals: MEASURES.map((_, m) => ({ estimate: 100 * i + m, mcSe: 0.1, low: intervals ? 100 * i + m - 1 : null, high: intervals ? 100 * i + m + 1 : null })),
  });
  return {
    format: 'squeaky-policy',
    formatVersion: 1,
    horizon: 3,
    customers: 40,
    from: 'end',
    measures: MEASURES,
    voiceLabels: MEASURES.slice(0, 4),
    policies: [policy('observed', 0), policy('all', 1)],
    intervals: { available: intervals, method: intervals ? 'covariance' : null, draws: 20, pathsPerDraw: 10, level: 0.95, note: '' },
    warnings: [],
  } as unknown as PolicyReport;
}

describe('policy charts', () => {
  it("totals hold every policy's complaints, compliments and interventions with their intervals", () => {
    const r = policyReport(true);
    const v = values(policyTotalsChart(r).spec);
    expect(v).toHaveLength(2 * 3);
    for (const row of v) {
      const p = r.policies.find((x) => x.name === row.policy)!;
      const t = p.totals[MEASURES.indexOf(row.measure as string)];
      expect([row.total, row.low, row.high]).toEqual([t.estimate, t.low, t.high]);
    }
    expect(JSON.stringify(policyTotalsChart(r).spec)).toContain('"type":"rule"');
    // Without intervals: no bounds, no interval marks.
    const plain = policyTotalsChart(policyReport(false));
    expect(values(plain.spec).some((x) => 'low' in x)).toBe(false);
    expect(JSON.stringify(plain.spec)).not.toContain('"type":"rule"');
  });

  it('over time holds the per-period means of complaints and compliments', () => {
    const r = policyReport(false);
    const v = values(policyOverTimeChart(r, {}).spec);
    expect(v).toHaveLength(2 * 2 * 3);
    for (const row of v) {
      const i = r.policies.findIndex((x) => x.name === row.policy);
      expect(row.value).toBeCloseTo(i + 10 * MEASURES.indexOf(row.measure as string) + (row.h as number) / 10, 9);
    }
  });
});

describe('selection chart', () => {
  const table: SelectionTable = {
    title: 't',
    columns: ['states', 'log_likelihood', 'aic', 'bic_voices', 'icl'],
    rows: [
      { states: 1, log_likelihood: -100, aic: 210, bic_voices: 220, icl: 220 },
      { states: 2, log_likelihood: -80, aic: 190, bic_voices: 215, icl: null },
      { states: 3, log_likelihood: -78, aic: 195, bic_voices: 240, icl: 260 },
    ],
    notes: [],
  };

  it('draws each criterion against K and names the K each picks; unavailable values are left out', () => {
    const c = selectionChart(table)!;
    const v = values(c.spec);
    expect(v.filter((r) => r.criterion === 'AIC').map((r) => [r.states, r.value])).toEqual([
      [1, 210],
      [2, 190],
      [3, 195],
    ]);
    expect(v.filter((r) => r.criterion === 'ICL').map((r) => r.states)).toEqual([1, 3]);
    expect(c.description).toContain('AIC lowest at K = 2');
    expect(c.description).toContain('BIC (n = voices) lowest at K = 2');
    expect(c.description).toContain('ICL lowest at K = 1');
  });

  it('is left out for a table without a states column (e.g. the channel comparison)', () => {
    expect(selectionChart({ ...table, columns: ['model', 'aic'] })).toBeUndefined();
  });
});

describe('report inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squeaky-inputs-'));
  const file = (name: string, content: unknown): string => {
    const f = join(dir, name);
    writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
    return f;
  };

  it('reads a policy report, null as NaN', async () => {
    const r = await loadPolicyReport(file('p.json', policyReport(false)));
    expect(r.policies.map((p) => p.name)).toEqual(['observed', 'all']);
    expect(Number.isNaN(r.policies[0].totals[0].low)).toBe(true);
  });

  it('refuses what is not a policy report, naming every problem', async () => {
    await expect(loadPolicyReport(file('x.json', '{nope'))).rejects.toThrow(/valid JSON/);
    await expect(loadPolicyReport(file('f.json', { format: 'squeaky-fit' }))).rejects.toThrow(/format.*squeaky-policy/s);
    const bad = { ...policyReport(false), formatVersion: 2, horizon: 4 };
    const e = await loadPolicyReport(file('b.json', bad)).catch((x) => x);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/formatVersion.*value '2'/);
    expect(e.message).toMatch(/policies\[0\]\.table\.perPeriod\.mean.*one row per projected period \(4\)/);
    await expect(loadPolicyReport(join(dir, 'missing.json'))).rejects.toThrow(/cannot read --policy/);
  });

  it('reads a selection table and refuses a malformed one', async () => {
    const t = await loadSelectionTable(file('s.json', table()));
    expect(t.rows).toHaveLength(1);
    const e = await loadSelectionTable(file('s2.json', { title: 't', columns: ['states'], rows: [{ states: [1] }] })).catch((x) => x);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/rows\[0\]\.states/);
    await expect(loadSelectionTable(file('s3.json', { title: 't', columns: [], rows: [] }))).rejects.toThrow(/columns.*non-empty/s);
  });

  function table(): SelectionTable {
    return { title: 'Choosing K', columns: ['states', 'aic'], rows: [{ states: 1, aic: 3.5 }], notes: ['a note'] };
  }
});
