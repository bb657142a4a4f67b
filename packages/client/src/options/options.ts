import { ConfigError, showUserUrl } from '../common/index.js';
import { fail, type OptionSpec, type Schema } from './option-schema.js';
import { show } from './show.js';
import { OPTION_WORDS, type Vocabulary } from './vocabulary.js';

/** The tables every option of the client (and of the adapters built on it) is declared in, once. */

const GiB = 1024 ** 3;

export { BASE_URL_VARIABLE, RATE_REDIS_VARIABLE, TOKEN_VARIABLE } from './vocabulary.js';
export const DEFAULT_BASE_URL = 'https://playcanvas.com';
export {
  BRANCH_OPTIONS,
  BUILD_OPTIONS,
  CHECKPOINT_OPTIONS,
  checkBranchChoice,
  EXPORT_OPTIONS,
} from './project-options.js';

const object = (what: string): OptionSpec['type'] => ({
  kind: 'custom',
  check: (value, name) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      fail(name, `must be ${what}; got ${show(value)}`);
  },
});

export const RETRY_FIELDS = {
  retries: {
    type: { kind: 'integer', min: 0 },
    default: 4,
    doc: 'Retries of an idempotent request after a 5xx answer or a network error.',
  },
  baseDelayMs: { type: { kind: 'integer', min: 0 }, default: 500, doc: 'First backoff delay, ms.' },
  maxDelayMs: { type: { kind: 'integer', min: 0 }, default: 8000, doc: 'Backoff ceiling, ms.' },
  rateLimitRetries: {
    type: { kind: 'integer', min: 0 },
    default: 10,
    doc: 'How many 429 answers in a row to wait out before giving up.',
  },
  maxRateLimitWaitMs: {
    type: { kind: 'integer', min: 0 },
    default: 65_000,
    doc:
      'The longest single wait for a rate-limit window, ms, whatever asked for it (a 429, Retry-After, ' +
      'or the budget running out); a longer wait fails at once with RateLimitError.',
  },
} as const satisfies Schema;

export const POLL_FIELDS = {
  initialDelayMs: { type: { kind: 'integer', min: 0 }, default: 500, doc: 'Delay before the first poll, ms.' },
  factor: { type: { kind: 'number', min: 1 }, default: 2, doc: 'Each delay is the previous one times this.' },
  maxDelayMs: { type: { kind: 'integer', min: 0 }, default: 2000, doc: 'The longest delay between polls, ms.' },
} as const satisfies Schema;

/** The Redis URL's problem, if any, worded for a message: its scheme and host, nothing of a password. */
export function redisUrlProblem(raw: unknown): string | undefined {
  const want =
    'a Redis URL such as redis://localhost:6379 (rediss:// for TLS; ' +
    'a password may be given as redis://:password@host:6379)';
  if (typeof raw !== 'string' || raw.trim() === '') return `must be ${want}; got ${show(raw)}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `must be ${want}; got ${showUserUrl(raw)}`;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `must be ${want}; got the scheme ${url.protocol}`;
  if (url.hostname === '') return `must name a host: ${want}; got ${showUserUrl(raw)}`;
  return undefined;
}

export const RATE_BUDGET_FIELDS = {
  redis: {
    type: {
      kind: 'custom',
      check: (value, name) => {
        const problem = redisUrlProblem(value);
        if (problem) fail(name, problem);
      },
    },
    ts: 'string',
    defaultText: '`PLAYCANVAS_RATE_REDIS`',
    doc:
      'A Redis (`redis://host:6379`, `rediss://` for TLS; a password in it is never shown): ' +
      'every process that names it and the same token draws from one rate budget per class. ' +
      'When Redis is unreachable or slow, a warning says so once and each process keeps its own budget.',
  },
  key: {
    type: { kind: 'string', nonEmpty: true, atMost: 200, expect: 'a key prefix such as playcanvas:rate' },
    default: 'playcanvas:rate',
    doc:
      'The prefix of the budget’s keys in Redis, followed by a digest of the API origin and token (never the ' +
      'token) and the rate class; the keys expire on their own.',
  },
} as const satisfies Schema;

function checkProxyOption(value: unknown, name: string): void {
  // The URL itself is checked where the proxy settings are read, with the same words as for the variables.
  if (value !== false && (typeof value !== 'string' || value.trim() === ''))
    fail(
      name,
      `must be a proxy URL such as http://proxy.example.com:3128, or false to ignore the proxy variables; ` +
        `got ${show(value)}`,
    );
}

