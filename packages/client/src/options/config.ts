import { tmpdir } from 'node:os';
import type { SharedBudgetSettings } from '../budget/index.js';
import type { ProgressListener } from '../common/index.js';
import { ConfigError, showUserUrl } from '../common/index.js';
import { type ProxySettings, resolveProxySettings } from '../network/index.js';
import { resolveOptions } from './option-schema.js';
import type { PollOptions, RetryPolicy } from './options.generated.js';
import { BASE_URL_VARIABLE, CLIENT_OPTIONS, checkToken, DEFAULT_BASE_URL, RATE_REDIS_VARIABLE, redisUrlProblem, TOKEN_VARIABLE } from './options.js';
import { OPTION_WORDS, type Vocabulary } from './vocabulary.js';

export interface Connection {
  token: string;
  /** Origin (and path prefix) with no trailing slash, e.g. https://playcanvas.com */
  origin: string;
}

/** Everything a client needs, checked and defaulted once. Frozen: no layer can change it. */
export interface ClientConfig {
  readonly connection: Readonly<Connection>;
  readonly allowInsecureHttp: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeout: number;
  readonly requestTimeout: number;
  readonly stallTimeout: number;
  readonly retry: Readonly<RetryPolicy>;
  readonly poll: Readonly<PollOptions>;
  readonly maxDownloadBytes: number;
  readonly tempDir: string;
  readonly onProgress: ProgressListener | undefined;
  /** The user's own fetch, called as it is; undefined: Node's, routed through `proxy`. */
  readonly fetch: typeof fetch | undefined;
  /** The proxies Node's fetch goes through; none with the user's own fetch, which routes itself. */
  readonly proxy: ProxySettings;
  /** How the host's messages name options and flags. */
  readonly words: Vocabulary;
  /** The Redis the rate budget is shared through; undefined: the process's own budget. */
  readonly rateBudget: Readonly<SharedBudgetSettings> | undefined;
}

/** rateBudget.redis, or else PLAYCANVAS_RATE_REDIS (an empty variable counts as unset). */
function resolveRateBudget(
  option: { redis?: string; key: string },
  env: Record<string, string | undefined>,
  words: Vocabulary,
): SharedBudgetSettings | undefined {
  const fromEnv = env[RATE_REDIS_VARIABLE];
  const redis = option.redis ?? (fromEnv?.trim() ? fromEnv.trim() : undefined);
  if (redis === undefined) return undefined;
  if (option.redis === undefined) {
    const problem = redisUrlProblem(redis);
    if (problem)
      throw new ConfigError(`${RATE_REDIS_VARIABLE} ${problem} (or unset it, or give ${words.the('rateBudget.redis')})`, 'rateBudget.redis');
  }
  return Object.freeze({ redis, key: option.key });
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** Where the base URL came from, as the host names it: "(set by --base-url)", "(set by PLAYCANVAS_BASE_URL)". */
function baseUrlSource(fromOption: boolean, words: Vocabulary): string {
  return `(set by ${fromOption ? words.the('baseUrl') : BASE_URL_VARIABLE})`;
}

/**
 * The API's origin and path prefix. Requests go to `<base>/api/...`, so a base URL that already ends in /api
 * (the documented routes' prefix, easily pasted) has it dropped, as trailing slashes are: it can only mean the
 * API's root. A query or a fragment would be lost or misplaced on every request: refused, naming the setting.
 */
export function resolveBaseUrl(raw: unknown, fromOption: boolean, allowInsecureHttp: boolean, words: Vocabulary = OPTION_WORDS): string {
  const source = baseUrlSource(fromOption, words);
  if (typeof raw !== 'string') throw new ConfigError(`The base URL ${source} must be a string such as ${DEFAULT_BASE_URL}`, 'baseUrl');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`The base URL ${showUserUrl(raw)} is not a URL: give an origin such as ${DEFAULT_BASE_URL} ${source}`, 'baseUrl');
  }
  if (url.username || url.password)
    throw new ConfigError(`The base URL must not contain credentials: give the token in ${words.token} instead ${source}`, 'baseUrl');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`The base URL must use https (or http for a local mock); got ${url.protocol} ${source}`, 'baseUrl');
  }
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(raw)) {
    throw new ConfigError(
      `The base URL ${showUserUrl(raw)} has a query or a fragment (${url.search ? '?…' : '#…'}): give the origin alone, such as ${DEFAULT_BASE_URL} ${source}`,
      'baseUrl',
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new ConfigError(
      `The base URL ${url.origin} uses plain HTTP to another machine, which would send the API token in clear: use https, or set ${words.setting('allowInsecureHttp', true)} for a trusted test network ${source}`,
      'baseUrl',
    );
  }
  const path = url.pathname
    .replace(/\/+$/, '')
    .replace(/\/api$/i, '')
    .replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

function resolveConnection(
  token: unknown,
  baseUrl: unknown,
  env: Record<string, string | undefined>,
  allowInsecureHttp: boolean,
  words: Vocabulary,
): Connection {
  const checkedToken = checkToken(token ?? env[TOKEN_VARIABLE], words);
  const fromOption = baseUrl !== undefined;
  const raw = baseUrl ?? (env[BASE_URL_VARIABLE] || DEFAULT_BASE_URL);
  return { token: checkedToken, origin: resolveBaseUrl(raw, fromOption, allowInsecureHttp, words) };
}

const resolved = new WeakSet<object>();

/**
 * Checks client options against CLIENT_OPTIONS and fills in every default; a config resolved before passes as it
 * is. `words`: how the host's messages name options (the CLI's are flags).
 */
export function resolveClientConfig(input: unknown = {}, words: Vocabulary = OPTION_WORDS): ClientConfig {
  if (typeof input === 'object' && input !== null && resolved.has(input)) return input as ClientConfig;
  const o = resolveOptions(CLIENT_OPTIONS, input, { label: 'client' });
  const env = (o.env as Record<string, string | undefined> | undefined) ?? process.env;
  const userFetch = o.fetch as typeof fetch | undefined;
  if (userFetch && typeof o.proxy === 'string') {
    throw new ConfigError(
      'The proxy option applies to the built-in fetch, and a fetch option was given too: route your fetch through the proxy itself (an undici ProxyAgent as its dispatcher), or leave out the fetch option',
      'proxy',
    );
  }
  const config: ClientConfig = Object.freeze({
    connection: Object.freeze(resolveConnection(o.token, o.baseUrl, env, o.allowInsecureHttp as boolean, words)),
    words,
    allowInsecureHttp: o.allowInsecureHttp as boolean,
    env,
    timeout: o.timeout as number,
    requestTimeout: o.requestTimeout as number,
    stallTimeout: o.stallTimeout as number,
    retry: o.retry as RetryPolicy,
    poll: o.poll as PollOptions,
    maxDownloadBytes: o.maxDownloadBytes as number,
    tempDir: (o.tempDir as string | undefined) ?? tmpdir(),
    onProgress: o.onProgress as ProgressListener | undefined,
    fetch: userFetch,
    proxy: resolveProxySettings(userFetch ? false : (o.proxy as string | false | undefined), env),
    rateBudget: resolveRateBudget(o.rateBudget as { redis?: string; key: string }, env, words),
  });
  resolved.add(config);
  return config;
}
