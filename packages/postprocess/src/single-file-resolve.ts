import { PostprocessError } from './build.js';
import { INDEX_FILE } from './csp.js';

/** How the bundler resolves a module of the build as the browser would: URLs of a made-up origin. */
const ORIGIN = 'http://build.invalid/';

const urlOfPath = (path: string) => new URL(path.split('/').map(encodeURIComponent).join('/'), ORIGIN);

/** The build path a URL of the page (or of a module) points at, or undefined for another origin. */
function pathOfUrl(url: URL): string | undefined {
  if (url.origin !== new URL(ORIGIN).origin) return undefined;
  try {
    return decodeURIComponent(url.pathname.slice(1));
  } catch {
    return url.pathname.slice(1);
  }
}

/** Where an import goes: a build path, or a refusal naming the importer and the fix. */
export function resolveSpecifier(specifier: string, importer: string, importMap: Record<string, string>): string {
  const refuse = (why: string) =>
    new PostprocessError(`${importer} imports ${JSON.stringify(specifier)}, ${why}`, importer);
  let url: URL;
  if (/^(\.{0,2}\/)/.test(specifier) || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) {
    url = new URL(specifier, urlOfPath(importer));
  } else {
    const key = Object.keys(importMap)
      .filter((k) => k === specifier || (k.endsWith('/') && specifier.startsWith(k)))
      .sort((a, b) => b.length - a.length)[0];
    if (key === undefined)
      throw refuse(
        "which the page's import map does not name: add it to the project's import map, " +
          'or import it by a relative path',
      );
    const target = importMap[key] as string;
    url = new URL(target + specifier.slice(key.length), urlOfPath(INDEX_FILE));
  }
  const path = pathOfUrl(url);
  if (path === undefined)
    throw refuse(
      `from ${url.origin}, another origin: a single file (a playable) may not fetch; ` +
        'put the module into the project (a script asset) so that the build has it',
    );
  return path;
}
