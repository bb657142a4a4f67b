import { type BuildSource, PostprocessError, readText } from './build.js';
import type { BuildConfig, ConfigAsset } from './config.js';
import { INDEX_FILE } from './csp.js';
import { buildPathOf, escapeAttribute, isLocalUrl, voidElementsOf } from './html.js';
import { type AssetFile, assetFiles } from './single-file-assets.js';
import { type Block, encodeBlock, SOURCE_ATTRIBUTE } from './single-file-format.js';

/** What the single file is made of, by part: the bytes the files have, and what they take embedded. */
export interface SizeReport {
  total: number;
  parts: Array<{ part: string; files: number; bytes: number; embeddedBytes: number }>;
  /** The five largest embedded files. */
  largest: Array<{ path: string; embeddedBytes: number }>;
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  basis: 'application/octet-stream',
  ktx2: 'image/ktx2',
  json: 'application/json',
  js: 'text/javascript',
  mjs: 'text/javascript',
  css: 'text/css',
  html: 'text/html',
  txt: 'text/plain',
  glsl: 'text/plain',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  glb: 'model/gltf-binary',
  wasm: 'application/wasm',
  bin: 'application/octet-stream',
};
const TEXT = new Set([
  'json',
  'js',
  'mjs',
  'css',
  'html',
  'txt',
  'glsl',
  'vert',
  'frag',
  'wgsl',
  'csv',
  'xml',
  'svg',
  'mtl',
  'obj',
]);
/** Text files smaller than this stay as they are: gzip and base64 would save little. */
const GZIP_FROM = 4096;
const extensionOf = (path: string) => /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';

/** A file the page will ask for, and why it is in the single file. */
export interface Embed {
  asset?: ConfigAsset;
  kind?: string;
  /** JavaScript the runtime runs as written (a classic game script): a strict policy lists its hash. */
  run?: boolean;
}

/** The files a single file carries, by path in the build: what the page asks for, each once. */
export class EmbedList {
  readonly files = new Map<string, Embed>();
  constructor(
    private readonly build: BuildSource,
    private readonly notes: string[],
  ) {}

  want(url: string | undefined, entry: Embed, what: string): void {
    if (url === undefined || !isLocalUrl(url)) {
      if (url !== undefined)
        this.notes.push(`${what} comes from ${url}, another origin: the single file still requests it`);
      return;
    }
    const path = buildPathOf(url);
    if (!this.build.paths.has(path)) {
      this.notes.push(`${what} (${path}) is not in the build: the single file cannot embed it`);
      return;
    }
    if (!this.files.has(path)) this.files.set(path, entry);
  }

  /** config.json, its scenes and every file of its assets, but those `skip` says the page has otherwise. */
  wantConfig(
    configUrl: string,
    scenePath: string | undefined,
    config: BuildConfig,
    skip: (file: AssetFile) => boolean,
  ): void {
    this.want(configUrl, { kind: 'config' }, 'config.json');
    if (scenePath !== undefined) this.want(scenePath, { kind: 'scenes' }, 'the initial scene');
    for (const scene of (config.document.scenes ?? []) as Array<{ url?: unknown }>)
      if (typeof scene.url === 'string') this.want(scene.url, { kind: 'scenes' }, `scene ${scene.url}`);
    const files = assetFiles(config);
    const present = (file: AssetFile) => this.build.paths.has(buildPathOf(file.url));
    for (const file of files) {
      if (skip(file)) continue;
      // a Basis-compressed texture ships its variant only: its file.url is no file of the build
      if (!present(file) && files.some((f) => f.asset === file.asset && f !== file && present(f))) continue;
      this.want(file.url, { asset: file.asset, run: file.asset.type === 'script' }, file.what);
    }
  }
}

function partOf(embed: Embed): string {
  if (embed.kind) return embed.kind;
  if (!embed.asset) return 'other files';
  if (embed.asset.type === 'script') return 'game scripts';
  return `${embed.asset.type || 'other'} assets`;
}

/** Counts what each part of the page takes, for the size report. */
export class SizeCounter {
  private readonly sizes = new Map<string, { files: number; bytes: number; embeddedBytes: number }>();
  private readonly largest: Array<{ path: string; embeddedBytes: number }> = [];

