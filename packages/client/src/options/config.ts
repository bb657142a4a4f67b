import { tmpdir } from 'node:os';
import type { SharedBudgetSettings } from '../budget/index.js';
import type { ProgressListener } from '../common/index.js';
import { ConfigError, showUserUrl } from '../common/index.js';
import { type ProxySettings, resolveProxySettings } from '../network/index.js';
import { resolveOptions } from './option-schema.js';
import type { ClientOptions, PollOptions, RetryPolicy } from './options.generated.js';
import {
  BASE_URL_VARIABLE,
  CLIENT_OPTIONS,
  checkToken,
  DEFAULT_BASE_URL,
  RATE_REDIS_VARIABLE,
  redisUrlProblem,
  TOKEN_VARIABLE,
} from './options.js';
import { OPTION_WORDS, type Vocabulary } from './vocabulary.js';

export interface Connection {
  token: string;
  /** Origin (and path prefix) with no trailing slash, e.g. https://playcanvas.com */
  origin: string;
}

/** What a ClientConfig holds. */
interface ClientConfigFields {
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
      throw new ConfigError(
        `${RATE_REDIS_VARIABLE} ${problem} (or unset it, or give ${words.the('rateBudget.redis')})`,
        'rateBudget.redis',
      );
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
export function resolveBaseUrl(
  raw: unknown,
  fromOption: boolean,
  allowInsecureHttp: boolean,
  words: Vocabulary = OPTION_WORDS,
): string {
  const source = baseUrlSource(fromOption, words);
  if (typeof raw !== 'string')
    throw new ConfigError(`The base URL ${source} must be a string such as ${DEFAULT_BASE_URL}`, 'baseUrl');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `The base URL ${showUserUrl(raw)} is not a URL: give an origin such as ${DEFAULT_BASE_URL} ${source}`,
      'baseUrl',
    );
  }
  if (url.username || url.password)
    throw new ConfigError(
      `The base URL must not contain credentials: give the token in ${words.token} instead ${source}`,
      'baseUrl',
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(
      `The base URL must use https (or http for a local mock); got ${url.protocol} ${source}`,
      'baseUrl',
    );
  }
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(raw)) {
    throw new ConfigError(
      `The base URL ${showUserUrl(raw)} has a query or a fragment (${url.search ? '?…' : '#…'}): ` +
        `give the origin alone, such as ${DEFAULT_BASE_URL} ${source}`,
      'baseUrl',
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new ConfigError(
      `The base URL ${url.origin} uses plain HTTP to another machine, which would send the API token in clear: ` +
        `use https, or set ${words.setting('allowInsecureHttp', true)} for a trusted test network ${source}`,
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

/**
 * The client's options resolved (as Vite's ResolvedConfig is to its UserConfig): checked against CLIENT_OPTIONS
 * once, every default filled in, frozen so that no layer can change it. Everything inside the client takes this;
 * only resolveClientConfig makes one, so a client given one does not check it again.
 */
export class ClientConfig implements ClientConfigFields {
  declare readonly connection: Readonly<Connection>;
  declare readonly allowInsecureHttp: boolean;
  declare readonly env: Readonly<Record<string, string | undefined>>;
  declare readonly timeout: number;
  declare readonly requestTimeout: number;
  declare readonly stallTimeout: number;
  declare readonly retry: Readonly<RetryPolicy>;
  declare readonly poll: Readonly<PollOptions>;
  declare readonly maxDownloadBytes: number;
  declare readonly tempDir: string;
  declare readonly onProgress: ProgressListener | undefined;
  declare readonly fetch: typeof fetch | undefined;
  declare readonly proxy: ProxySettings;
  declare readonly words: Vocabulary;
  declare readonly rateBudget: Readonly<SharedBudgetSettings> | undefined;

  private constructor(fields: ClientConfigFields) {
    Object.assign(this, fields);
    Object.freeze(this);
  }

  /** Checks what the user gave against CLIENT_OPTIONS and fills in every default: resolveClientConfig. */
  static resolve(input: unknown, words: Vocabulary, defaults: Partial<ClientOptions> | undefined): ClientConfig {
    const o = resolveOptions(CLIENT_OPTIONS, input, defaults ? { label: 'client', defaults } : { label: 'client' });
    const env = (o.env as Record<string, string | undefined> | undefined) ?? process.env;
    const userFetch = o.fetch as typeof fetch | undefined;
    if (userFetch && typeof o.proxy === 'string') {
      throw new ConfigError(
        'The proxy option applies to the built-in fetch, and a fetch option was given too: route your fetch through ' +
          'the proxy itself (an undici ProxyAgent as its dispatcher), or leave out the fetch option',
        'proxy',
      );
    }
    return new ClientConfig({
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
  }
}

/**
 * The client's options, raw as the user gave them (ClientOptions, or anything: it is all checked), resolved into a
 * ClientConfig. `words`: how the host's messages name options (the CLI's are flags). `defaults`: used instead of
 * CLIENT_OPTIONS' own for what the input leaves out (a test's small timeout, say); the table is never changed.
 */
export function resolveClientConfig(
  input: unknown = {},
  words: Vocabulary = OPTION_WORDS,
  defaults?: Partial<ClientOptions>,
): ClientConfig {
  return ClientConfig.resolve(input, words, defaults);
}
