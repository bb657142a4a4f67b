import { readFileSync } from 'node:fs';
import { type BuildChanges, type BuildSource, type BuildStep, PostprocessError, readText } from './build.js';
import { type ConfigAsset, isModuleScript, parseConfig } from './config.js';
import { INDEX_FILE, isEngineFile } from './csp.js';
import { bodyEndInsertion, buildPathOf, elementsOf, escapeAttribute, headStartInsertion, isExecutable, isLocalUrl, voidElementsOf } from './html.js';
import { bootScriptEffects } from './inline-styles.js';
import { scriptForInline } from './script-escape.js';
import { readSettings, SETTINGS_FILE, setSetting, settingsGlobals } from './settings.js';
import { type AssetFile, assetFiles } from './single-file-assets.js';
import { type Block, encodeBlock, SOURCE_ATTRIBUTE } from './single-file-format.js';

const RUNTIME = new URL('../runtime/single-file-runtime.js', import.meta.url);
const LOADER = new URL('../runtime/single-file-loader.js', import.meta.url);

export interface SingleFileOptions {
  /** The HTML file to write, as a path in the build. Default 'index.html'. */
  output?: string;
  /** Gzip the engine and boot scripts, unpacked in the page (DecompressionStream: Chrome 80, Safari 16.4, Firefox 113). About 2 MB smaller. Default false. */
  compress?: boolean;
  /** Fail, with the size report, when the HTML is larger than this many bytes (ad networks: often 5 MB, 5242880). */
  maxBytes?: number;
  /** Keep the build's other files next to the single HTML. Default false: the HTML alone. */
  keepFiles?: boolean;
}

interface ResolvedSingleFileOptions {
  output: string;
  compress: boolean;
  maxBytes: number | undefined;
  keepFiles: boolean;
}

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
const TEXT = new Set(['json', 'js', 'mjs', 'css', 'html', 'txt', 'glsl', 'vert', 'frag', 'wgsl', 'csv', 'xml', 'svg', 'mtl', 'obj']);
const extensionOf = (path: string) => /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';

export function resolveSingleFileOptions(input: unknown = {}): ResolvedSingleFileOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostprocessError('singleFile() takes an options object, e.g. singleFile({ maxBytes: 5 * 1024 * 1024 })');
  const options = input as Record<string, unknown>;
  const known = ['output', 'compress', 'maxBytes', 'keepFiles'];
  for (const key of Object.keys(options))
    if (!known.includes(key)) throw new PostprocessError(`singleFile option ${key} is unknown; the options are ${known.join(', ')}`);
  const flag = (name: string) => {
    const value = options[name];
    if (value !== undefined && typeof value !== 'boolean')
      throw new PostprocessError(`singleFile option ${name} must be true or false; got ${String(value)}`);
    return value === true;
  };
  const output = options.output ?? INDEX_FILE;
  if (typeof output !== 'string' || !/^[^/\\][^\\]*\.html?$/i.test(output) || output.split('/').includes('..'))
    throw new PostprocessError(`singleFile option output must be a path in the build ending in .html; got ${String(output)}`);
  const maxBytes = options.maxBytes;
  if (maxBytes !== undefined && (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes <= 0))
    throw new PostprocessError(`singleFile option maxBytes must be a positive whole number of bytes (5 MB: 5242880); got ${String(maxBytes)}`);
  return { output, compress: flag('compress'), maxBytes, keepFiles: flag('keepFiles') };
}

function partOf(asset: ConfigAsset | undefined, kind: string | undefined): string {
  if (kind) return kind;
  if (!asset) return 'other files';
  if (asset.type === 'script') return 'game scripts';
  return `${asset.type || 'other'} assets`;
}

export function formatSizeReport(report: SizeReport): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const rows = report.parts.map(
    (p) =>
      `  ${p.part.padEnd(20)} ${String(p.files).padStart(4)} file${p.files === 1 ? ' ' : 's'} ${kb(p.bytes).padStart(11)} → ${kb(p.embeddedBytes).padStart(11)}`,
  );
  return [`single file: ${kb(report.total)}`, ...rows].join('\n');
}

export function singleFileStep(input: SingleFileOptions = {}): BuildStep<SizeReport> {
  const options = resolveSingleFileOptions(input);
  return {
    name: 'singleFile',
    needs: () => true,
    async run(build) {
      return makeSingleFile(build, options);
    },
  };
}

