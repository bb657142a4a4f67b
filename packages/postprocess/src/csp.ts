import { type BuildChanges, type BuildSource, type BuildStep, readText } from './build.js';
import { isModuleScript, parseConfig } from './config.js';
import { type BootScript, bootScriptSources, importMapSources, isEngineFile, layoutBootScripts } from './csp-boot.js';
import { type CspOptions, HEADER_ONLY, type ResolvedCspOptions, resolveCspOptions } from './csp-options.js';
import { configPathOf, fileReader, INDEX_FILE, layoutOf } from './csp-page-files.js';
import { cssSources } from './css-urls.js';
import { buildPathOf, hashSource, isExecutable, isLocalUrl, pageElements } from './html.js';
import { layoutNeeds } from './layout.js';
import { pageElementSources } from './page-sources.js';
import { type CspReport, PolicyBuilder } from './policy-builder.js';
import { headersFileText, refuseToReplace, withPolicyMeta } from './policy-output.js';
import { BLOCK, decodeBlock, isBlock, SOURCE_ATTRIBUTE } from './single-file-format.js';
import { sourceFor } from './sources.js';
import { UNKNOWN } from './static-value.js';

export { isEngineFile } from './csp-boot.js';
export type { CspOptions } from './csp-options.js';

export { INDEX_FILE } from './csp-page-files.js';
export type { CspReport, PolicySource } from './policy-builder.js';

