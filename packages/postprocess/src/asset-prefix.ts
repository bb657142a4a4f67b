import { type BuildChanges, type BuildSource, type BuildStep, PostprocessError, readText } from './build.js';
import { isModuleScript, parseConfig } from './config.js';
import { buildPathOf, isLocalUrl } from './html.js';
import { withImportMapEntries } from './import-map.js';
import { type BuildLayout, describeLayout, layoutNeeds } from './layout.js';
import { readBuildSettings } from './settings.js';

export interface AssetPrefixOptions {
  /** Where the engine loads script libraries from (SCRIPT_PREFIX). Default: the asset prefix. */
  scriptPrefix?: string;
}

/**
 * The engine joins the prefix with asset URLs by concatenation and with scene URLs by path.join, so it must end
 * in exactly one slash for both to give the same address.
 */
export function normalizePrefix(prefix: string): string {
  return `${prefix.replace(/\/+$/, '')}/`;
}

function checkPrefix(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new PostprocessError(
      `${what} must be a URL or a path, e.g. 'https://cdn.example.com/game/1.4.2/'; got ${String(value)}`,
    );
  if (/[\s"'<>\\]/.test(value))
    throw new PostprocessError(`${what} ${JSON.stringify(value)} has spaces, quotes or backslashes: give a URL`);
  if (!isLocalUrl(value)) {
    let url: URL;
    try {
      url = new URL(value.startsWith('//') ? `https:${value}` : value);
    } catch {
      throw new PostprocessError(`${what} ${JSON.stringify(value)} is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new PostprocessError(`${what} must be an http(s) URL; got ${url.protocol}`);
    if (url.search !== '' || url.hash !== '')
      throw new PostprocessError(
        `${what} ${JSON.stringify(value)} has a query or fragment: the engine appends file paths to it`,
      );
    if (url.username !== '' || url.password !== '')
      throw new PostprocessError(`${what} must not carry credentials: every player would see them`);
  }
  return normalizePrefix(value);
}

export function assetPrefixStep(prefix: string, input: AssetPrefixOptions = {}): BuildStep {
  const assets = checkPrefix(prefix, 'assetPrefix()');
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostprocessError(
      "assetPrefix()'s second argument is an options object, e.g. { scriptPrefix: 'https://cdn.example.com/libs/' }",
    );
  for (const key of Object.keys(input))
    if (key !== 'scriptPrefix')
      throw new PostprocessError(`assetPrefix option ${key} is unknown; the option is scriptPrefix`);
  const scripts =
    input.scriptPrefix === undefined ? assets : checkPrefix(input.scriptPrefix, 'assetPrefix option scriptPrefix');
  return {
    name: 'assetPrefix',
    needs: (path) => layoutNeeds(path) || path === 'config.json',
    async run(build) {
      const notes: string[] = [];
      const { layout, settings } = await readBuildSettings(build);
      const { configFilename } = settings.settings;
      let updated = settings.set(settings.text, 'ASSET_PREFIX', () => assets);
      updated = settings.set(updated, 'SCRIPT_PREFIX', () => scripts);
      // the engine fetches CONFIG_FILENAME as it is (it joins only assets and scenes with the prefix)
      if (isLocalUrl(configFilename) && !configFilename.startsWith('/'))
        updated = settings.set(updated, 'CONFIG_FILENAME', (url) => assets + url.replace(/^(\.\/)+/, ''));
      const changes: BuildChanges = new Map([[settings.file, Buffer.from(updated)]]);
      const configPath = buildPathOf(configFilename);
      if (build.paths.has(configPath)) {
        const config = parseConfig(await readText(build, configPath, 'lists the assets'), configPath);
        const absolute = config.assets.filter(
          (a) => a.url !== undefined && (!isLocalUrl(a.url) || a.url.startsWith('/')),
        );
        if (absolute.length > 0)
          notes.push(
            `${absolute.length} asset URL(s) in ${configPath} are absolute ` +
              `(${absolute[0]?.url}${absolute.length > 1 ? ', ...' : ''}): ` +
              'the engine loads them from there, not from the prefix',
          );
        if (layout.name === 'esm' && config.assets.some(isModuleScript)) {
          changes.set('index.html', Buffer.from(await sameEngine(build, layout, assets)));
          notes.push(
            `the ES module scripts load from ${assets}js/esm-scripts/ and import the engine from there: ` +
              `the import map in index.html maps ${assets}${layout.engineFile} to the page's ${layout.engineFile}, ` +
              'so there is one engine; host js/ with the page too',
          );
        }
      }
      if (!isLocalUrl(assets))
        notes.push(
          `the engine fetches assets from ${new URL(assets.startsWith('//') ? `https:${assets}` : assets).origin} ` +
            'with CORS: that host must answer with Access-Control-Allow-Origin',
        );
      return { changes, notes, report: undefined };
    },
  };
}

/**
 * An ES module script imports the engine by a relative path (`../../playcanvas-stable.min.mjs`): loaded from the
 * prefix, it would load a second engine from there, whose Script class the page's engine does not know (the
 * scripts never register). An import map entry sends that URL back to the engine the page runs.
 */
async function sameEngine(build: BuildSource, layout: BuildLayout, prefix: string): Promise<string> {
  const html = await readText(build, 'index.html', 'holds the import map');
  if (!layout.engineFile)
    throw new PostprocessError(
      `assetPrefix() on ${describeLayout(layout)}: the build has no js/playcanvas*.mjs, ` +
        `so the ES module scripts loaded from the prefix cannot be given the page's engine`,
    );
  return withImportMapEntries(html, { [prefix + layout.engineFile]: `./${layout.engineFile}` });
}
