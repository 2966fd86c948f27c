import { describe, it, expect } from 'vitest';
import { samePeriodWarnings } from '../../src/report/samePeriodWarnings.js';
import { computeEffects } from '../../src/report/computeEffects.js';
import { formatEffectsText } from '../../src/report/effects.js';
import { handFit, handSpec } from './handModel.js';

const f = (transition: string, emission: string) => ({ formulas: { initial: '~ 1', transition, emission } });

describe('same-period intervention terms', () => {
  it('warn for intervention outside lag() and stock(), naming the usual lagged form', () => {
    expect(samePeriodWarnings(f('~ lag(intervention)', '~ stock(intervention, 0.8)'))).toEqual([]);
    expect(samePeriodWarnings(f('~ lag(intervention * x, 2)', '~ stock(intervention,0.5) + interventions_seen'))).toEqual([]);
    const [em] = samePeriodWarnings(f('~ lag(intervention)', '~ stock(intervention, 0.8) + intervention'));
    expect(em).toMatch(/emission formula .* uses intervention in the same period: the firm's reply to this period's complaint then enters the model of that complaint/);
    expect(em).toMatch(/propensity channel is zero by construction; the usual form is stock\(intervention, 0.8\) or lag\(intervention\)/);
    const [tr] = samePeriodWarnings(f('~ log1p(intervention)', '~ 1'));
    expect(tr).toMatch(/transition formula '~ log1p\(intervention\)' .*relationship channel is zero by construction; the usual form is lag\(intervention\)/);
    expect(samePeriodWarnings(f('~ intervention', '~ intervention'))).toHaveLength(2);
    expect(samePeriodWarnings(f('~ cumsum(lag(intervention))', '~ cumsum(intervention)'))[0]).toMatch(/emission formula .*cumsum\(\) of intervention, which includes the same period's intervention/);
  });

  it('the report warns, and the channel is zero by construction', () => {
    const spec = handSpec({ emission: '~ intervention' });
    const r = computeEffects(handFit(spec, { 'emission:complaint:intervention': 4 }), { horizon: 10 });
    expect(r.warnings).toHaveLength(1);
    for (const v of ['complaint', 'neutral']) {
      expect(r.net.effects[v].propensity).toBe(0);
      expect(r.longRun.effects![v].propensity).toBe(0);
    }
    expect(formatEffectsText(r)).toMatch(/Warnings\n1\. the emission formula '~ intervention' uses intervention in the same period/);
    expect(formatEffectsText(r, { warnings: false })).not.toMatch(/Warnings/);
  });
});

describe('a channel the model fixes at zero', () => {
  it('gets no interval words in the headline (it has no uncertainty)', () => {
    const spec = handSpec({ emission: '~ 1' });
    const fit = handFit(spec);
    const n = fit.parameters.names.length;
    const matrix = new Float64Array(n * n);
    for (let i = 0; i < n; i++) matrix[i * n + i] = 0.01;
    const r = computeEffects(fit, { horizon: 10, covariance: { method: 'observed', names: fit.parameters.names, matrix, unavailable: [], notes: [] } });
    expect(r.intervals!.longRun!.complaint.propensity.se).toBe(0);
    expect(r.summary[0]).toMatch(/leave expected complaints unchanged through propensity and lower them by [\d.]+ through relationship \(95% interval/);
  });
});
