// The library API: everything the CLI can do, as typed functions.
export * from './errors.js';
export { VERSION } from './version.js';

// Data: panels, formulas, event logs.
export type { Panel } from './data/panel.js';
export { nRows, nSeq, DEFAULT_VOICE_LABELS } from './data/panel.js';
export type { Design } from './data/design.js';
export { readPanel, parsePanel } from './data/readPanel.js';
export type { ReadPanelOptions, ReadPanelResult, PanelColumnsOption } from './data/readPanel.js';
export { writePanel } from './data/writePanel.js';
export { compileFormula, buildDesign } from './data/formula.js';
export type { CompiledFormula } from './data/formula.js';
export { defaultReferenceVoice } from './data/referenceVoice.js';
export { summarizePanel, formatPanelSummary } from './data/summarizePanel.js';
export type { PanelSummary } from './data/summarizePanel.js';
export { prepareEvents } from './data/prepareEvents.js';
export type { PrepareOptions, PrepareResult } from './data/prepareEvents.js';

// Model and estimation.
export type { ModelSpec, NamedParameters } from './estimation/spec.js';
export { DEFAULT_FORMULAS } from './estimation/spec.js';
export type { FitOptions, FitResult, FitProgress, StartResult, DataSummary } from './estimation/fitTypes.js';
export type { SubModel, Block, EStepStatistics } from './model/subModel.js';
export { createModel, createModelFromPatterns, compressModelDesign } from './model/hmmModel.js';
export type { HmmModel, ModelDesigns, ModelPatterns } from './model/hmmModel.js';
export { fit, logLikelihood, posterior, viterbi, decodeStates, FIT_DEFAULTS } from './estimation/fit.js';
export { simulate } from './estimation/simulate.js';
export type { SimulateOptions, SimulationPolicy, SimulationResult, SimulatedCovariate } from './estimation/simulate.js';
export { Rng } from './estimation/rng.js';

// Latent classes of customers (a mixture of models; spec.classes).
export type { ClassSpec } from './estimation/spec.js';
export { MixtureModel, createMixtureModel, classSpecOf } from './model/mixtureModel.js';
export type { MixtureDesigns } from './model/mixtureModel.js';
export { fitMixture, mixtureAt, mixturePosterior, mixtureViterbi, membershipDesign, buildMixtureDesigns } from './estimation/fitMixture.js';
export type { MixturePosterior } from './estimation/fitMixture.js';
export { MixtureEStep } from './estimation/mixtureEStep.js';
export { classFit, classSummary, classParameterIndex } from './report/classFits.js';
export type { ClassSummary } from './report/classFits.js';
export { classesFor, classEffectsJson } from './report/runFit.js';

// Bootstrap inference: replicates on worker threads, states matched to the fit's labelling.
export { bootstrapCovariance, bootstrapWarnings, sampleCovariance, unstableParameters, BOOTSTRAP_DEFAULTS, BOOTSTRAP_TYPES } from './estimation/inference/bootstrapCovariance.js';
export type { BootstrapOptions, BootstrapProgress, BootstrapType } from './estimation/inference/bootstrapCovariance.js';
export { resampleCustomers } from './estimation/inference/resampleCustomers.js';
export { stateAligner, bestAssignment } from './estimation/inference/alignStates.js';
export type { StateAligner, Alignment } from './estimation/inference/alignStates.js';
export { runFitOnPanelAsync } from './report/runFit.js';

