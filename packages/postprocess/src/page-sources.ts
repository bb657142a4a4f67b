import { PostprocessError } from './build.js';
import { hashSource, type Tag } from './html.js';
import type { PolicyBuilder } from './policy-builder.js';
import { sourceFor } from './sources.js';

/** Attributes that load from a URL, by element, and the directive that governs the load. */
const URL_ATTRIBUTES: Array<{ tags: string[]; attribute: string; directive: string }> = [
  { tags: ['img', 'input'], attribute: 'src', directive: 'img-src' },
  { tags: ['video'], attribute: 'poster', directive: 'img-src' },
  { tags: ['audio', 'video', 'track'], attribute: 'src', directive: 'media-src' },
  { tags: ['iframe', 'frame'], attribute: 'src', directive: 'frame-src' },
  { tags: ['embed'], attribute: 'src', directive: 'object-src' },
  { tags: ['object'], attribute: 'data', directive: 'object-src' },
];

/** What a `<link rel="preload" as="...">` loads, by directive. */
const PRELOAD_DIRECTIVES: Record<string, string> = {
  script: 'script-src',
  style: 'style-src',
  font: 'font-src',
  image: 'img-src',
  fetch: 'connect-src',
  audio: 'media-src',
  video: 'media-src',
};

const NAVIGATING = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href']);

/** A URL the browser runs as script when followed: `javascript:`, spelled as the URL parser reads it. */
function isJavascriptUrl(value: string): boolean {
  return /^javascript:/i.test(value.replace(/[\t\n\r]/g, '').replace(/^[\0-\x20]+/, ''));
}

const describe = (tag: Tag, attribute: string) => `${attribute} on <${tag.name}>`;

/**
 * What index.html's own elements need beyond its scripts and styles: inline event handlers and style
 * attributes (allowed by hash with 'unsafe-hashes', which CSP has for exactly these), the URLs its images,
 * media, frames and icons load, a <base> and a form's target. A `javascript:` URL cannot be allowed by a
 * strict policy: refused, naming the element.
 */
export function pageElementSources(elements: Tag[], policy: PolicyBuilder, notes: string[], file: string): void {
  const handlers: string[] = [];
  for (const tag of elements) {
    for (const [attribute, value] of Object.entries(tag.attributes)) {
      if (/^on[a-z]/.test(attribute)) {
        handlers.push(describe(tag, attribute));
        policy.add('script-src', "'unsafe-hashes'", `${file} has inline event handlers, allowed by their hashes`);
        policy.add('script-src', hashSource(value), `the ${describe(tag, attribute)} in ${file}`);
      } else if (attribute === 'style') {
        policy.add('style-src', "'unsafe-hashes'", `${file} has style attributes, allowed by their hashes`);
        policy.add('style-src', hashSource(value), `the ${describe(tag, attribute)} in ${file}`);
      } else if (NAVIGATING.has(attribute) && isJavascriptUrl(value)) {
        throw new PostprocessError(
          `${file} has a javascript: URL (${describe(tag, attribute)}: ` +
            `${JSON.stringify(value.slice(0, 60))}), which a strict policy blocks: ` +
            'give the element a listener in a script (addEventListener) instead',
          file,
        );
      }
    }
    for (const { tags, attribute, directive } of URL_ATTRIBUTES) {
      const url = tags.includes(tag.name) ? tag.attributes[attribute] : undefined;
      if (url !== undefined && url.trim() !== '')
        policy.add(directive, sourceFor(url), `${file} loads ${url} (<${tag.name}>)`);
    }
    if (tag.name === 'img' && tag.attributes.srcset)
      for (const candidate of tag.attributes.srcset.split(/,\s+/))
        policy.add(
          'img-src',
          sourceFor(candidate.trim().split(/\s+/)[0] ?? ''),
          `${file} loads ${candidate.trim()} (<img srcset>)`,
        );
    if (tag.name === 'base' && tag.attributes.href !== undefined)
      policy.add('base-uri', sourceFor(tag.attributes.href), `${file} sets its base URL to ${tag.attributes.href}`);
    if (tag.name === 'form')
      policy.add('form-action', sourceFor(tag.attributes.action ?? ''), `${file} has a form that submits`);
    if (tag.name === 'link' && tag.attributes.href !== undefined) {
      const rel = (tag.attributes.rel ?? '').toLowerCase().split(/\s+/);
      const href = tag.attributes.href;
      if (rel.some((r) => r === 'icon' || r === 'apple-touch-icon'))
        policy.add('img-src', sourceFor(href), `${file} links the icon ${href}`);
      const preload = PRELOAD_DIRECTIVES[(tag.attributes.as ?? '').toLowerCase()];
      if (rel.includes('preload') && preload) policy.add(preload, sourceFor(href), `${file} preloads ${href}`);
    }
  }
  if (handlers.length > 0)
    notes.push(
      `${file} has inline event handlers (${handlers.slice(0, 3).join(', ')}${handlers.length > 3 ? ', ...' : ''}): ` +
        `the policy allows exactly these by hash with 'unsafe-hashes'; listeners added in a script need neither`,
    );
}
