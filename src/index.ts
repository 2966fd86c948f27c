// The library API: everything the CLI can do, as typed functions.
export * from './errors.js';
export type { Panel } from './data/panel.js';
export type { Design } from './data/design.js';
export type { ModelSpec, NamedParameters } from './estimation/spec.js';
export type { FitOptions, FitResult, FitProgress, StartResult, DataSummary } from './estimation/fitTypes.js';
export type { SubModel, Block, EStepStatistics } from './model/subModel.js';
export { VERSION } from './version.js';
