/**
 * Talking to the PlayCanvas REST API: the transport (token, rate budget, retries), the context every
 * operation runs in, and the calls (jobs, lookups, checkpoints, build requests).
 */
export {
  type ResolvedBuildOptions,
  type ResolvedExportOptions,
  resolveBranchOptions,
  resolveBuildOptions,
  resolveCheckpointOptions,
  resolveExportOptions,
  toDownloadBody,
  validateBuildOptions,
  validateExportOptions,
} from './build-request.js';
export type { Checkpoint } from './checkpoints.js';
export * as checkpoints from './checkpoints.js';
export { type Context, operation } from './context.js';
export { archiveUrlOf, describeJobStatus, type Job, type JobStatus } from './job.js';
export * as jobs from './jobs.js';
export type { Branch, Scene } from './lookups.js';
export * as lookups from './lookups.js';
export { Retry, withRetries } from './retry.js';
export { Transport } from './transport.js';