// Reports: the commands behind the CLI.
export { runFit, runFitOnPanel, writeFitRun, specFor, effectsBasis, DEFAULT_STATES, DEFAULT_OUT_DIR } from './report/runFit.js';
export type { RunFitOptions, FitRun } from './report/runFit.js';
export { fitToJson, parseFit, loadFit, FIT_FORMAT, FIT_FORMAT_VERSION } from './report/fitFile.js';
export type { SavedFit, EffectsBasis } from './report/fitFile.js';
export { parameterTable, formatTable, tableGroups, TABLE_FORMATS } from './report/parameterTable.js';
export type { ParameterTable, ParameterRow, TableFormat } from './report/parameterTable.js';
export { parseParameterName } from './report/parameterName.js';
export type { ParameterNameParts } from './report/parameterName.js';
export { computeEffects, DEFAULT_HORIZON, MAX_HORIZON } from './report/computeEffects.js';
export type { EffectsOptions, EffectsFit } from './report/computeEffects.js';
export { effectsFromProbabilities, formatEffectsText, CHANNELS, SCENARIOS } from './report/effects.js';
export type { EffectsReport, ScenarioProbabilities, ChannelEffect, Moves, VoiceCounts } from './report/effects.js';
export type { OverTime, LongRun, EffectsIntervals, IntervalBounds, SeriesBounds, PeriodLength, Figures, ScenarioName, ChannelName } from './report/effectsTypes.js';
export { effectsFigures, LONG_RUN_TOLERANCE } from './report/effectsCore.js';
export { longRunTail } from './report/longRunTail.js';
export { propagateStates } from './report/propagateStates.js';
export { samePeriodWarnings } from './report/samePeriodWarnings.js';
export { parsePeriodLength, panelPeriodLength, describePeriods, PERIOD_HOURS_COLUMN } from './report/periodLength.js';
export { syntheticHistory, scenarioProbabilities } from './report/scenarios.js';
export { propagateVoice } from './report/propagateVoice.js';
export { stationaryDistribution } from './report/stationaryDistribution.js';
export { fitWarnings } from './report/fitWarnings.js';
export { formatFitSummary, formatFitHeader, formatBaselineMatrices } from './report/fitSummary.js';
export { decodePanel, formatDecodedCsv } from './report/decodePanel.js';
export type { DecodedStates } from './report/decodePanel.js';
export { checkFitMatchesPanel } from './report/panelMatch.js';
export { simulatePanel, formatStatesCsv } from './report/simulatePanel.js';
export { loadModelSource } from './report/modelSource.js';
export type { ModelSource } from './report/modelSource.js';
export { writeFileAtomic, writeFilesAtomic, writeOutputFolder } from './report/writeAtomic.js';

// The HTML report: one self-contained page, charts as Vega-Lite specifications rendered to SVG.
export { buildReport, runReport, writeReport, reportFiles, reportCharts, DEFAULT_REPORT_FILE } from './report/html/buildReport.js';
export type { Report, ReportOptions, RunReportOptions } from './report/html/buildReport.js';
export type { ChartFigure, TimeUnit } from './report/html/chartStyle.js';
export { renderCharts, standaloneSvg } from './report/html/renderCharts.js';
export type { RenderedChart } from './report/html/renderCharts.js';
export { panelFigures, periodAggregates, pickTrajectoryCustomers, MAX_PERIOD_BINS } from './report/html/panelFigures.js';
export type { PanelFigures, PeriodAggregates, Trajectory, TrajectoryRole } from './report/html/panelFigures.js';

// Policy projections.
export { projectPolicies, DEFAULT_DRAWS, MIN_PATHS, MAX_PATHS, BATCH_PATHS } from './report/policy/projectPolicies.js';
export type { PolicyOptions } from './report/policy/projectPolicies.js';
export { parsePolicies, parseValueWeights, policyName, describePolicy, DEFAULT_POLICIES } from './report/policy/policySpec.js';
export type { PolicySpec, ValueWeights } from './report/policy/policySpec.js';
export { estimateFirmPolicy, firmFeatureNames } from './report/policy/firmPolicy.js';
export type { FirmPolicy } from './report/policy/firmPolicy.js';
export { formatPolicyText, formatFirmPolicy } from './report/policy/formatPolicy.js';
export { policyReportJson, POLICY_FORMAT, POLICY_FORMAT_VERSION } from './report/policy/policyReport.js';
export type { PolicyReport, PolicyProjection, MeasureTable, UncertainFigure } from './report/policy/policyReport.js';
export type { ProjectFrom } from './report/policy/projection.js';

