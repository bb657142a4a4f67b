import { createHash } from 'node:crypto';
import { type DefaultTreeAdapterTypes, parse, parseFragment } from 'parse5';
import { PostprocessError } from './build.js';

/**
 * index.html read as a browser reads it: parse5 implements the WHATWG tokenizer and tree builder, so comments
 * closed with `--!>`, unclosed `<script>` or `<!--`, `<template>` contents and entity-encoded attributes are
 * what they are in a page, in time linear in the page. Elements keep their offsets in the text, so that steps
 * rewrite the page in place, byte for byte elsewhere.
 */
export interface Tag {
  /** The lower-case tag name. */
  name: string;
  /** The whole element as written, from `<` to its end tag (or the end of its start tag for void elements). */
  source: string;
  start: number;
  end: number;
  /** Where the start tag ends (its `>` included). */
  startTagEnd: number;
  /** Where the end tag starts, when the page writes one. */
  endTagStart: number | undefined;
  /** Attribute values, entity-decoded; the first of duplicate names wins, as in a browser. */
  attributes: Record<string, string>;
  /** Where each attribute (`name="value"`) is written. */
  attributeRanges: Record<string, { start: number; end: number }>;
  /** The text between the start and end tags (scripts and styles), as the browser sees it. */
  text: string;
  /** An SVG or MathML element (an SVG <script> runs too). */
  foreign: boolean;
}

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function textOf(element: Element): string {
  return element.childNodes
    .map((c) => (c.nodeName === '#text' ? (c as DefaultTreeAdapterTypes.TextNode).value : ''))
    .join('');
}

/** Elements of a parsed tree in document order, without template contents (inert: never run nor shown). */
function elementsIn(root: ParentNode, html: string | undefined): Tag[] {
  const tags: Tag[] = [];
  const stack: Node[] = [...root.childNodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (!isElement(node)) continue;
    const location = node.sourceCodeLocation;
    const start = location?.startOffset ?? -1;
    const startTagEnd = location?.startTag?.endOffset ?? start;
    const lastChild = node.childNodes.at(-1)?.sourceCodeLocation?.endOffset;
    const end = location?.endTag?.endOffset ?? Math.max(location?.endOffset ?? -1, lastChild ?? -1, startTagEnd);
    const attributes: Record<string, string> = {};
    for (const { name, value, prefix } of node.attrs) {
      const key = prefix ? `${prefix}:${name}` : name;
      if (!(key in attributes)) attributes[key] = value;
    }
    const attributeRanges: Record<string, { start: number; end: number }> = {};
    for (const [name, at] of Object.entries(location?.attrs ?? {}))
      attributeRanges[name] = { start: at.startOffset, end: at.endOffset };
    tags.push({
      name: node.tagName.toLowerCase(),
      source: html !== undefined && start >= 0 ? html.slice(start, end) : '',
      start,
      end,
      startTagEnd,
      endTagStart: location?.endTag?.startOffset,
      attributes,
      attributeRanges,
      text: textOf(node),
      foreign: node.namespaceURI !== HTML_NAMESPACE,
    });
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i] as Node);
  }
  return tags;
}

let last: { html: string; tags: Tag[] } | undefined;

/** Every element of the page, in document order (the last page is kept: steps ask several times). */
export function pageElements(html: string): Tag[] {
  if (last?.html !== html) last = { html, tags: elementsIn(parse(html, { sourceCodeLocationInfo: true }), html) };
  return last.tags;
}

/** Every element of markup a script writes (innerHTML, insertAdjacentHTML), parsed as a fragment. */
export function fragmentElements(markup: string): Tag[] {
  return elementsIn(parseFragment(markup), undefined);
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Elements with text content: `<script>` or `<style>` (HTML ones: the page's own). */
export function elementsOf(html: string, name: 'script' | 'style'): Tag[] {
  return pageElements(html).filter((t) => t.name === name && !t.foreign && t.start >= 0);
}

/** Void elements: `<link>` or `<meta>`. */
export function voidElementsOf(html: string, name: 'link' | 'meta'): Tag[] {
  return pageElements(html).filter((t) => t.name === name && !t.foreign && t.start >= 0);
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

/** The page's own <head> or <body> element, as written (an implied one has no place to write into). */
function written(html: string, name: 'head' | 'body', file: string): Tag {
  const tag = pageElements(html).find((t) => t.name === name && !t.foreign);
  if (!tag || tag.start < 0 || !/^<[a-z]/i.test(tag.source))
    throw new PostprocessError(`${file} has no <${name}> element: the step cannot place its markup`, file);
  return tag;
}

/** An insertion into the page: where, and the text. */
export interface Insertion {
  at: number;
  text: string;
}

/**
 * Markup as the first thing in <head> (after `<meta charset>` when that comes first, which must stay within the
 * first 1024 bytes), with the indentation of the line that follows.
 */
export function headStartInsertion(html: string, markup: string, file = 'index.html'): Insertion {
  let at = written(html, 'head', file).startTagEnd;
  const charset = /^\s*<meta\s+charset\s*=\s*["']?[\w-]+["']?\s*\/?>/i.exec(html.slice(at, at + 1024));
  if (charset) at += charset[0].length;
  const indent = /^\r?\n([ \t]*)/.exec(html.slice(at, at + 256))?.[1] ?? '    ';
  return { at, text: `\n${indent}${markup}` };
}

/** Markup at the end of <body>. */
export function bodyEndInsertion(html: string, markup: string, file = 'index.html'): Insertion {
  const at = written(html, 'body', file).endTagStart;
  if (at === undefined) throw new PostprocessError(`${file} has no </body>: the step cannot place its markup`, file);
  return { at, text: `${markup}\n` };
}

const inserted = (html: string, { at, text }: Insertion) => html.slice(0, at) + text + html.slice(at);

export function insertAtHeadStart(html: string, markup: string, file = 'index.html'): string {
  return inserted(html, headStartInsertion(html, markup, file));
}

/** Inserts markup at the end of <head>. */
export function insertAtHeadEnd(html: string, markup: string, file = 'index.html'): string {
  const close = written(html, 'head', file).endTagStart;
  if (close === undefined) throw new PostprocessError(`${file} has no </head>: the step cannot place its markup`, file);
  return `${html.slice(0, close)}    ${markup}\n${html.slice(close)}`;
}