async function makeSingleFile(
  build: BuildSource,
  options: ResolvedSingleFileOptions,
): Promise<{ changes: BuildChanges; notes: string[]; report: SizeReport }> {
  const notes: string[] = [];
  let html = await readText(build, INDEX_FILE, 'is the page to make a single file of');
  if (elementsOf(html, 'script').some((t) => SOURCE_ATTRIBUTE in t.attributes))
    throw new PostprocessError(`${INDEX_FILE} is a single file already: singleFile() runs once, on the build as downloaded`, INDEX_FILE);
  const settingsSource = await readText(build, SETTINGS_FILE, 'says where the app loads from');
  const settings = readSettings(settingsSource);
  const configPath = buildPathOf(settings.configFilename);
  const config = parseConfig(await readText(build, configPath, 'lists the assets'), configPath);

  // what the page will ask for: config, scenes, assets, modules, the loading screen's images
  const embed = new Map<string, { asset?: ConfigAsset; kind?: string; run?: boolean }>();
  const want = (url: string | undefined, entry: { asset?: ConfigAsset; kind?: string; run?: boolean }, what: string) => {
    if (url === undefined || !isLocalUrl(url)) {
      if (url !== undefined) notes.push(`${what} comes from ${url}, another origin: the single file still requests it`);
      return;
    }
    const path = buildPathOf(url);
    if (!build.paths.has(path)) {
      notes.push(`${what} (${path}) is not in the build: the single file cannot embed it`);
      return;
    }
    if (!embed.has(path)) embed.set(path, entry);
  };
  want(settings.configFilename, { kind: 'config' }, 'config.json');
  if (settings.scenePath !== undefined) want(settings.scenePath, { kind: 'scenes' }, 'the initial scene');
  for (const scene of (config.document.scenes ?? []) as Array<{ url?: unknown }>)
    if (typeof scene.url === 'string') want(scene.url, { kind: 'scenes' }, `scene ${scene.url}`);
  const inPage = new Set(
    elementsOf(html, 'script').flatMap((t) =>
      t.attributes.src !== undefined && isLocalUrl(t.attributes.src) ? [buildPathOf(t.attributes.src)] : [],
    ),
  );
  const files = assetFiles(config);
  const hasOther = (file: AssetFile) => files.some((f) => f.asset === file.asset && f !== file && build.paths.has(buildPathOf(f.url)));
  for (const file of files) {
    const { asset, url } = file;
    if (inPage.has(buildPathOf(url))) continue;
    if (isModuleScript(asset))
      throw new PostprocessError(`Script ${asset.name} is an ES module (${url}): a single file can only embed classic scripts`, url);
    // a Basis-compressed texture ships its variant only: its file.url is no file of the build
    if (!build.paths.has(buildPathOf(url)) && hasOther(file)) continue;
    want(url, { asset, run: asset.type === 'script' }, file.what);
  }
  for (const module of settings.preloadModules)
    for (const url of [module.glueUrl, module.wasmUrl, module.fallbackUrl]) want(url, { kind: 'modules' }, `module ${module.moduleName}`);
  const globals = settingsGlobals(settingsSource);
  for (const tag of elementsOf(html, 'script')) {
    const src = tag.attributes.src;
    if (src === undefined || !isLocalUrl(src) || !build.paths.has(buildPathOf(src))) continue;
    const path = buildPathOf(src);
    if (isEngineFile(path)) continue;
    const code = await readText(build, path, `${INDEX_FILE} loads`);
    if (!/createLoadingScreen/.test(code)) continue;
    const shown = bootScriptEffects(code, path, { globals, firstStyleText: undefined });
    notes.push(...shown.unreadableImages.map((what) => `${what}: the single file cannot embed it`));
    for (const image of shown.images) {
      const relative = image.startsWith(settings.assetPrefix) ? image.slice(settings.assetPrefix.length) : image;
      want(relative, { kind: 'loading screen' }, `the loading screen's image ${image}`);
    }
  }

  const sizes = new Map<string, { files: number; bytes: number; embeddedBytes: number }>();
  const largest: Array<{ path: string; embeddedBytes: number }> = [];
  const count = (part: string, bytes: number, markup: string, path?: string) => {
    const embeddedBytes = Buffer.byteLength(markup);
    const entry = sizes.get(part) ?? { files: 0, bytes: 0, embeddedBytes: 0 };
    entry.files += 1;
    entry.bytes += bytes;
    entry.embeddedBytes += embeddedBytes;
    sizes.set(part, entry);
    if (path) largest.push({ path, embeddedBytes });
  };

  // the files, as inert blocks
  const blocks: string[] = [];
  for (const [path, entry] of embed) {
    const bytes = await build.read(path);
    const extension = extensionOf(path);
    const block: Block = {
      path,
      mime: MIME[extension] ?? 'application/octet-stream',
      bytes,
      text: TEXT.has(extension),
      gzip: false,
      run: entry.run === true,
    };
    const markup = encodeBlock(block);
    blocks.push(markup);
    count(partOf(entry.asset, entry.kind), bytes.length, markup, path);
  }

  // the page: a single file has no other origin, its own icon, its styles inline
  let single = setSetting(settingsSource, 'ASSET_PREFIX', () => '');
  single = setSetting(single, 'SCRIPT_PREFIX', () => '');
  const replacements: Array<{ start: number; end: number; markup: string }> = [];
  for (const link of voidElementsOf(html, 'link')) {
    const rel = (link.attributes.rel ?? '').toLowerCase().split(/\s+/);
    const href = link.attributes.href;
    let markup = '';
    if (rel.includes('stylesheet') && href !== undefined && isLocalUrl(href)) {
      const path = buildPathOf(href);
      const css = await readText(build, path, `${INDEX_FILE} links`);
      markup = `<style ${SOURCE_ATTRIBUTE}="${escapeAttribute(path)}">${css.replace(/<\/style/gi, '<\\/style')}</style>`;
      count('styles', Buffer.byteLength(css), markup, path);
    } else if (!rel.includes('manifest') && !rel.includes('icon')) {
      continue;
    }
    replacements.push({ start: link.start, end: link.end, markup });
  }

  const runtime = readFileSync(RUNTIME, 'utf8');
  const scripts = elementsOf(html, 'script').filter((t) => isExecutable(t) && t.attributes.src !== undefined && isLocalUrl(t.attributes.src));
  let runtimePlaced = false;
  for (const tag of scripts) {
    const path = buildPathOf(tag.attributes.src as string);
    const code = path === SETTINGS_FILE ? single : await readText(build, path, `${INDEX_FILE} loads`);
    const engine = isEngineFile(path);
    const part = engine ? 'engine' : 'boot scripts';
    let markup: string;
    if (options.compress) {
      markup = encodeBlock({ path, bytes: Buffer.from(code), text: true, gzip: engine || code.length > 4096, run: true, boot: true });
    } else {
      const type = (tag.attributes.type ?? '').trim().toLowerCase() === 'module' ? 'module' : 'script';
      const typeAttribute = type === 'module' ? ' type="module"' : '';
      markup = `<script${typeAttribute} ${SOURCE_ATTRIBUTE}="${escapeAttribute(path)}">${scriptForInline(code, path, type)}</script>`;
    }
    count(part, Buffer.byteLength(code), markup, path);
    // the files and the runtime come right after the settings: after the engine, before everything that starts the app
    if (path === SETTINGS_FILE) {
      const runtimeMarkup = options.compress
        ? encodeBlock({ bytes: Buffer.from(runtime), text: true, gzip: false, run: true, boot: true })
        : `<script ${SOURCE_ATTRIBUTE}="single-file-runtime.js">${runtime}</script>`;
      count('single-file runtime', runtime.length, runtimeMarkup);
      markup += `\n${blocks.join('\n')}\n${runtimeMarkup}`;
      runtimePlaced = true;
    }
    replacements.push({ start: tag.start, end: tag.end, markup });
  }
  if (!runtimePlaced)
    throw new PostprocessError(`${INDEX_FILE} does not load ${SETTINGS_FILE}: the single-file runtime has no place to go`, INDEX_FILE);
  const icon = headStartInsertion(html, '<link rel="icon" href="data:,">');
  replacements.push({ start: icon.at, end: icon.at, markup: icon.text });
  if (options.compress) {
    const loader = readFileSync(LOADER, 'utf8');
    const markup = `<script ${SOURCE_ATTRIBUTE}="single-file-loader.js">${loader}</script>`;
    count('single-file runtime', loader.length, markup);
    const end = bodyEndInsertion(html, markup);
    replacements.push({ start: end.at, end: end.at, markup: end.text });
  }
  // one pass over the page: each element replaced, or markup inserted, where the parser found it
  const pieces: string[] = [];
  let from = 0;
  // by place; an insertion (nothing replaced) before an element that starts where it goes
  for (const r of replacements.sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start))) {
    pieces.push(html.slice(from, Math.max(from, r.start)), r.markup);
    from = Math.max(from, r.end);
  }
  pieces.push(html.slice(from));
  html = pieces.join('');

  const bytes = Buffer.from(html);
  const counted = [...sizes.values()].reduce((sum, p) => sum + p.embeddedBytes, 0);
  sizes.set('page markup', { files: 1, bytes: bytes.length - counted, embeddedBytes: bytes.length - counted });
  const report: SizeReport = {
    total: bytes.length,
    parts: [...sizes].map(([part, s]) => ({ part, ...s })).sort((a, b) => b.embeddedBytes - a.embeddedBytes),
    largest: largest.sort((a, b) => b.embeddedBytes - a.embeddedBytes).slice(0, 5),
  };
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes)
    throw new PostprocessError(
      `The single file is ${bytes.length} bytes, over the ${options.maxBytes} allowed (maxBytes)${options.compress ? '' : '; compress: true makes the engine about 2 MB smaller'}:\n${formatSizeReport(report)}`,
      options.output,
    );
  const changes: BuildChanges = new Map();
  if (!options.keepFiles) for (const path of build.paths) changes.set(path, null);
  changes.set(options.output, bytes);
  return { changes, notes, report };
}
