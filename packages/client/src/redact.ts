/** Where secrets could leak into text, and how they are kept out: URLs lose user-info and query, API text its control characters. */

/** A URL as messages show it: origin and path, never user-info (proxy or basic credentials) or the query (signatures). */
export function safeUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '(an unparseable URL)';
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** Scheme, host and port only: how a proxy is named, its user name and password left out. */
export function safeOrigin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/'"<>@]*@)?([^\s/?#'"<>]*)([^\s?#'"<>]*)(\?[^\s#'"<>]*)?(#[^\s'"<>]*)?/gi;

/** Free text (a library's error message, say) with every URL made safe and bearer tokens removed. */
export function redactText(text: string): string {
  return text
    .replace(URL_IN_TEXT, (_m, scheme: string, _user: string | undefined, host: string, path: string) => `${scheme}${host}${path}`)
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]');
}

/** What a user typed as a URL, shown back without anything that may be a credential (it may not even parse). */
export function showUserUrl(raw: string): string {
  const cut = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
  return JSON.stringify(cut.replace(/\/\/[^/@\s]*@/, '//').replace(/[?#].*$/, ''));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g;

/** Text from the API (a job message, a status) made safe to print: one line, no control characters, a sane length. */
export function cleanApiText(text: unknown, max = 300): string {
  const flat = String(text)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROL, '')
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
