import { type BuildSource, PostprocessError } from './build.js';
import { escapeAttribute, insertAtHeadStart, voidElementsOf } from './html.js';

/** Where csp() writes the policy: a meta element at the top of <head>, and a `_headers` file for static hosts. */

/** The `_headers` file static hosts read: the policy and the other headers, for every path. */
export function headersFileText(policy: string, headers: Record<string, string>): string {
  const lines = [
    '/*',
    `  Content-Security-Policy: ${policy}`,
    ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Replaces the Content-Security-Policy meta elements the page has (each with its line), or adds one at the top of
 * <head>.
 */
export function withPolicyMeta(html: string, policy: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy)}">`;
  const existing = voidElementsOf(html, 'meta').filter(
    (m) => (m.attributes['http-equiv'] ?? '').toLowerCase() === 'content-security-policy',
  );
  const kept: string[] = [];
  let from = 0;
  for (const old of existing) {
    const before = html.slice(from, old.start);
    kept.push(/\n[ \t]*$/.test(before) ? before.replace(/\n[ \t]*$/, '') : before);
    from = old.end;
  }
  kept.push(html.slice(from));
  return insertAtHeadStart(kept.join(''), meta);
}

/**
 * The headers file goes to a path of its own: over a file of the build (index.html...) it would replace it, over a
 * folder it cannot be written.
 */
export function refuseToReplace(build: BuildSource, path: string): void {
  const file = build.paths.has(path) && !/(^|\/)_headers$/.test(path);
  const folder = !file && [...build.paths].some((p) => p.startsWith(`${path}/`));
  if (file || folder)
    throw new PostprocessError(
      `csp option headersFile names ${path}, ${file ? 'a file' : 'a folder'} of the build, ` +
        'which the headers would replace: name a new file, like "_headers"',
      path,
    );
}
