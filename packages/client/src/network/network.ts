import { redactText } from '../common/index.js';
import type { ProxyRoute } from './proxy.js';

/**
 * Our codes for a proxy that answered instead of opening the tunnel (undici says so only in words): 407, a 5xx
 * (it could not reach the server, so the request was never sent), or another refusal.
 */
export const PROXY_AUTH_REQUIRED = 'PROXY_AUTH_REQUIRED';
export const PROXY_TUNNEL_FAILED = 'PROXY_TUNNEL_FAILED';
export const PROXY_TUNNEL_REFUSED = 'PROXY_TUNNEL_REFUSED';

/** Failures of the connection to the proxy itself, when a request goes through one. */
const PROXY_CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_PRX_TLS',
]);

type Link = { code?: unknown; cause?: unknown; name?: unknown; message?: unknown };

function* chain(error: unknown): Generator<Link> {
  let current = error as Link | undefined;
  for (let i = 0; i < 6 && current; i++) {
    yield current;
    current = current.cause as Link | undefined;
  }
}

const TUNNEL_ANSWER = /Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/;

/** The status a proxy answered instead of opening the tunnel, when that is why the request failed. */
export function proxyStatus(error: unknown): number | undefined {
  for (const link of chain(error)) {
    const match = TUNNEL_ANSWER.exec(typeof link.message === 'string' ? link.message : '');
    if (match) return Number(match[1]);
  }
  return undefined;
}

/**
 * The system or TLS error code (ECONNREFUSED, CERT_HAS_EXPIRED...) undici hides in `cause`, or one of the proxy codes
 * above.
 */
export function networkCode(error: unknown): string | undefined {
  const status = proxyStatus(error);
  if (status !== undefined)
    return status === 407 ? PROXY_AUTH_REQUIRED : status >= 500 ? PROXY_TUNNEL_FAILED : PROXY_TUNNEL_REFUSED;
  for (const link of chain(error)) {
    if (typeof link.code === 'string' && link.code !== 'ABORT_ERR') return link.code;
    if (link.name === 'TimeoutError') return 'REQUEST_TIMEOUT';
  }
  return undefined;
}

const CODE_TEXT: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'the DNS lookup failed temporarily',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_PRX_TLS: 'its certificate is not valid for its host name',
  REQUEST_TIMEOUT: 'no answer came in time',
};

const TRUST_FIX =
  'if your network uses a private CA (a TLS-inspecting proxy, an internal server), ' +
  'start Node with NODE_EXTRA_CA_CERTS set to a file holding that CA’s certificate (PEM)';

/** What each certificate failure means and how to fix it; never by turning verification off. */
const TLS_TEXT: Record<string, { problem: string; fix: string }> = {
  CERT_HAS_EXPIRED: {
    problem: 'the server’s certificate has expired',
    fix: 'the server must renew it; if it has, check this machine’s clock',
  },
  CERT_NOT_YET_VALID: { problem: 'the server’s certificate is not valid yet', fix: 'check this machine’s clock' },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    problem: 'the server’s certificate is for another host name',
    fix: 'use a URL with a host name the certificate names, or have the certificate reissued for this one',
  },
  DEPTH_ZERO_SELF_SIGNED_CERT: {
    problem: 'the server’s certificate is self-signed and not trusted here',
    fix: TRUST_FIX,
  },
  SELF_SIGNED_CERT_IN_CHAIN: {
    problem: 'the server’s certificate chain ends in a root CA not trusted here',
    fix: TRUST_FIX,
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    problem: 'the server’s certificate is signed by a CA not trusted here',
    fix: TRUST_FIX,
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    problem: 'the server’s certificate is signed by a CA not trusted here',
    fix: TRUST_FIX,
  },
  UNABLE_TO_GET_ISSUER_CERT: {
    problem: 'the server’s certificate is signed by a CA not trusted here',
    fix: TRUST_FIX,
  },
};

/** A certificate or TLS failure: retrying will not fix it. */
export function isTlsCode(code: string | undefined): boolean {
  return code !== undefined && (code in TLS_TEXT || /CERT|SIGNATURE|^ERR_TLS|^ERR_SSL/.test(code));
}

/**
 * The names a certificate was issued for, as Node's host name check reports them: "wrong.example.com, *.example.com".
 */