/** Works out the strictest policy under which the build starts: every source it needs, each with the reason. */
export async function derivePolicy(
  build: BuildSource,
  notes: string[] = [],
  byHand: ResolvedCspOptions['byHand'] = new Set(),
): Promise<PolicyBuilder> {
  const html = await readText(build, INDEX_FILE, 'the policy goes into');
  const elements = pageElements(html);
  const scripts = elements.filter((t) => t.name === 'script' && !t.foreign);
  const singleFile = scripts.some(isBlock); // its files are embedded: the engine fetches nothing
  const read = fileReader(build, scripts);
  const { layout, settingsRead } = await layoutOf(build, scripts, read, notes);
  const settings = settingsRead?.settings;
  const classic = !layout?.name.startsWith('esm');
  const configPath = settings ? configPathOf(settings.configFilename, settings.assetPrefix) : undefined;
  const configText = configPath ? await read(configPath) : undefined;
  const config = configText !== undefined && configPath ? parseConfig(configText, configPath) : undefined;
  const policy = new PolicyBuilder();
  policy.add('default-src', "'none'", 'nothing loads unless a directive below allows it');

  // scripts index.html runs: from files, inline, or from a single file's blocks
  const bootScripts: BootScript[] = [];
  const scriptNumber = new Map(scripts.map((t, i) => [t, i + 1]));
  elements.forEach((tag) => {
    if (tag.name !== 'script') return;
    if (tag.foreign) {
      // an SVG <script> runs too: from href, or inline
      const href = tag.attributes.href ?? tag.attributes['xlink:href'];
      if (href !== undefined)
        policy.add('script-src', sourceFor(href), `${INDEX_FILE} loads ${href} from an SVG <script>`);
      else policy.add('script-src', hashSource(tag.text), `an inline SVG <script> of ${INDEX_FILE}`);
      return;
    }
    if (isBlock(tag)) {
      if (!(BLOCK.run in tag.attributes)) return;
      const text = decodeBlock(tag).toString('utf8');
      policy.add(
        'script-src',
        hashSource(text),
        `${tag.attributes[BLOCK.file] ?? 'a boot script'}, run from its block in ${INDEX_FILE}`,
      );
      if (BLOCK.boot in tag.attributes) bootScripts.push({ path: tag.attributes[BLOCK.file], text: async () => text });
      return;
    }
    if ((tag.attributes.type ?? '').trim().toLowerCase() === 'importmap' && tag.attributes.src === undefined) {
      importMapSources(tag.text, policy, notes);
      return;
    }
    if (!isExecutable(tag)) return;
    const src = tag.attributes.src;
    if (src !== undefined) {
      policy.add('script-src', sourceFor(src), `${INDEX_FILE} loads ${src}`);
      if (isLocalUrl(src)) {
        const path = buildPathOf(src);
        const module = (tag.attributes.type ?? '').trim().toLowerCase() === 'module';
        if (build.paths.has(path))
          bootScripts.push({ path, module, text: () => readText(build, path, `${INDEX_FILE} loads`) });
      }
    } else {
      const from = tag.attributes[SOURCE_ATTRIBUTE];
      policy.add(
        'script-src',
        hashSource(tag.text),
        from ? `${from}, inline in ${INDEX_FILE}` : `inline script ${scriptNumber.get(tag)} of ${INDEX_FILE}`,
      );
      bootScripts.push({
        path: from,
        module: (tag.attributes.type ?? '').trim().toLowerCase() === 'module',
        text: async () => tag.text,
      });
    }
  });

  // styles: linked, inline, inserted at start
  pageElementSources(elements, policy, notes, INDEX_FILE);
  for (const link of elements.filter((t) => t.name === 'link' && !t.foreign)) {
    const rel = (link.attributes.rel ?? '').toLowerCase().split(/\s+/);
    const href = link.attributes.href;
    if (href === undefined) continue;
    if (rel.includes('stylesheet')) policy.add('style-src', sourceFor(href), `${INDEX_FILE} links ${href}`);
    if (rel.includes('manifest'))
      policy.add('manifest-src', sourceFor(href), `${INDEX_FILE} links the web app manifest ${href}`);
  }
  const styles = elements.filter((t) => t.name === 'style' && !t.foreign);
  for (const style of styles) {
    const source = style.attributes[SOURCE_ATTRIBUTE];
    const what = `an inline <style> of ${INDEX_FILE}${source ? ` (${source})` : ''}`;
    policy.add('style-src', hashSource(style.text), what);
    cssSources(style.text, policy, what);
  }
  bootScripts.push(...layoutBootScripts(layout, read).filter((s) => !bootScripts.some((b) => b.path === s.path)));
  const globals = settingsRead?.globals ?? (() => UNKNOWN);
  const images = await bootScriptSources(bootScripts, layout, policy, notes, byHand, {
    globals,
    firstStyleText: styles[0]?.text,
    members: { 'app._width': config?.width, 'app._height': config?.height },
    // ES module layouts: the bootstrap and the loading screen import the settings from js/__settings__.mjs
    imported: (specifier, name) => (/(^|\/)__settings__\.mjs$/.test(specifier) ? globals(name) : UNKNOWN),
  });

  if (settings && config) {
    const fromPrefix = sourceFor(settings.assetPrefix || './');
    const embedded = (url: string) => singleFile && isLocalUrl(url);
    if (!embedded(settings.configFilename))
      policy.add('connect-src', sourceFor(settings.configFilename), `the engine fetches ${settings.configFilename}`);
    if (settings.scenePath !== undefined && !embedded(settings.scenePath))
      policy.add('connect-src', fromPrefix, `the engine fetches the scene ${settings.scenePath}`);
    for (const asset of config.assets) {
      if (asset.url === undefined) continue;
      const from = isLocalUrl(asset.url) ? fromPrefix : sourceFor(asset.url);
      const fetched = !embedded(asset.url);
      if (asset.type === 'script') {
        if (fetched) policy.add('script-src', from, `the engine loads script ${asset.name}`);
        if (isModuleScript(asset) && classic)
          policy.add(
            'script-src',
            "'unsafe-eval'",
            `the engine imports ES module script ${asset.name} through new Function`,
          );
        continue;
      }
      if (fetched) policy.add('connect-src', from, `the engine fetches ${asset.type || 'asset'} ${asset.name}`);
      if (asset.type === 'css') {
        const css = await read(buildPathOf(asset.url));
        if (css !== undefined) {
          policy.add('style-src', hashSource(css), `CSS asset ${asset.name}, inserted as a <style>`);
          cssSources(css, policy, `CSS asset ${asset.name}`);
        } else
          notes.push(
            `CSS asset ${asset.name} (${asset.url}) is not in the build: ` +
              'the hash of the <style> it becomes could not be worked out',
          );
      } else if (asset.type === 'wasm') {
        policy.add('script-src', "'wasm-unsafe-eval'", `WebAssembly module ${asset.name} is compiled in the page`);
      } else if (asset.type === 'gsplat') {
        policy.add(
          'worker-src',
          'blob:',
          `Gaussian splat ${asset.name} is sorted in a worker the engine starts from a blob: URL`,
        );
      } else if (fetched && (asset.type === 'texture' || asset.type === 'textureatlas' || asset.type === 'cubemap')) {
        policy.add(
          'img-src',
          from,
          `browsers without createImageBitmap (Safari) decode textures such as ${asset.name} through <img>`,
        );
      }
    }
    for (const module of settings.preloadModules) {
      policy.add('script-src', "'wasm-unsafe-eval'", `the build preloads WebAssembly module ${module.moduleName}`);
      if (/basis|draco/i.test(module.moduleName))
        policy.add('worker-src', 'blob:', `${module.moduleName} decodes in workers the engine starts from blob: URLs`);
      // seen on real exports (1.58, 2.13): the Basis worker importScripts() its glue from a blob: URL, and that glue
      // compiles code with new Function; without both, Basis textures never load and the scene waits for them
      if (/basis/i.test(module.moduleName)) {
        policy.add(
          'script-src',
          'blob:',
          `${module.moduleName}'s worker loads the transcoder's glue from a blob: URL (importScripts)`,
        );
        policy.add(
          'script-src',
          "'unsafe-eval'",
          `${module.moduleName}'s transcoder glue compiles code with new Function in its worker`,
        );
      }
      if (module.glueUrl && !embedded(module.glueUrl))
        policy.add('script-src', fromPrefix, `the engine loads ${module.moduleName}'s glue script`);
      if (module.wasmUrl && !embedded(module.wasmUrl))
        policy.add('connect-src', fromPrefix, `the engine fetches ${module.moduleName}'s WebAssembly`);
      if (singleFile) {
        policy.add(
          'script-src',
          'blob:',
          `a single file gives ${module.moduleName}'s glue script to the engine as a blob: URL`,
        );
        policy.add(
          'connect-src',
          'blob:',
          `a single file gives ${module.moduleName}'s WebAssembly to the engine as a blob: URL`,
        );
      }
    }
    if (settings.deviceTypes.includes('webgpu')) {
      if (classic)
        policy.add(
          'script-src',
          "'unsafe-eval'",
          'WebGPU is enabled: the engine imports its shader compilers (glslang, twgsl) through new Function',
        );
      policy.add('script-src', "'wasm-unsafe-eval'", 'WebGPU is enabled: its shader compilers are WebAssembly');
      policy.add('script-src', fromPrefix, 'WebGPU is enabled: the engine imports glslang.js and twgsl.js');
      policy.add('connect-src', fromPrefix, 'WebGPU is enabled: the engine fetches twgsl.wasm');
    }
  } else {
    notes.push(
      `the build has no ${settings ? 'config.json' : 'settings'}: the policy covers only what ${INDEX_FILE} loads`,
    );
  }
  // images the loading screen shows (the Editor's shows logo.png); a single file shows them from data: URLs
  for (const url of images) {
    const prefix = settings?.assetPrefix ?? '';
    const path = buildPathOf(url.startsWith(prefix) ? url.slice(prefix.length) : url);
    const inBlock = singleFile && scripts.some((t) => isBlock(t) && t.attributes[BLOCK.file] === path);
    policy.add(
      'img-src',
      inBlock ? 'data:' : sourceFor(url),
      `the loading screen shows ${url}${inBlock ? ', embedded' : ''}`,
    );
  }
  return policy;
}

