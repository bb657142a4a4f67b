import {
  type BuildOptions,
  type ClientOptions,
  ConfigError,
  createClient,
  type ExportOptions,
  type PlayCanvasClient,
  validateBuildOptions,
  validateExportOptions,
} from 'playcanvas-rest-client';

/** Options of the plugin besides the build options themselves. */
export interface PluginOnlyOptions {
  /** API token. Default: PLAYCANVAS_API_KEY. */
  token?: string;
  /** API origin. Default: PLAYCANVAS_BASE_URL, then https://playcanvas.com. */
  baseUrl?: string;
  allowInsecureHttp?: boolean;
  /** Export the project archive instead of building the app: then only projectId and branch/branchId apply. */
  export?: boolean;
  /** Emit one file per archive entry (default) or, with false, the zip itself as one file. */
  extract?: boolean;
  /** Buffer contents (default) or, with false, stream them: memory stays flat whatever the build size. */
  buffer?: boolean;
  /** Milliseconds for the whole build: start, wait, download. Default 30 minutes. */
  timeout?: number;
  /** Aborts the build, the wait or the download; the stream then fails. */
  signal?: AbortSignal;
  requestTimeout?: number;
  retry?: ClientOptions['retry'];
  poll?: ClientOptions['poll'];
  stallTimeout?: number;
  tempDir?: string;
  /** Most archive entries accepted. Default 100,000. */
  maxEntries?: number;
  /** Most uncompressed bytes accepted. Default 8 GiB. */
  maxTotalBytes?: number;
  /** Symlink entries are skipped (default) or fail the build. */
  symlinks?: 'skip' | 'reject';
}

export type PlayCanvasOptions = PluginOnlyOptions & (BuildOptions | (ExportOptions & { export: true }));

const CLIENT_KEYS = ['token', 'baseUrl', 'allowInsecureHttp', 'requestTimeout', 'retry', 'poll', 'stallTimeout', 'tempDir'] as const;
const PLUGIN_KEYS = new Set<string>([...CLIENT_KEYS, 'export', 'extract', 'buffer', 'timeout', 'signal', 'maxEntries', 'maxTotalBytes', 'symlinks']);

export interface ResolvedOptions {
  client: PlayCanvasClient;
  job: { kind: 'build'; options: BuildOptions } | { kind: 'export'; options: ExportOptions };
  extract: boolean;
  buffer: boolean;
  timeout?: number;
  signal?: AbortSignal;
  archive: { maxEntries?: number; maxTotalBytes?: number; symlinks?: 'skip' | 'reject' };
}

function flag(options: Record<string, unknown>, key: string): boolean | undefined {
  const value = options[key];
  if (value !== undefined && typeof value !== 'boolean')
    throw new ConfigError(`Option ${key} must be true or false; got ${JSON.stringify(value)}`, key);
  return value as boolean | undefined;
}

function count(options: Record<string, unknown>, key: string): number | undefined {
  const value = options[key];
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)) {
    throw new ConfigError(`Option ${key} must be a positive integer; got ${JSON.stringify(value)}`, key);
  }
  return value as number | undefined;
}

/** Checks every option and makes the client; throws a ConfigError naming the option at fault. */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError("playcanvas() takes an options object, e.g. playcanvas({ projectId: 1000, name: 'My Game', scenes: ['Main'] })");
  }
  const options = input as Record<string, unknown>;
  const jobOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (!PLUGIN_KEYS.has(key)) jobOptions[key] = value;
  const isExport = flag(options, 'export') === true;
  if (isExport) validateExportOptions(jobOptions);
  else validateBuildOptions(jobOptions);
  const timeout = options.timeout;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)) {
    throw new ConfigError(`Option timeout must be a positive number of milliseconds; got ${JSON.stringify(timeout)}`, 'timeout');
  }
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new ConfigError('Option signal must be an AbortSignal (from an AbortController)', 'signal');
  const symlinks = options.symlinks;
  if (symlinks !== undefined && symlinks !== 'skip' && symlinks !== 'reject')
    throw new ConfigError(`Option symlinks must be "skip" or "reject"; got ${JSON.stringify(symlinks)}`, 'symlinks');
  const clientOptions: Record<string, unknown> = {};
  for (const key of CLIENT_KEYS) if (options[key] !== undefined) clientOptions[key] = options[key];
  return {
    client: createClient(clientOptions as ClientOptions),
    job: isExport
      ? { kind: 'export', options: jobOptions as unknown as ExportOptions }
      : { kind: 'build', options: jobOptions as unknown as BuildOptions },
    extract: flag(options, 'extract') ?? true,
    buffer: flag(options, 'buffer') ?? true,
    timeout: timeout as number | undefined,
    signal: signal as AbortSignal | undefined,
    archive: {
      maxEntries: count(options, 'maxEntries'),
      maxTotalBytes: count(options, 'maxTotalBytes'),
      symlinks: symlinks as 'skip' | 'reject' | undefined,
    },
  };
}
