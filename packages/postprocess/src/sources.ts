import { PostprocessError } from './build.js';
import { isLocalUrl } from './html.js';

/** The CSP source that allows loading `url` from a page of the build: 'self' for the build's own files. */
export function sourceFor(url: string): string {
  if (isLocalUrl(url)) return "'self'";
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'data' || scheme === 'blob') return `${scheme}:`;
  try {
    return new URL(url.startsWith('//') ? `https:${url}` : url).origin;
  } catch {
    return "'self'";
  }
}

const KEYWORDS = new Set([
  "'self'",
  "'none'",
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'wasm-unsafe-eval'",
  "'unsafe-hashes'",
  "'strict-dynamic'",
  "'report-sample'",
  "'inline-speculation-rules'",
]);

/**
 * Checks one source expression given in the options. Anything that could end the directive (`;`, `,`,
 * whitespace) is refused, so an option cannot smuggle a directive into the policy; a keyword without its
 * quotes gets the quoted form as the fix.
 */
export function checkSource(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new PostprocessError(`csp option ${option} must list source expressions (strings); got ${String(value)}`);
  const source = value.trim();
  if (/[\s;,]/.test(source))
    throw new PostprocessError(
      `csp option ${option} has ${JSON.stringify(source)}: one source per entry, without spaces, ';' or ','`,
    );
  const bare = `'${source.toLowerCase()}'`;
  if (KEYWORDS.has(bare))
    throw new PostprocessError(`csp option ${option} has ${source}: keywords are quoted in a policy, write "${bare}"`);
  if (source.startsWith("'")) {
    if (
      KEYWORDS.has(source.toLowerCase()) ||
      /^'(sha256|sha384|sha512)-[A-Za-z0-9+/_-]+={0,2}'$/.test(source) ||
      /^'nonce-[A-Za-z0-9+/_-]+={0,2}'$/.test(source)
    )
      return source;
    throw new PostprocessError(`csp option ${option} has ${source}: not a keyword, hash or nonce source`);
  }
  if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) return source; // a scheme, like https: or data:
  if (/^([a-z][a-z0-9+.-]*:\/\/)?(\*|(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*)(:(\d+|\*))?(\/[^\s;,]*)?$/i.test(source))
    return source;
  throw new PostprocessError(
    `csp option ${option} has ${JSON.stringify(source)}: not a source expression (an origin like ` +
      'https://cdn.example.com, a scheme like data:, or a quoted keyword)',
  );
}
