import { type BuildChanges, type BuildStep, PostprocessError, readText } from './build.js';
import { parseConfig } from './config.js';
import { buildPathOf, isLocalUrl } from './html.js';
import { readSettings, SETTINGS_FILE, setSetting } from './settings.js';

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
    throw new PostprocessError(`${what} must be a URL or a path, e.g. 'https://cdn.example.com/game/1.4.2/'; got ${String(value)}`);
  if (/[\s"'<>\\]/.test(value)) throw new PostprocessError(`${what} ${JSON.stringify(value)} has spaces, quotes or backslashes: give a URL`);
  if (!isLocalUrl(value)) {
    let url: URL;
    try {
      url = new URL(value.startsWith('//') ? `https:${value}` : value);
    } catch {
      throw new PostprocessError(`${what} ${JSON.stringify(value)} is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PostprocessError(`${what} must be an http(s) URL; got ${url.protocol}`);
    if (url.search !== '' || url.hash !== '')
      throw new PostprocessError(`${what} ${JSON.stringify(value)} has a query or fragment: the engine appends file paths to it`);
    if (url.username !== '' || url.password !== '') throw new PostprocessError(`${what} must not carry credentials: every player would see them`);
  }
  return normalizePrefix(value);
}

export function assetPrefixStep(prefix: string, input: AssetPrefixOptions = {}): BuildStep {
  const assets = checkPrefix(prefix, 'assetPrefix()');
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostprocessError("assetPrefix()'s second argument is an options object, e.g. { scriptPrefix: 'https://cdn.example.com/libs/' }");
  for (const key of Object.keys(input))
    if (key !== 'scriptPrefix') throw new PostprocessError(`assetPrefix option ${key} is unknown; the option is scriptPrefix`);
  const scripts = input.scriptPrefix === undefined ? assets : checkPrefix(input.scriptPrefix, 'assetPrefix option scriptPrefix');
  return {
    name: 'assetPrefix',
    needs: (path) => path === SETTINGS_FILE || path === 'config.json',
    async run(build) {
      const notes: string[] = [];
      const source = await readText(build, SETTINGS_FILE, 'holds the asset prefix');
      const settings = readSettings(source);
      let updated = setSetting(source, 'ASSET_PREFIX', () => assets);
      updated = setSetting(updated, 'SCRIPT_PREFIX', () => scripts);
      const configPath = buildPathOf(settings.configFilename);
      if (build.paths.has(configPath)) {
        const config = parseConfig(await readText(build, configPath, 'lists the assets'), configPath);
        const absolute = config.assets.filter((a) => a.url !== undefined && (!isLocalUrl(a.url) || a.url.startsWith('/')));
        if (absolute.length > 0)
          notes.push(
            `${absolute.length} asset URL(s) in ${configPath} are absolute (${absolute[0]?.url}${absolute.length > 1 ? ', ...' : ''}): the engine loads them from there, not from the prefix`,
          );
      }
      if (!isLocalUrl(assets))
        notes.push(
          `the engine fetches assets from ${new URL(assets.startsWith('//') ? `https:${assets}` : assets).origin} with CORS: that host must answer with Access-Control-Allow-Origin`,
        );
      const changes: BuildChanges = new Map([[SETTINGS_FILE, Buffer.from(updated)]]);
      return { changes, notes, report: undefined };
    },
  };
}
