/** The command line is wrong: an unknown flag, a missing value, a command that does not exist. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = 'USAGE';
}

/** The exit codes, documented in --help and the README; scripts branch on them. */
export const EXIT = {
  ok: 0,
  /** The build is bad: the job failed, the check found problems, the post-processing found the build wrong. */
  buildFailed: 1,
  /** The command line or the set-up is wrong: flags, options, no token, no browser for --check. */
  usage: 2,
  /** The API or the network failed: errors, rate limits, time-outs, broken or corrupt downloads. */
  network: 3,
  /** Stopped by Ctrl-C (SIGINT); SIGTERM gives 143, as shells do. */
  interrupted: 130,
  terminated: 143,
} as const;

const BY_CODE: Record<string, number> = {
  USAGE: EXIT.usage,
  CONFIG: EXIT.usage,
  CHECK_SETUP: EXIT.usage,
  JOB_FAILED: EXIT.buildFailed,
  ENGINE_MISMATCH: EXIT.buildFailed,
  BUILD_CHECK: EXIT.buildFailed,
  POSTPROCESS: EXIT.buildFailed,
  API: EXIT.network,
  RATE_LIMITED: EXIT.network,
  NETWORK: EXIT.network,
  TIMEOUT: EXIT.network,
  DOWNLOAD: EXIT.network,
  ARCHIVE: EXIT.network,
  ABORTED: EXIT.interrupted,
};

/** The exit code for an error: by its `code`, or by its name for the packages that have none. */
export function exitCodeFor(error: unknown): number {
  const err = error as { code?: unknown; name?: unknown };
  if (typeof err?.code === 'string' && err.code in BY_CODE) return BY_CODE[err.code] as number;
  if (err?.name === 'PostprocessError') return EXIT.buildFailed;
  // anything else is a failure we did not foresee: not a usage error, not the network's; say the build failed
  return EXIT.buildFailed;
}
