/**
 * Where secrets could leak into text, and how they are kept out: URLs lose user-info and query, API text its control
 * characters.
 */

/**
 * A URL as messages show it: origin and path, never user-info (proxy or basic credentials) or the query (signatures).
 */
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

const URL_IN_TEXT =
  /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/'"<>@]*@)?([^\s/?#'"<>]*)([^\s?#'"<>]*)(\?[^\s#'"<>]*)?(#[^\s'"<>]*)?/gi;

/** Free text (a library's error message, say) with every URL made safe and bearer tokens removed. */
export function redactText(text: string): string {
  return text
    .replace(
      URL_IN_TEXT,
      (_m, scheme: string, _user: string | undefined, host: string, path: string) => `${scheme}${host}${path}`,
    )
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]');
}

/**
 * What a user typed as a URL, shown back without anything that may be a credential (it may not even parse):
 * everything up to the last `@` goes with the user-info, whatever the password holds (`/`, `@`, `#`, `?`,
 * a space), and the query and fragment go too.
 */
export function showUserUrl(raw: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(raw)?.[0] ?? '';
  const afterScheme = raw.slice(scheme.length);
  const shown = `${scheme}${afterScheme.slice(afterScheme.lastIndexOf('@') + 1).replace(/[?#].*$/s, '')}`;
  // cut after the user-info went: a long password cannot push its own end past the cut
  return JSON.stringify(shown.length > 200 ? `${shown.slice(0, 200)}…` : shown);
}

/** Whether what the user typed as a URL carries user-info that showUserUrl leaves out. */
export function hasUserInfo(raw: string): boolean {
  return raw.includes('@');
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
