import { createHash } from 'node:crypto';
import { PostprocessError } from './build.js';

/**
 * Just enough HTML reading for the index.html the Editor exports (and pages shaped like it): tags found by
 * pattern, attributes parsed, text kept byte for byte so that hashes match what the browser sees.
 */
export interface Tag {
  /** The whole element as written, from `<` to its end tag (or `>` for void elements). */
  source: string;
  start: number;
  attributes: Record<string, string>;
  /** The text between the start and end tags (scripts and styles). */
  text: string;
}

const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = (match[1] as string).toLowerCase();
    if (!(name in attributes)) attributes[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

function decodeEntities(value: string): string {
  return value.replace(
    /&(amp|quot|lt|gt|#39|apos);/g,
    (_, name: string) => ({ amp: '&', quot: '"', lt: '<', gt: '>', '#39': "'", apos: "'" })[name] ?? '',
  );
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Elements with text content: `<script>` or `<style>`. Comments are skipped so commented-out tags do not count. */
export function elementsOf(html: string, name: 'script' | 'style'): Tag[] {
  const tags: Tag[] = [];
  const pattern = new RegExp(`<!--[\\s\\S]*?-->|<${name}\\b([^>]*)>([\\s\\S]*?)</${name}\\s*>`, 'gi');
  for (const match of html.matchAll(pattern)) {
    if (match[0].startsWith('<!--')) continue;
    tags.push({ source: match[0], start: match.index, attributes: parseAttributes(match[1] ?? ''), text: match[2] ?? '' });
  }
  return tags;
}

/** Void elements: `<link>` or `<meta>`. */
export function voidElementsOf(html: string, name: 'link' | 'meta'): Tag[] {
  const tags: Tag[] = [];
  const pattern = new RegExp(`<!--[\\s\\S]*?-->|<${name}\\b([^>]*)>`, 'gi');
  for (const match of html.matchAll(pattern)) {
    if (match[0].startsWith('<!--')) continue;
    tags.push({ source: match[0], start: match.index, attributes: parseAttributes((match[1] ?? '').replace(/\/$/, '')), text: '' });
  }
  return tags;
}

/** A script element the browser runs as classic or module JavaScript (not a data block). */
export function isExecutable(tag: Tag): boolean {
  const type = (tag.attributes.type ?? '').trim().toLowerCase();
  return type === '' || type === 'module' || /^(text|application)\/(java|ecma)script$/.test(type);
}

/** A URL that points into the build itself (not another origin, not data: or blob:). */
export function isLocalUrl(url: string): boolean {
  return !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(url.trim());
}

/** The path in the build a local URL in index.html points at: query and fragment dropped, `./` and `%XX` resolved. */
export function buildPathOf(url: string): string {
  const bare = url.trim().split('#')[0]?.split('?')[0] ?? '';
  let path = bare.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // an undecodable path stays as written
  }
  return path;
}

/** The HTML parser turns CR LF and lone CR into LF before scripts and styles see their text. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** A CSP hash source for a script's or style's text, as the browser computes it. */
export function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(normalizeNewlines(text), 'utf8').digest('base64')}'`;
}

function headOpen(html: string, file: string): { start: number; end: number } {
  const match = /<head\b[^>]*>/i.exec(html);
  if (!match) throw new PostprocessError(`${file} has no <head> element: the step cannot place its markup`, file);
  return { start: match.index, end: match.index + match[0].length };
}

/**
 * Inserts markup as the first thing in <head> (after `<meta charset>` when that comes first, which must stay
 * within the first 1024 bytes), with the indentation of the line that follows.
 */
export function insertAtHeadStart(html: string, markup: string, file = 'index.html'): string {
  let at = headOpen(html, file).end;
  const charset = /^\s*<meta\s+charset\s*=\s*["']?[\w-]+["']?\s*\/?>/i.exec(html.slice(at));
  if (charset) at += charset[0].length;
  const indent = /^\r?\n([ \t]*)/.exec(html.slice(at))?.[1] ?? '    ';
  return `${html.slice(0, at)}\n${indent}${markup}${html.slice(at)}`;
}

/** Inserts markup at the end of <head>. */
export function insertAtHeadEnd(html: string, markup: string, file = 'index.html'): string {
  headOpen(html, file);
  const close = html.search(/<\/head\s*>/i);
  if (close < 0) throw new PostprocessError(`${file} has no </head>: the step cannot place its markup`, file);
  return `${html.slice(0, close)}    ${markup}\n${html.slice(close)}`;
}