  count(part: string, bytes: number, markup: string, path?: string): void {
    const embeddedBytes = Buffer.byteLength(markup);
    const entry = this.sizes.get(part) ?? { files: 0, bytes: 0, embeddedBytes: 0 };
    entry.files += 1;
    entry.bytes += bytes;
    entry.embeddedBytes += embeddedBytes;
    this.sizes.set(part, entry);
    if (path) this.largest.push({ path, embeddedBytes });
  }

  /** The report for the finished page: what no part counted is the page's own markup. */
  report(page: Buffer): SizeReport {
    const counted = [...this.sizes.values()].reduce((sum, p) => sum + p.embeddedBytes, 0);
    const sizes = new Map(this.sizes).set('page markup', {
      files: 1,
      bytes: page.length - counted,
      embeddedBytes: page.length - counted,
    });
    return {
      total: page.length,
      parts: [...sizes].map(([part, s]) => ({ part, ...s })).sort((a, b) => b.embeddedBytes - a.embeddedBytes),
      largest: [...this.largest].sort((a, b) => b.embeddedBytes - a.embeddedBytes).slice(0, 5),
    };
  }
}

/** The embedded files as inert blocks, counted; `gzip`: large text files (config, scenes, JSON) gzipped. */
export async function encodeFiles(
  build: BuildSource,
  embeds: EmbedList,
  sizes: SizeCounter,
  gzip = false,
): Promise<string[]> {
  const blocks: string[] = [];
  for (const [path, entry] of embeds.files) {
    const bytes = await build.read(path);
    const extension = extensionOf(path);
    const block: Block = {
      path,
      mime: MIME[extension] ?? 'application/octet-stream',
      bytes,
      text: TEXT.has(extension),
      // module files are read synchronously by the runtime, images as data: URLs: only what it fetches is gzipped
      gzip:
        gzip &&
        TEXT.has(extension) &&
        bytes.length > GZIP_FROM &&
        entry.kind !== 'modules' &&
        entry.kind !== 'loading screen',
      run: entry.run === true,
    };
    const markup = encodeBlock(block);
    blocks.push(markup);
    sizes.count(partOf(entry), bytes.length, markup, path);
  }
  return blocks;
}

export interface Replacement {
  start: number;
  end: number;
  markup: string;
}

/** The page's stylesheets inline, its manifest and icon links gone (a single file has no other file to link). */
export async function linkReplacements(build: BuildSource, html: string, sizes: SizeCounter): Promise<Replacement[]> {
  const replacements: Replacement[] = [];
  for (const link of voidElementsOf(html, 'link')) {
    const rel = (link.attributes.rel ?? '').toLowerCase().split(/\s+/);
    const href = link.attributes.href;
    let markup = '';
    if (rel.includes('stylesheet') && href !== undefined && isLocalUrl(href)) {
      const path = buildPathOf(href);
      const css = await readText(build, path, `${INDEX_FILE} links`);
      const text = css.replace(/<\/style/gi, '<\\/style');
      markup = `<style ${SOURCE_ATTRIBUTE}="${escapeAttribute(path)}">${text}</style>`;
      sizes.count('styles', Buffer.byteLength(css), markup, path);
    } else if (!rel.includes('manifest') && !rel.includes('icon')) {
      continue;
    }
    replacements.push({ start: link.start, end: link.end, markup });
  }
  return replacements;
}

/** One pass over the page: each element replaced, or markup inserted, where the parser found it. */
export function applyReplacements(html: string, replacements: Replacement[]): string {
  const pieces: string[] = [];
  let from = 0;
  // by place; an insertion (nothing replaced) before an element that starts where it goes
  for (const r of [...replacements].sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start))) {
    pieces.push(html.slice(from, Math.max(from, r.start)), r.markup);
    from = Math.max(from, r.end);
  }
  pieces.push(html.slice(from));
  return pieces.join('');
}

export function refuseSingleFileTwice(isSingle: boolean): void {
  if (isSingle)
    throw new PostprocessError(
      `${INDEX_FILE} is a single file already: singleFile() runs once, on the build as downloaded`,
      INDEX_FILE,
    );
}
