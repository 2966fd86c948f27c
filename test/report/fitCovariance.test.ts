import { describe, expect, it } from 'vitest';
import { profilePlan } from '../../src/report/fitCovariance.js';
import type { FitResult } from '../../src/estimation/fitTypes.js';
import { makeSpec } from '../estimation/fixtures.js';

const result = (converged: boolean, classes?: number): FitResult =>
  ({ converged, spec: { ...makeSpec({ nStates: 2 }), ...(classes ? { classes: { count: classes } } : {}) } }) as unknown as FitResult;

describe('profilePlan: which fits get profile-likelihood intervals', () => {
  it('a converged one-class fit does', () => {
    expect(profilePlan(result(true), {})).toEqual({ profile: true });
  });
  it('a fit that did not converge does not, and says why', () => {
    const p = profilePlan(result(false), {});
    expect(p.profile).toBe(false);
    expect(p.note).toMatch(/did not converge/);
  });
  it('a latent-class fit does not, and says why', () => {
    const p = profilePlan(result(true, 2), {});
    expect(p.profile).toBe(false);
    expect(p.note).toMatch(/^no profile-likelihood intervals for a latent-class fit/);
    expect(profilePlan(result(true, 1), {}).profile).toBe(true);
  });
  it('profile: false (squeaky select) turns them off, with a note', () => {
    const p = profilePlan(result(true), { profile: false });
    expect(p.profile).toBe(false);
    expect(p.note).toMatch(/^no profile-likelihood intervals were searched/);
  });
});
