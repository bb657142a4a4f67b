import type { Problem } from './problems.js';

/**
 * A page's URLs can carry secrets (an API key in a query, credentials before the host, a signed asset URL):
 * problems name URLs as origin and path only, in every field, so no message, log or JSON result shows them.
 */
const URL_IN_TEXT =
  /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/'"<>@]*@)?([^\s/?#'"<>]*)([^\s?#'"<>]*)(\?[^\s#'"<>]*)?(#[^\s'"<>]*)?/gi;

export function withoutSecrets(text: string): string {
  return text.replace(
    URL_IN_TEXT,
    (_match, scheme: string, _user: string | undefined, host: string, path: string) => `${scheme}${host}${path}`,
  );
}

export function problemWithoutSecrets(problem: Problem): Problem {
  const clean = (value: unknown): unknown =>
    typeof value === 'string' ? withoutSecrets(value) : Array.isArray(value) ? value.map(clean) : value;
  return Object.fromEntries(Object.entries(problem).map(([key, value]) => [key, clean(value)])) as Problem;
}
