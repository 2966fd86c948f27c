import { describe, it, expect } from 'vitest';
import * as api from '../src/index.js';

describe('library entry point', () => {
  it('exports every command as a function', () => {
    for (const name of ['runFit', 'runFitOnPanel', 'writeFitRun', 'loadFit', 'parseFit', 'fitToJson', 'parameterTable', 'formatTable', 'computeEffects', 'formatEffectsText', 'decodePanel', 'formatDecodedCsv', 'simulatePanel', 'readPanel', 'prepareEvents', 'fit', 'logLikelihood', 'posterior', 'viterbi', 'simulate', 'createModel', 'main', 'observedCovariance', 'robustCovariance', 'standardErrors', 'waldTest', 'likelihoodRatioOfFits', 'fitCovariance', 'projectPolicies', 'formatPolicyText', 'estimateFirmPolicy', 'buildReport', 'runReport', 'writeReport', 'renderCharts']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('exports the latent-class API', () => {
    for (const name of ['fitMixture', 'mixtureAt', 'mixturePosterior', 'mixtureViterbi', 'createMixtureModel', 'MixtureModel', 'MixtureEStep', 'classFit', 'classSummary', 'membershipDesign']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('exports the profile-likelihood intervals', () => {
    for (const name of ['profileIntervals', 'profileSide', 'profileLogLik', 'conditionalStart', 'profileCandidates', 'waldEndpointFalls', 'unboundedAlone', 'applyReportedIntervals']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(api.PROFILE_CAP).toBe(30);
  });

  it('exports the bootstrap', () => {
    for (const name of ['bootstrapCovariance', 'bootstrapWarnings', 'resampleCustomers', 'voiceSimulator', 'stateAligner', 'bestAssignment', 'runFitOnPanelAsync']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
