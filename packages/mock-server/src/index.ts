export { createMockApp } from './app.js';
export { ENGINE_VERSION, LEGACY_ENGINE_VERSION } from './builds/engine.js';
export { DEFAULT_ENGINE_VERSION } from './builds/spec.js';
export { type ClockMode, type ClockOptions, DEFAULT_CLOCK_START } from './clock.js';
export {
  FAULT_LIMITS,
  type Fault,
  FaultError,
  type FaultRule,
  type HostileEntry,
  validateFaultRule,
} from './fault-rules.js';
export { ASSET_TYPES, type AssetType } from './fixture-assets.js';
export {
  DEFAULT_TOKEN,
  defaultFixtures,
  type FixtureApp,
  type FixtureAsset,
  type FixtureBranch,
  FixtureError,
  type FixtureProject,
  type FixtureScene,
  type Fixtures,
  type FixtureToken,
  type FixtureUser,
  loadFixturesFile,
  READONLY_TOKEN,
  type SyntheticBuild,
  validateFixtures,
} from './fixtures.js';
export { FIRST_JOB_ID, type JobScenario } from './jobs.js';
export { type JournalEntry, type JournalLimits, redactHeaders } from './journal.js';
export { CJK_CHARACTERS, editorLayoutProjects, galleryAssets, LATIN_CHARACTERS } from './layout-projects.js';
export { DEFAULT_NAMESPACE, NAMESPACE_HEADER } from './namespaces.js';
export { OptionsError } from './options.js';
export { FREE_LIMITS, ORGANIZATION_LIMITS, type RateClass, type RateLimits } from './rate-limits.js';
export { ROUTE_NAMES, ROUTE_TABLE, type RouteName } from './routes/table.js';
export { type MockJob, type MockNamespace, type MockServer, type StartOptions, startMockServer } from './server.js';
export type { MockOptions, NamespaceLimits } from './state.js';
