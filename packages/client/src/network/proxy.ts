import { isIP } from 'node:net';
import { ConfigError, hasUserInfo, safeOrigin, showUserUrl } from '../common/index.js';

/**
 * Which proxy, if any, a request goes through: `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` read as curl reads
 * them (lowercase first), or the `proxy` option instead of the first two. Decided per URL, so the API and
 * a download host on another origin are each routed on their own.
 */

/** A proxy as messages may show it: never its credentials. */
export interface ProxyRoute {
  /** The proxy's scheme, host and port: http://proxy.example.com:3128 */
  readonly shown: string;
  /** Where it was set: `HTTPS_PROXY`, `https_proxy`, `the proxy option`... */
  readonly source: string;
  /** Whether its URL carries a user name and password. */
  readonly hasCredentials: boolean;
}

/** The URL with credentials, kept out of the route object so no inspect, JSON or error can show it. */
const secretUrls = new WeakMap<ProxyRoute, string>();

/** The full proxy URL, credentials included: only for building the connection to it. */
export function proxyUrlOf(route: ProxyRoute): string {
  return secretUrls.get(route) as string;
}

/** One NO_PROXY entry: a host test, and the port it is limited to, if it names one. */
interface Exclusion {
  matches(hostname: string): boolean;
  port: number | undefined;
}

export interface ProxySettings {
  readonly http: ProxyRoute | undefined;
  readonly https: ProxyRoute | undefined;
  /** The proxy this URL goes through, or undefined when it goes direct. */
  routeFor(url: URL): ProxyRoute | undefined;
}

/** Lowercase first, then uppercase; an empty lowercase variable falls through to the uppercase one, as in curl. */
function fromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): { value: string; source: string } | undefined {
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[key]?.trim();
    if (value) return { value, source: key };
  }
  return undefined;
}

const EXAMPLE = 'give one such as http://proxy.example.com:3128';

/** What to do when the URL held credentials: they may be what broke it. */
function credentialsHint(raw: string): string {
  return hasUserInfo(raw)
    ? ' (its user name and password are not shown; percent-encode any / ? # @ % or space in them: ' +
        '%2F %3F %23 %40 %25 %20)'
    : '';
}

function parseProxy(raw: string, source: string): ProxyRoute {
  // curl takes a bare host:port as an http proxy.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  const named = `${describeSource(source)} ${showUserUrl(withScheme)}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`${named} is not a proxy URL: ${EXAMPLE}${credentialsHint(raw)}`, 'proxy');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      `${describeSource(source)} uses ${url.protocol.slice(0, -1)}, which is not supported: ` +
        'give an http:// or https:// proxy URL',
      'proxy',
    );
  }
  // A path, query or fragment is most often an unencoded / ? or # of the password that cut the URL short
  // (http://user:3128#secret@proxy parses with "user" as the host): refused, not routed somewhere else.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    throw new ConfigError(
      `${named} has a path, query or fragment after its host, which a proxy URL has not: ` +
        `${EXAMPLE}${credentialsHint(raw)}`,
      'proxy',
    );
  // the proxy agent decodes them when it connects: a bare % would fail every request as a network error
  if (!decodes(url.username) || !decodes(url.password))
    throw new ConfigError(
      `${named} has a user name or password that is not percent-encoded${credentialsHint(raw)}`,
      'proxy',
    );
  const route: ProxyRoute = Object.freeze({
    shown: safeOrigin(url),
    source,
    hasCredentials: url.username !== '' || url.password !== '',
  });
  secretUrls.set(route, url.href);
  return route;
}

function decodes(part: string): boolean {
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

function describeSource(source: string): string {
  return source === 'the proxy option' ? 'The proxy option' : `The ${source} variable`;
}

function withoutBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function parseExclusion(raw: string): Exclusion | undefined {
  let entry = raw.toLowerCase();
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (bracketed) {
    entry = bracketed[1] as string;
    port = bracketed[2] === undefined ? undefined : Number(bracketed[2]);
  } else if (hostPort) {
    entry = hostPort[1] as string;
    port = Number(hostPort[2]);
  }
  const [address = '', bits] = entry.split('/');
  const family = isIP(address);
  if (bits !== undefined && family !== 0) {
    const width = Number(bits);
    if (!/^\d+$/.test(bits) || width > (family === 4 ? 32 : 128)) return undefined;
    return { matches: inSubnet(address, width, family), port };
  }
  if (isIP(entry)) return { matches: (hostname) => sameAddress(hostname, entry), port };
  // A domain: "example.com", ".example.com" and "*.example.com" all match example.com and every name under it.
  const domain = entry.replace(/^\*?\./, '').replace(/\.$/, '');
  if (domain === '') return undefined;
  return { matches: (hostname) => hostname === domain || hostname.endsWith(`.${domain}`), port };
}

function sameAddress(a: string, b: string): boolean {
  return a === b || (isIP(a) === 6 && isIP(b) === 6 && expandIpv6(a) === expandIpv6(b));
}

function expandIpv6(address: string): string {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array(missing).fill('0'), ...right].map((part) => part.padStart(4, '0')).join(':');
}

function inSubnet(network: string, bits: number, family: number): (hostname: string) => boolean {
  const toBits = (address: string) =>
    family === 4
      ? address
          .split('.')
          .map((octet) => Number(octet).toString(2).padStart(8, '0'))
          .join('')
      : expandIpv6(address)
          .split(':')
          .map((group) => Number.parseInt(group, 16).toString(2).padStart(16, '0'))
          .join('');
  const prefix = toBits(network).slice(0, bits);
  return (hostname) => isIP(hostname) === family && toBits(hostname).slice(0, bits) === prefix;
}

/** NO_PROXY: names, domain suffixes, addresses, CIDR ranges, each optionally with a port; `*` alone for every host. */
function parseNoProxy(value: string): 'all' | Exclusion[] {
  if (value.trim() === '*') return 'all';
  return value
    .split(/[\s,]+/)
    .filter((part) => part !== '')
    .map(parseExclusion)
    .filter((exclusion): exclusion is Exclusion => exclusion !== undefined);
}

function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Whether NO_PROXY sends this URL direct. */
function bypassesProxy(url: URL, exclusions: 'all' | Exclusion[]): boolean {
  if (exclusions === 'all') return true;
  const hostname = withoutBrackets(url.hostname.toLowerCase()).replace(/\.$/, '');
  const port = defaultPort(url);
  return exclusions.some(
    (exclusion) => (exclusion.port === undefined || exclusion.port === port) && exclusion.matches(hostname),
  );
}

/**
 * The proxies to use: `option` (a URL for every request, or false for none) wins over the environment.
 * Invalid values fail here, before any request, with a message that shows no credentials.
 */
export function resolveProxySettings(
  option: string | false | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ProxySettings {
  let http: ProxyRoute | undefined;
  let https: ProxyRoute | undefined;
  if (typeof option === 'string') {
    http = https = parseProxy(option.trim(), 'the proxy option');
  } else if (option === undefined) {
    const forHttp = fromEnv(env, 'http_proxy');
    const forHttps = fromEnv(env, 'https_proxy');
    http = forHttp && parseProxy(forHttp.value, forHttp.source);
    https = forHttps && parseProxy(forHttps.value, forHttps.source);
  }
  const exclusions = parseNoProxy(fromEnv(env, 'no_proxy')?.value ?? '');
  return Object.freeze({
    http,
    https,
    routeFor(url: URL): ProxyRoute | undefined {
      const route = url.protocol === 'https:' ? https : http;
      return route && !bypassesProxy(url, exclusions) ? route : undefined;
    },
  });
}
