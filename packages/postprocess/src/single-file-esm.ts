import { type BuildSource, PostprocessError, readText } from './build.js';
import { isModuleScript, parseConfig } from './config.js';
import { INDEX_FILE } from './csp.js';
import { buildPathOf, elementsOf, escapeAttribute, headStartInsertion, isExecutable, isLocalUrl } from './html.js';
import { bootScriptEffects } from './inline-styles.js';
import { layoutFilesOf, readLayout } from './layout.js';
import { scriptForInline } from './script-escape.js';
import { layoutSettings } from './settings.js';
import type { ResolvedSingleFileOptions, SingleFilePage } from './single-file.js';
import { bundleModules } from './single-file-bundle.js';
import { loaderAtBodyEnd, runtimeSource } from './single-file-classic.js';
import { encodeBlock, SOURCE_ATTRIBUTE } from './single-file-format.js';
import {
  applyReplacements,
  EmbedList,
  encodeFiles,
  linkReplacements,
  type Replacement,
  refuseSingleFileTwice,
  SizeCounter,
} from './single-file-parts.js';
import { UNKNOWN } from './static-value.js';

const LARGE_MODULE = 512 * 1024;

const isModuleTag = (tag: { attributes: Record<string, string> }) =>
  (tag.attributes.type ?? '').trim().toLowerCase() === 'module';

/** The page's import map (the Editor writes one inline `<script type="importmap">`); other maps are refused. */
function importMapOf(html: string): { imports: Record<string, string>; tags: Array<{ start: number; end: number }> } {
  const tags = elementsOf(html, 'script').filter((t) => (t.attributes.type ?? '').trim().toLowerCase() === 'importmap');
  const imports: Record<string, string> = {};
  for (const tag of tags) {
    if (tag.attributes.src !== undefined)
      throw new PostprocessError(
        `${INDEX_FILE} loads its import map from ${tag.attributes.src}: write it inline, as the Editor does`,
        INDEX_FILE,
      );
    let map: { imports?: unknown; scopes?: unknown };
    try {
      map = JSON.parse(tag.text) as typeof map;
    } catch (error) {
      throw new PostprocessError(
        `The import map in ${INDEX_FILE} is not JSON (${(error as Error).message})`,
        INDEX_FILE,
      );
    }
    if (map.scopes !== undefined)
      throw new PostprocessError(
        `The import map in ${INDEX_FILE} has scopes, which singleFile() does not follow`,
        INDEX_FILE,
      );
    for (const [key, value] of Object.entries((map.imports ?? {}) as Record<string, unknown>))
      if (typeof value === 'string') imports[key] = value;
  }
  return { imports, tags };
}

/**
 * An ES module build (`js/index.mjs`, its settings and engine as modules, ES module scripts under
 * `js/esm-scripts/`, or the concatenated `js/index.mjs` + `js/esm.mjs`): one `<script type="module">` bundled from
 * them, the files the engine asks for as blocks before it, the import map gone (nothing is left to map).
 * Compressed, the module is a gzipped block the loader unpacks and runs as an inline module: the same code at the
 * same URL (import.meta, top-level await as before), run a little later than the parser would (after the unpacking).
 */