function certificateNames(error: unknown): string | undefined {
  for (const link of chain(error)) {
    const names = (link as { cert?: { subjectaltname?: unknown } }).cert?.subjectaltname;
    if (typeof names === 'string' && names !== '') {
      const list = names.split(/,\s*/).map((name) => name.replace(/^(DNS|IP Address):/, ''));
      return `${list.slice(0, 3).join(', ')}${list.length > 3 ? '…' : ''}`;
    }
  }
  return undefined;
}

/**
 * A certificate failure in words, with its code and the fix: "the server’s certificate has expired
 * (CERT_HAS_EXPIRED): ...".
 */
function describeTls(code: string, error: unknown): string {
  const known = TLS_TEXT[code];
  if (!known) return `the TLS connection failed (${code})${detail(error)}`;
  const names = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? certificateNames(error) : undefined;
  return `${known.problem}${names ? ` (it names ${names})` : ''} (${code}): ${known.fix}`;
}

function detail(error: unknown): string {
  const message = rootCauseMessage(error);
  return message ? `: ${message}` : '';
}

/**
 * The innermost cause's message of a fetch failure ("fetch failed" itself says nothing), with URLs and credentials
 * removed.
 */
export function rootCauseMessage(error: unknown): string | undefined {
  let current = error as { message?: unknown; cause?: unknown } | undefined;
  let message: string | undefined;
  for (let i = 0; i < 5 && current; i++) {
    if (typeof current.message === 'string' && current.message !== 'fetch failed') message = current.message;
    current = current.cause as typeof current;
  }
  return message === undefined ? undefined : redactText(message).slice(0, 200);
}

/** What went wrong on the network, in words and with the code; never the library's raw text with URLs in it. */
export function describeNetworkFailure(code: string | undefined, error?: unknown): string {
  if (isTlsCode(code)) return describeTls(code as string, error);
  const known = CODE_TEXT[code ?? ''];
  if (known) return `${known}${code !== 'REQUEST_TIMEOUT' ? ` (${code})` : ''}`;
  return `the request failed${code ? ` (${code})` : ''}${detail(error)}`;
}

/** A failure that is the proxy's, in words: what it did, and what to change. */
export interface ProxyFailure {
  /** "cannot be reached: the connection was refused (ECONNREFUSED)" */
  problem: string;
  fix: string;
}

/**
 * When a request went through `proxy` and failed because of the proxy (unreachable, credentials refused,
 * no tunnel to the server), what to tell the user; undefined for any other failure.
 */
export function describeProxyFailure(
  code: string | undefined,
  error: unknown,
  proxy: ProxyRoute,
  target: URL,
): ProxyFailure | undefined {
  const where = proxy.source;
  if (code === PROXY_AUTH_REQUIRED) {
    return proxy.hasCredentials
      ? {
          problem: 'refused the user name and password in its URL (407 Proxy Authentication Required)',
          fix: `correct them in ${where} (percent-encode any of : @ / in them)`,
        }
      : {
          problem: 'asks for a user name and password (407 Proxy Authentication Required), and its URL has none',
          fix: `put them in ${where}, as http://user:password@host:port`,
        };
  }
  if (code === PROXY_TUNNEL_FAILED || code === PROXY_TUNNEL_REFUSED) {
    const problem = `could not open a connection to ${target.host} (it answered ${proxyStatus(error)})`;
    return code === PROXY_TUNNEL_FAILED
      ? { problem, fix: `check that ${target.host} is up and that the proxy can reach it` }
      : {
          problem,
          fix:
            `check the host name, and that the proxy allows ${target.host} (or list it in NO_PROXY if it can be ` +
            'reached directly)',
        };
  }
  if (code !== undefined && PROXY_CONNECT_CODES.has(code)) {
    return {
      problem: `cannot be reached: ${describeNetworkFailure(code, error)}`,
      fix: `check the proxy URL in ${where} and that the proxy is running`,
    };
  }
  return undefined;
}

/** How a message names a proxy, after "the": "proxy http://proxy.example.com:3128 (from HTTPS_PROXY)". */
export function nameProxy(proxy: ProxyRoute): string {
  return `proxy ${proxy.shown} (from ${proxy.source})`;
}

/** A network error's cause as it may be shown: its code and a message with URLs and credentials removed. */
export function safeCause(code: string | undefined, error: unknown): Error {
  const cause = new Error(rootCauseMessage(error) ?? 'the request failed');
  if (code) Object.assign(cause, { code });
  return cause;
}
