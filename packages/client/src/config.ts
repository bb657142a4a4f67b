import { ConfigError } from './errors.js';

export const DEFAULT_BASE_URL = 'https://playcanvas.com';
export const TOKEN_VARIABLE = 'PLAYCANVAS_API_KEY';
export const BASE_URL_VARIABLE = 'PLAYCANVAS_BASE_URL';

export interface ConnectionOptions {
  /** API token. Default: the PLAYCANVAS_API_KEY environment variable. */
  token?: string;
  /** API origin. Default: PLAYCANVAS_BASE_URL, then https://playcanvas.com. */
  baseUrl?: string;
  /** Allow plain HTTP to a host other than this machine (the token would cross the network in clear). */
  allowInsecureHttp?: boolean;
  /** Where to read PLAYCANVAS_* variables. Default process.env. */
  env?: Record<string, string | undefined>;
}

export interface Connection {
  token: string;
  /** Origin with no trailing slash, e.g. https://playcanvas.com */
  origin: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

export function resolveConnection(options: ConnectionOptions): Connection {
  const env = options.env ?? process.env;
  const token = options.token ?? env[TOKEN_VARIABLE];
  if (token === undefined || token === '') {
    throw new ConfigError(
      `No PlayCanvas API token: set the ${TOKEN_VARIABLE} environment variable or pass the token option (create one under Organization Account → API Tokens)`,
      'token',
    );
  }
  if (typeof token !== 'string' || /\s/.test(token)) {
    throw new ConfigError('The token option must be a string without spaces: paste the API token as PlayCanvas showed it', 'token');
  }
  const raw = options.baseUrl ?? (env[BASE_URL_VARIABLE] || DEFAULT_BASE_URL);
  if (typeof raw !== 'string') throw new ConfigError(`The baseUrl option must be a string such as ${DEFAULT_BASE_URL}`, 'baseUrl');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`The base URL ${JSON.stringify(raw)} is not a URL: give an origin such as ${DEFAULT_BASE_URL}`, 'baseUrl');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`The base URL must use https (or http for a local mock); got ${url.protocol}`, 'baseUrl');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !options.allowInsecureHttp) {
    throw new ConfigError(
      `The base URL ${url.origin} uses plain HTTP to another machine, which would send the API token in clear: use https, or set allowInsecureHttp: true for a trusted test network`,
      'baseUrl',
    );
  }
  if (url.username || url.password) throw new ConfigError('The base URL must not contain credentials: pass the token option instead', 'baseUrl');
  return { token, origin: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
