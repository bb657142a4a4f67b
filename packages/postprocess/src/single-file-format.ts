import { gunzipSync, gzipSync } from 'node:zlib';
import { escapeAttribute, type Tag } from './html.js';

/**
 * How a single-file build carries its files: inert `<script type="text/plain">` blocks (the browser neither
 * runs nor fetches them), one per file, keyed by the file's path in the build. A small runtime answers the
 * engine's requests from them. Blocks marked `data-pc-run` are JavaScript the runtime runs as written
 * (decoded): a strict policy lists each by hash; `data-pc-boot` ones run at start, in document order.
 */
export const BLOCK = {
  file: 'data-pc-file',
  encoding: 'data-pc-encoding',
  mime: 'data-pc-mime',
  run: 'data-pc-run',
  boot: 'data-pc-boot',
  module: 'data-pc-module',
} as const;

/**
 * `text`: UTF-8 as is; `json-string`: a JSON string literal (text that could end the block); `base64`;
 * `gzip-base64`.
 */
/** On the inline <script> and <style> elements a single file is made of: the build file they came from. */
export const SOURCE_ATTRIBUTE = 'data-pc-source';

export type BlockEncoding = 'text' | 'json-string' | 'base64' | 'gzip-base64';

export interface Block {
  /** The file's path in the build; absent for boot scripts that are no file of the build. */
  path?: string;
  mime?: string;
  bytes: Buffer;
  /** Store as text where it can be (scripts, JSON, CSS); binary is always base64. */
  text: boolean;
  gzip: boolean;
  run?: boolean;
  boot?: boolean;
  /** A boot block the loader runs as an inline `<script type="module">` (a compressed ES module bundle). */
  module?: boolean;
}

/** Whether text can sit between `<script type="text/plain">` and `</script>` unchanged. */
function safeInScriptBlock(text: string): boolean {
  return !/<\/script|<!--/i.test(text);
}

/** The block's markup and its size. */
export function encodeBlock(block: Block): string {
  let encoding: BlockEncoding;
  let body: string;
  if (block.gzip) {
    encoding = 'gzip-base64';
    body = gzipSync(block.bytes, { level: 9 }).toString('base64');
  } else if (block.text) {
    const text = block.bytes.toString('utf8');
    if (safeInScriptBlock(text)) {
      encoding = 'text';
      body = text;
    } else {
      encoding = 'json-string';
      body = JSON.stringify(text).replace(/</g, '\\u003c');
    }
  } else {
    encoding = 'base64';
    body = block.bytes.toString('base64');
  }
  const attributes = [
    'type="text/plain"',
    block.path !== undefined ? `${BLOCK.file}="${escapeAttribute(block.path)}"` : '',
    `${BLOCK.encoding}="${encoding}"`,
    block.mime ? `${BLOCK.mime}="${escapeAttribute(block.mime)}"` : '',
    block.run ? BLOCK.run : '',
    block.boot ? BLOCK.boot : '',
    block.module ? BLOCK.module : '',
  ].filter(Boolean);
  return `<script ${attributes.join(' ')}>${body}</script>`;
}

/** The bytes a block holds, as the runtime will decode them. */
export function decodeBlock(tag: Tag): Buffer {
  const body = tag.text;
  switch (tag.attributes[BLOCK.encoding]) {
    case 'json-string':
      return Buffer.from(JSON.parse(body) as string, 'utf8');
    case 'base64':
      return Buffer.from(body, 'base64');
    case 'gzip-base64':
      return gunzipSync(Buffer.from(body, 'base64'));
    default:
      return Buffer.from(body, 'utf8');
  }
}

export function isBlock(tag: Tag): boolean {
  return BLOCK.encoding in tag.attributes && (tag.attributes.type ?? '').toLowerCase() === 'text/plain';
}
