import { readFileSync } from 'node:fs';
import { type BuildSource, PostprocessError, readText } from './build.js';
import { isModuleScript, parseConfig } from './config.js';
import { INDEX_FILE, isEngineFile } from './csp.js';
import {
  bodyEndInsertion,
  buildPathOf,
  elementsOf,
  escapeAttribute,
  headStartInsertion,
  isExecutable,
  isLocalUrl,
} from './html.js';
import { bootScriptEffects } from './inline-styles.js';
import { scriptForInline } from './script-escape.js';
import { readSettings, SETTINGS_FILE, setSetting, settingsGlobals } from './settings.js';
import type { ResolvedSingleFileOptions, SingleFilePage } from './single-file.js';
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

const RUNTIME = new URL('../runtime/single-file-runtime.js', import.meta.url);
const LOADER = new URL('../runtime/single-file-loader.js', import.meta.url);

/** The runtime, installed with what a classic page has: the global pc, the settings' globals. */
export const classicRuntime = () =>
  `${readFileSync(RUNTIME, 'utf8')}installSingleFile(window.pc, window.PRELOAD_MODULES, window.ASSET_PREFIX);\n`;
export const runtimeSource = () => readFileSync(RUNTIME, 'utf8');

/** A compressed page's loader, last in its body: it unpacks and runs the boot blocks (single-file-loader.js). */
export function loaderAtBodyEnd(html: string, sizes: SizeCounter): Replacement {
  const loader = readFileSync(LOADER, 'utf8');
  const markup = `<script ${SOURCE_ATTRIBUTE}="single-file-loader.js">${loader}</script>`;
  sizes.count('single-file runtime', loader.length, markup);
  const end = bodyEndInsertion(html, markup);
  return { start: end.at, end: end.at, markup: end.text };
}

/** A classic build (`__settings__.js`, the engine and boot scripts as `<script src>`): each script inline, in place. */
export async function makeClassicSingleFile(
  build: BuildSource,
  options: ResolvedSingleFileOptions,
  notes: string[],
): Promise<SingleFilePage> {
  const html = await readText(build, INDEX_FILE, 'is the page to make a single file of');
  refuseSingleFileTwice(elementsOf(html, 'script').some((t) => SOURCE_ATTRIBUTE in t.attributes));
  const settingsSource = await readText(build, SETTINGS_FILE, 'says where the app loads from');
  const settings = readSettings(settingsSource);
  const configPath = buildPathOf(settings.configFilename);
  const config = parseConfig(await readText(build, configPath, 'lists the assets'), configPath);

  // what the page will ask for: config, scenes, assets, modules, the loading screen's images
  const embeds = new EmbedList(build, notes);
  const inPage = new Set(
    elementsOf(html, 'script').flatMap((t) =>
      t.attributes.src !== undefined && isLocalUrl(t.attributes.src) ? [buildPathOf(t.attributes.src)] : [],
    ),
  );
  embeds.wantConfig(settings.configFilename, settings.scenePath, config, (file) => {
    if (isModuleScript(file.asset))
      throw new PostprocessError(
        `Script ${file.asset.name} is an ES module (${file.url}) in a classic build: its page has no module ` +
          'bundle to carry it; export the project again so that the Editor writes the ES module layout (js/index.mjs)',
        file.url,
      );
    return inPage.has(buildPathOf(file.url));
  });
  for (const module of settings.preloadModules)
    for (const url of [module.glueUrl, module.wasmUrl, module.fallbackUrl])
      embeds.want(url, { kind: 'modules' }, `module ${module.moduleName}`);
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
      embeds.want(relative, { kind: 'loading screen' }, `the loading screen's image ${image}`);
    }
  }

  const sizes = new SizeCounter();
  const blocks = await encodeFiles(build, embeds, sizes, options.compress || options.gzipFiles === true);

  // the page: a single file has no other origin, its own icon, its styles inline
  let single = setSetting(settingsSource, 'ASSET_PREFIX', () => '');
  single = setSetting(single, 'SCRIPT_PREFIX', () => '');
  const replacements: Replacement[] = await linkReplacements(build, html, sizes);
  const runtime = classicRuntime();
  const scripts = elementsOf(html, 'script').filter(
    (t) => isExecutable(t) && t.attributes.src !== undefined && isLocalUrl(t.attributes.src),
  );
  let runtimePlaced = false;
  for (const tag of scripts) {
    const path = buildPathOf(tag.attributes.src as string);
    const code = path === SETTINGS_FILE ? single : await readText(build, path, `${INDEX_FILE} loads`);
    const engine = isEngineFile(path);
    const part = engine ? 'engine' : 'boot scripts';
    let markup: string;
    if (options.compress) {
      markup = encodeBlock({
        path,
        bytes: Buffer.from(code),
        text: true,
        gzip: engine || code.length > 4096,
        run: true,
        boot: true,
      });
    } else {
      const type = (tag.attributes.type ?? '').trim().toLowerCase() === 'module' ? 'module' : 'script';
      const typeAttribute = type === 'module' ? ' type="module"' : '';
      const inline = scriptForInline(code, path, type);
      markup = `<script${typeAttribute} ${SOURCE_ATTRIBUTE}="${escapeAttribute(path)}">${inline}</script>`;
    }
    sizes.count(part, Buffer.byteLength(code), markup, path);
    // the files and the runtime come right after the settings: after the engine, before everything that starts the app
    if (path === SETTINGS_FILE) {
      const runtimeMarkup = options.compress
        ? encodeBlock({ bytes: Buffer.from(runtime), text: true, gzip: false, run: true, boot: true })
        : `<script ${SOURCE_ATTRIBUTE}="single-file-runtime.js">${runtime}</script>`;
      sizes.count('single-file runtime', runtime.length, runtimeMarkup);
      markup += `\n${blocks.join('\n')}\n${runtimeMarkup}`;
      runtimePlaced = true;
    }
    replacements.push({ start: tag.start, end: tag.end, markup });
  }
  if (!runtimePlaced)
    throw new PostprocessError(
      `${INDEX_FILE} does not load ${SETTINGS_FILE}: the single-file runtime has no place to go`,
      INDEX_FILE,
    );
  const icon = headStartInsertion(html, '<link rel="icon" href="data:,">');
  replacements.push({ start: icon.at, end: icon.at, markup: icon.text });
  if (options.compress) replacements.push(loaderAtBodyEnd(html, sizes));
  return { html: applyReplacements(html, replacements), sizes };
}
