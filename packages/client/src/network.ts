import { redactText } from './redact.js';

/** Network failures where the request provably never reached the server: safe to retry even a POST. */
export const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Failures worth retrying for idempotent requests. */
export const TRANSIENT_CODES = new Set([
  ...NEVER_SENT_CODES,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'REQUEST_TIMEOUT',
]);

export const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

/** The system or TLS error code (ECONNREFUSED, CERT_HAS_EXPIRED...) undici hides in `cause`. */
export function networkCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown; name?: unknown } | undefined;
  for (let i = 0; i < 5 && current; i++) {
    if (typeof current.code === 'string' && current.code !== 'ABORT_ERR') return current.code;
    if (current.name === 'TimeoutError') return 'REQUEST_TIMEOUT';
    current = current.cause as typeof current;
  }
  return undefined;
}

const UNTRUSTED =
  'the server’s certificate is not signed by an authority this machine trusts: if your network inspects TLS with a private CA, point NODE_EXTRA_CA_CERTS at that CA’s certificate (PEM) before starting Node';

const CODE_TEXT: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EAI_AGAIN: 'the DNS lookup failed temporarily',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  REQUEST_TIMEOUT: 'no answer came in time',
  CERT_HAS_EXPIRED: 'the server’s certificate has expired: the server must renew it (or this machine’s clock is wrong)',
  CERT_NOT_YET_VALID: 'the server’s certificate is not valid yet: check this machine’s clock',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server’s certificate was issued for another host name: check the URL (and any proxy that intercepts TLS)',
  DEPTH_ZERO_SELF_SIGNED_CERT: `the server’s certificate is self-signed; ${UNTRUSTED}`,
  SELF_SIGNED_CERT_IN_CHAIN: `the server’s certificate chain ends in a self-signed certificate; ${UNTRUSTED}`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: UNTRUSTED,
};

export function isTlsCode(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith('CERT_') || code.includes('CERT') || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'));
}

/** The innermost cause's message of a fetch failure ("fetch failed" itself says nothing), with URLs and credentials removed. */
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
  const known = CODE_TEXT[code ?? ''];
  if (known) return `${known}${code !== 'REQUEST_TIMEOUT' ? ` (${code})` : ''}`;
  const detail = rootCauseMessage(error);
  return `the request failed${code ? ` (${code})` : ''}${detail ? `: ${detail}` : ''}`;
}