export function cspStep(input: CspOptions = {}): BuildStep<CspReport> {
  const options = resolveCspOptions(input);
  return {
    name: 'csp',
    needs: (path) => cspNeeds(path),
    async run(build) {
      const notes: string[] = [];
      const policy = await derivePolicy(build, notes, options.byHand);
      const changes: BuildChanges = new Map();
      const metaPolicy = policy.render(options.extra, true);
      const fullPolicy = policy.render(options.extra, false);
      if (options.meta)
        changes.set(
          INDEX_FILE,
          Buffer.from(withPolicyMeta(await readText(build, INDEX_FILE, 'the policy goes into'), metaPolicy)),
        );
      if (options.headersFile !== undefined) {
        refuseToReplace(build, options.headersFile);
        changes.set(options.headersFile, Buffer.from(headersFileText(fullPolicy, options.headers)));
      } else if (metaPolicy !== fullPolicy)
        notes.push(
          `${[...options.extra.keys()].filter((d) => HEADER_ONLY.has(d)).join(', ')} only work in a header: ` +
            'set headersFile to write them',
        );
      return { changes, notes, report: { policy: options.meta ? metaPolicy : fullPolicy, sources: policy.sources } };
    },
  };
}

/**
 * The files csp() may read: index.html and the root JSON, every script but the engine (index.html may load one from
 * any folder, e.g. vendor/x.js), CSS. Only what the page uses is read; the rest passes by.
 */
export function cspNeeds(path: string): boolean {
  if (isEngineFile(path)) return false;
  return (!path.includes('/') && /\.(html|json)$/.test(path)) || /\.(m?js|css)$/.test(path) || layoutNeeds(path);
}
