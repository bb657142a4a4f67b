import type { PolicyBuilder } from './policy-builder.js';
import { sourceFor } from './sources.js';

/** The URLs a style sheet loads (`url(...)`, `@import "..."`), each with the directive that governs it. */
export function cssUrls(css: string): Array<{ url: string; directive: string }> {
  const found: Array<{ url: string; directive: string }> = [];
  const fontFaces = [...css.matchAll(/@font-face\s*\{[^}]*\}/gi)].map((m) => [m.index, m.index + m[0].length] as const);
  const inFontFace = (at: number) => fontFaces.some(([from, to]) => at >= from && at < to);
  for (const m of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)/gi)) {
    const url = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (url !== '' && !url.startsWith('#'))
      found.push({ url, directive: inFontFace(m.index) ? 'font-src' : 'img-src' });
  }
  for (const m of css.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/gi))
    found.push({ url: m[1] ?? m[2] ?? '', directive: 'style-src' });
  return found;
}

/** Adds the sources a style sheet's URLs need. */
export function cssSources(css: string, policy: PolicyBuilder, what: string): void {
  for (const { url, directive } of cssUrls(css)) {
    const shown = url.length > 80 ? `${url.slice(0, 77)}...` : url;
    policy.add(directive, sourceFor(url), `${what} loads ${shown}`);
  }
}