/** How the client connects and behaves: given to createClient(). */
export const CLIENT_OPTIONS = {
  token: {
    type: { kind: 'custom', check: () => undefined },
    ts: 'string',
    defaultText: '`PLAYCANVAS_API_KEY`',
    doc: 'API token (Organization Account → API Tokens). Printable ASCII; never logged, never in an error.',
  },
  baseUrl: {
    type: { kind: 'custom', check: () => undefined },
    ts: 'string',
    defaultText: '`PLAYCANVAS_BASE_URL`, then `https://playcanvas.com`',
    doc:
      'The API origin, e.g. `https://playcanvas.com`; a trailing `/api` is dropped (the routes add it), ' +
      'a query or fragment refused. Plain `http` only to this machine, unless insecure HTTP is allowed (below).',
  },
  allowInsecureHttp: {
    type: { kind: 'boolean' },
    default: false,
    doc:
      'Allow plain HTTP to another machine, for the API and for download URLs (the token would cross the network ' +
      'in clear).',
  },
  proxy: {
    type: { kind: 'custom', check: checkProxyOption },
    ts: 'string | false',
    defaultText: '`HTTPS_PROXY`, `HTTP_PROXY` (and `NO_PROXY`)',
    doc:
      'A proxy URL for every request, such as `http://user:password@proxy:3128`, instead of the environment’s; ' +
      '`NO_PROXY` still applies. `false` ignores the proxy variables. Credentials are never shown.',
  },
  env: {
    type: object('an object of environment variables'),
    ts: 'Record<string, string | undefined>',
    defaultText: '`process.env`',
    doc: 'Where `PLAYCANVAS_API_KEY`, `PLAYCANVAS_BASE_URL` and the proxy variables are read.',
  },
  timeout: {
    type: { kind: 'ms' },
    default: 30 * 60_000,
    defaultText: '30 minutes',
    doc:
      'Milliseconds for each call as a whole (a build: start, wait, download). ' +
      'Longer values are clamped to about 24.8 days.',
  },
  requestTimeout: { type: { kind: 'ms' }, default: 30_000, doc: 'Milliseconds per API request.' },
  stallTimeout: {
    type: { kind: 'ms' },
    default: 60_000,
    doc: 'Milliseconds without a byte before a download is retried.',
  },
  retry: {
    type: { kind: 'group', fields: RETRY_FIELDS },
    ts: 'Partial<RetryPolicy>',
    doc: 'Retries and rate-limit waits.',
  },
  poll: {
    type: { kind: 'group', fields: POLL_FIELDS },
    ts: 'Partial<PollOptions>',
    doc: 'How often a job is polled: soon at first, then backing off.',
  },
  rateBudget: {
    type: { kind: 'group', fields: RATE_BUDGET_FIELDS },
    ts: '{ redis?: string; key?: string }',
    defaultText: 'this process’s own budget; `PLAYCANVAS_RATE_REDIS` shares it',
    doc:
      'Share the API’s rate limits with every build that uses the same token, on any machine, through a Redis: ' +
      "`{ redis: 'redis://ci-redis:6379' }`. See “Many machines, one token” in the repository’s README.",
  },
  maxDownloadBytes: {
    type: { kind: 'integer' },
    default: 4 * GiB,
    defaultText: '4 GiB',
    doc:
      'The largest archive downloaded, in bytes; a larger `Content-Length` fails at once, ' +
      'a body that grows past it fails as soon as it does.',
  },
  tempDir: {
    type: { kind: 'string', nonEmpty: true, expect: 'a folder path' },
    defaultText: 'the OS temp folder',
    doc: 'Where archives are spooled, each in a private folder removed after use, on failure and on Ctrl-C.',
  },
  onProgress: {
    type: { kind: 'function' },
    ts: 'ProgressListener',
    doc: 'Told of every job status change, rate-limit wait, retry and download progress.',
  },
  fetch: {
    type: { kind: 'function' },
    ts: 'typeof fetch',
    defaultText: 'the global `fetch`',
    doc:
      'A fetch implementation to use instead of the built-in one. It is called as it is: ' +
      'routing through a proxy is then up to it (the proxy variables are not applied, ' +
      'and the `proxy` option is refused).',
  },
} as const satisfies Schema;

/** Per call: client.build(options, run). */
export const RUN_OPTIONS = {
  timeout: {
    type: { kind: 'ms' },
    defaultText: "the client's `timeout`",
    doc: 'Milliseconds for this call as a whole.',
  },
  signal: { type: { kind: 'signal' }, doc: 'Aborts whatever is in flight; the call then fails with AbortError.' },
  onProgress: {
    type: { kind: 'function' },
    ts: 'ProgressListener',
    doc: 'Told of this call’s progress, besides the client’s listener.',
  },
  readWhileDownloading: {
    type: { kind: 'boolean' },
    default: false,
    doc:
      'build(), export() and download() resolve as soon as the archive’s directory (its end) is in, ' +
      'where the host serves ranges; reads of an entry wait for its bytes. open() the archive at once. ' +
      'Other calls ignore it.',
  },
} as const satisfies Schema;

/** How an archive is read: openArchive(path, options) and the adapters. */
export const ARCHIVE_OPTIONS = {
  maxEntries: { type: { kind: 'integer' }, default: 100_000, doc: 'Most entries accepted, against zip bombs.' },
  maxTotalBytes: {
    type: { kind: 'integer' },
    default: 8 * GiB,
    defaultText: '8 GiB',
    doc: 'Most uncompressed bytes accepted, all entries together, against zip bombs.',
  },
  symlinks: {
    type: { kind: 'enum', values: ['skip', 'reject'] },
    default: 'skip',
    doc: 'Symlink entries are skipped, or with `reject` fail the archive; never followed or created.',
  },
  dosTimezone: {
    type: { kind: 'enum', values: ['UTC', 'local'] },
    default: 'UTC',
    doc: 'How DOS dates without a UT or NTFS timestamp are read (UTC is how jszip and most build services write them).',
  },
} as const satisfies Schema;

/**
 * The token, checked up front: a character undici would refuse in a header would otherwise end up in its error
 * text.
 */
export function checkToken(token: unknown, words: Vocabulary = OPTION_WORDS): string {
  if (token === undefined || token === '') {
    throw new ConfigError(
      `No PlayCanvas API token: set ${words.token} (create one under Organization Account → API Tokens)`,
      'token',
    );
  }
  if (typeof token !== 'string')
    throw new ConfigError(`The ${words.option('token')} option must be a string; got ${typeof token}`, 'token');
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new ConfigError(
      'The API token must be printable ASCII without spaces or control characters (it was not shown here): ' +
        'paste the token as PlayCanvas showed it, and check the variable for a stray newline',
      'token',
    );
  }
  return token;
}