// Choosing the model: number of states, channels.
export { runSelect, selectOnPanel, parseStatesList, selectionTable } from './report/selection/runSelect.js';
export type { SelectOptions, SelectResult, SelectionRow, TransitionType } from './report/selection/runSelect.js';
export { runChannels, runChannelsOnPanel, channelFormulas, biasSentences, CHANNEL_MODELS } from './report/selection/runChannels.js';
export type { ChannelsOptions, ChannelsResult, ChannelFit, ChannelTest, ChannelModel, NetEffect } from './report/selection/runChannels.js';
export { bootstrapPValue } from './report/selection/bootstrapLr.js';
export type { BootstrapLrTest } from './report/selection/bootstrapLr.js';
export { writeSelection, writeChannels, selectionFiles, channelsFiles } from './report/selection/writeSelection.js';
export type { PlainFitOptions } from './report/selection/fitJob.js';
export { informationCriteria, criterionPicks, CRITERIA, CRITERION_LABELS } from './estimation/selection/criteria.js';
export type { InformationCriteria, Criterion } from './estimation/selection/criteria.js';
export { pathEntropy, finishedAgreement } from './estimation/fit.js';
export { fitAsync } from './estimation/fit.js';
export { startThreads } from './estimation/startsOnThreads.js';
export { simulateVoices, voiceSimulator } from './estimation/simulateVoices.js';
export type { VoiceSimulator } from './estimation/simulateVoices.js';
export { dropTermsReading } from './data/dropTerms.js';
export type { DroppedTerms } from './data/dropTerms.js';
export { formatComparison, comparisonFiles } from './report/comparisonTable.js';
export type { ComparisonTable, ComparisonColumn, ComparisonCell } from './report/comparisonTable.js';

// The CLI itself (in-process use, e.g. tests and embedding).
export { main, buildProgram } from './cli/main.js';
export type { CliIO } from './cli/io.js';

// Inference: standard errors, intervals and tests.
export { observedCovariance, robustCovariance, likelihoodCovariance, likelihoodCovariances } from './estimation/inference/observedCovariance.js';
export type { CovarianceOptions, LikelihoodCovarianceMethod } from './estimation/inference/observedCovariance.js';
export { observedInformation, customerScores } from './estimation/inference/information.js';
export { invertInformation } from './estimation/inference/invertInformation.js';
export { standardErrors } from './estimation/inference/covariance.js';
export type { Covariance, CovarianceMethod, BootstrapSummary, ProfileSummary } from './estimation/inference/covariance.js';
// Profile-likelihood intervals for the parameters whose Wald interval is not trusted.
export { profileIntervals, profileSide, profileLogLik, conditionalStart, PROFILE_CAP, QUADRATIC_TOLERANCE, HALF_CHI2_95 } from './estimation/inference/profileLikelihood.js';
export type { ProfileInterval, ProfileSearchOptions, ProfileStart, ProfileTrace } from './estimation/inference/profileLikelihood.js';
export { profileCandidates, waldEndpointFalls, unboundedAlone, profileNote } from './estimation/inference/profileSelection.js';
export type { ProfileCandidate } from './estimation/inference/profileSelection.js';
export { applyReportedIntervals } from './report/tableIntervals.js';
export type { IntervalMethod } from './report/tableIntervals.js';
export { fitCovariance, SE_METHODS, DEFAULT_SE_METHOD } from './report/fitCovariance.js';
export type { SeMethod } from './report/fitCovariance.js';
export { waldTest, splitPatterns, matchParameters } from './report/waldTest.js';
export type { WaldTestResult } from './report/waldTest.js';
export { likelihoodRatioOfFits, nestingProblems } from './report/likelihoodRatioOfFits.js';
export type { LikelihoodRatioResult } from './report/likelihoodRatioOfFits.js';
export { formatWaldText, formatLikelihoodRatioText } from './report/formatTests.js';
export { coverageReplicate, summarizeCoverage, trueNetComplaint } from './report/coverageStudy.js';
export type { CoverageDesign, CoverageSummary } from './report/coverageStudy.js';
export { sweepStale } from './report/writeAtomic.js';
export { planFit, designWarnings, MAX_STATES, MAX_STARTS, MAX_TERMS } from './report/fitLimits.js';
export type { PlanFitOptions } from './report/fitLimits.js';
export { parseDecimal, parseWhole } from './data/strictNumber.js';
export { covariatePaths, exogenousColumns } from './report/covariatePaths.js';

// The firm's selection model (fit --selection)
export { buildSelectionDesign, compileSelectionFormula, voiceColumnName, voiceColumnNames, withVoiceColumns } from './data/selectionDesign.js';
export type { SelectionDesign, SelectionRows } from './data/selectionDesign.js';
export { createSelectionModel } from './model/selectionModel.js';
export { selectionReport, formatSelectionReport } from './report/selectionReport.js';
export type { SelectionReport, SelectionContrast, ChannelComparison, EffectComparison, WithoutSelectionFit } from './report/selectionReport.js';
export { selectionReportOf } from './report/runFit.js';
export { voiceModelFit, isSelectionParameter, specWithoutSelection } from './report/voiceModelFit.js';