export async function makeModuleSingleFile(
  build: BuildSource,
  options: ResolvedSingleFileOptions,
  notes: string[],
): Promise<SingleFilePage> {
  const html = await readText(build, INDEX_FILE, 'is the page to make a single file of');
  refuseSingleFileTwice(elementsOf(html, 'script').some((t) => SOURCE_ATTRIBUTE in t.attributes));
  const map = importMapOf(html);
  const moduleTags = elementsOf(html, 'script').filter(
    (t) => isExecutable(t) && isModuleTag(t) && t.attributes.src !== undefined,
  );
  const local = moduleTags.filter((t) => isLocalUrl(t.attributes.src as string));
  for (const tag of moduleTags.filter((t) => !local.includes(t)))
    notes.push(
      `${INDEX_FILE} loads the module ${tag.attributes.src} from another origin: the single file still requests it`,
    );
  const entries = local.map((t) => buildPathOf(t.attributes.src as string));
  for (const entry of entries)
    if (!build.paths.has(entry))
      throw new PostprocessError(`The build has no ${entry}, which ${INDEX_FILE} loads`, entry);
  const firstLocal = local[0];
  if (!firstLocal)
    throw new PostprocessError(`${INDEX_FILE} loads no module of the build: there is nothing to bundle`, INDEX_FILE);

  // the settings and the engine, as the layout reader finds them (a concatenated build's are inside js/index.mjs)
  const layout = await readLayout(layoutFilesOf(build));
  const { settings } = layoutSettings(layout, await readText(build, layout.settingsFile, 'holds the settings'));
  const { configFilename, scenePath, assetPrefix } = settings;
  const configPath = buildPathOf(configFilename);
  const config = parseConfig(await readText(build, configPath, 'lists the assets'), configPath);
  // a concatenated build's engine is inside its js/index.mjs, which is bundled as the bootstrap it also is
  const engine = layout.name === 'esm' ? layout.engineFile : undefined;

  const scriptModules = config.assets.flatMap((a) =>
    isModuleScript(a) && a.url !== undefined && build.paths.has(buildPathOf(a.url)) ? [buildPathOf(a.url)] : [],
  );
  const bundle = await bundleModules(build, {
    entries,
    importMap: map.imports,
    scriptModules,
    engine,
    runtime: runtimeSource(),
    assetPrefix,
  });

  const embeds = new EmbedList(build, notes);
  // ES module scripts are in the bundle; a concatenated build's are in js/esm.mjs, not at their config URLs
  embeds.wantConfig(configFilename, scenePath, config, (file) => isModuleScript(file.asset));
  // the loading screen's images: the settings' ASSET_PREFIX is an import there, so `ASSET_PREFIX + 'logo.png'`
  // (the Editor's default) is taken as the logo the build has
  for (const path of bundle.inputs) {
    if (path === engine) continue;
    const code = (await build.read(path)).toString('utf8');
    if (!/createLoadingScreen/.test(code)) continue;
    const logo = build.paths.has('logo.png') && /\blogo\.png\b/.test(code);
    if (logo) embeds.want('logo.png', { kind: 'loading screen' }, 'the loading screen logo');
    // a concatenated js/index.mjs holds the engine too: too large to read for images (seconds); its logo is
    // taken as above
    if (code.length > LARGE_MODULE) continue;
    const globals = (name: string) => (name === 'ASSET_PREFIX' ? assetPrefix : UNKNOWN);
    const shown = bootScriptEffects(code, path, { globals, firstStyleText: undefined }, false, 'module');
    const unread = shown.unreadableImages.filter((what) => !(logo && what.includes('logo.png')));
    notes.push(...unread.map((what) => `${what}: the single file cannot embed it`));
    for (const image of shown.images)
      embeds.want(
        image.startsWith(assetPrefix) ? image.slice(assetPrefix.length) : image,
        { kind: 'loading screen' },
        `the loading screen's image ${image}`,
      );
  }

  const sizes = new SizeCounter();
  const blocks = await encodeFiles(build, embeds, sizes, options.compress || options.gzipFiles === true);
  const replacements: Replacement[] = await linkReplacements(build, html, sizes);
  for (const tag of map.tags) replacements.push({ start: tag.start, end: tag.end, markup: '' });
  const entry = entries[0] as string;
  // compressed: the bundle gzipped in an inert block, run by the loader as an inline module once unpacked
  const gzipped = { path: entry, bytes: Buffer.from(bundle.code), text: true, gzip: true, run: true, boot: true };
  const inline = scriptForInline(bundle.code, entry, 'module');
  const moduleMarkup = options.compress
    ? encodeBlock({ ...gzipped, module: true })
    : `<script type="module" ${SOURCE_ATTRIBUTE}="${escapeAttribute(entry)}">${inline}</script>`;
  let moduleBytes = 0;
  for (const path of bundle.inputs) moduleBytes += (await build.read(path)).length;
  sizes.count('modules (one bundle)', moduleBytes, moduleMarkup, entry);
  // the blocks before the module: a module runs once the page is parsed, so any place would do; this one reads in order
  replacements.push({ start: firstLocal.start, end: firstLocal.end, markup: `${blocks.join('\n')}\n${moduleMarkup}` });
  for (const tag of local.slice(1)) replacements.push({ start: tag.start, end: tag.end, markup: '' });
  const icon = headStartInsertion(html, '<link rel="icon" href="data:,">');
  replacements.push({ start: icon.at, end: icon.at, markup: icon.text });
  if (options.compress) replacements.push(loaderAtBodyEnd(html, sizes));
  return { html: applyReplacements(html, replacements), sizes };
}
