import { type BuildChanges, type BuildStep, PostprocessError, readText } from './build.js';
import { INDEX_FILE } from './csp.js';
import { buildPathOf, elementsOf, escapeAttribute, insertAtHeadEnd, isLocalUrl, voidElementsOf } from './html.js';
import { type BuildLayout, layoutNeeds } from './layout.js';
import { type LayoutSettings, readBuildSettings } from './settings.js';

export interface StampVersionOptions {
  /** The `<meta name>` the version goes in; false for none. Default 'version'. */
  meta?: string | false;
  /** The global (on window) the version is set to, in __settings__.js; false for none. Default 'BUILD_VERSION'. */
  global?: string | false;
  /**
   * Add `?v=<version>` to the URLs of the files index.html loads, and to config.json and the first scene. Default true.
   */
  cacheBust?: boolean;
}

interface ResolvedStampOptions {
  version: string;
  meta: string | false;
  global: string | false;
  cacheBust: boolean;
}

export function resolveStampOptions(version: unknown, input: unknown = {}): ResolvedStampOptions {
  if (typeof version !== 'string' || version.trim() === '')
    throw new PostprocessError(
      `stampVersion() takes the version as a non-empty string, e.g. stampVersion('1.4.2'); got ${String(version)}`,
    );
  if (version.length > 128 || [...version].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new PostprocessError('stampVersion() takes a version of at most 128 printable characters');
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostprocessError("stampVersion()'s second argument is an options object, e.g. { cacheBust: false }");
  const options = input as Record<string, unknown>;
  const known = ['meta', 'global', 'cacheBust'];
  for (const key of Object.keys(options))
    if (!known.includes(key))
      throw new PostprocessError(`stampVersion option ${key} is unknown; the options are ${known.join(', ')}`);
  const meta = options.meta ?? 'version';
  if (meta !== false && (typeof meta !== 'string' || !/^[\w.:-]+$/.test(meta)))
    throw new PostprocessError(
      `stampVersion option meta must be a meta name like "version", or false; got ${String(meta)}`,
    );
  const global = options.global ?? 'BUILD_VERSION';
  if (global !== false && (typeof global !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(global)))
    throw new PostprocessError(
      'stampVersion option global must be a JavaScript identifier like "BUILD_VERSION", or false; ' +
        `got ${String(global)}`,
    );
  const cacheBust = options.cacheBust ?? true;
  if (typeof cacheBust !== 'boolean')
    throw new PostprocessError(`stampVersion option cacheBust must be true or false; got ${String(cacheBust)}`);
  return { version, meta, global, cacheBust };
}

/** The URL with `v=<version>` in its query (replacing an earlier one), its fragment kept. */
export function withVersion(url: string, version: string): string {
  const [beforeHash, ...hash] = url.split('#');
  const [path, query = ''] = (beforeHash ?? '').split('?');
  const params = query.split('&').filter((p) => p !== '' && !p.startsWith('v='));
  params.push(`v=${encodeURIComponent(version)}`);
  return `${path}?${params.join('&')}${hash.length > 0 ? `#${hash.join('#')}` : ''}`;
}

export function stampVersionStep(version: string, input: StampVersionOptions = {}): BuildStep {
  const options = resolveStampOptions(version, input);
  return {
    name: 'stampVersion',
    needs: (path) => path === INDEX_FILE || layoutNeeds(path),
    async run(build) {
      const changes: BuildChanges = new Map();
      const notes: string[] = [];
      const { layout, settings } = await readBuildSettings(build);
      let html = await readText(build, INDEX_FILE, 'gets the version');
      if (options.cacheBust) html = cacheBusted(html, layout, options.version, notes);
      if (options.meta !== false) {
        const name = options.meta;
        const old = voidElementsOf(html, 'meta').find((m) => m.attributes.name === name);
        const meta = `<meta name="${name}" content="${escapeAttribute(options.version)}">`;
        html = old ? html.slice(0, old.start) + meta + html.slice(old.end) : insertAtHeadEnd(html, meta);
      }
      changes.set(INDEX_FILE, Buffer.from(html));
      if (options.global !== false || options.cacheBust) {
        let text = settings.text;
        if (options.cacheBust) {
          for (const name of ['CONFIG_FILENAME', 'SCENE_PATH'])
            if (settings.has(text, name))
              text = settings.set(text, name, (url) =>
                url !== '' && isLocalUrl(url) ? withVersion(url, options.version) : url,
              );
        }
        if (options.global !== false) text = withGlobal(text, settings, layout, options.global, options.version);
        changes.set(settings.file, Buffer.from(text));
      }
      return { changes, notes, report: undefined };
    },
  };
}

/**
 * `?v=` on the files index.html loads. Every module must import the engine by one URL, or the page runs two
 * engines: the ES module layouts keep the URLs of modules that other modules import too (a concatenated
 * js/index.mjs is imported back by its js/esm.mjs chunk); the import map is left as it is.
 */
function cacheBusted(html: string, layout: BuildLayout, version: string, notes: string[]): string {
  const importedByOthers = (path: string) => layout.name === 'esm-concatenated' && path === layout.startScript;
  const tags = [
    ...elementsOf(html, 'script')
      .filter((t) => t.attributes.src !== undefined)
      .map((t) => ({ tag: t, attribute: 'src' })),
    ...voidElementsOf(html, 'link')
      .filter((t) => t.attributes.href !== undefined)
      .map((t) => ({ tag: t, attribute: 'href' })),
  ].sort((a, b) => a.tag.start - b.tag.start);
  const pieces: string[] = [];
  let from = 0;
  for (const { tag, attribute } of tags) {
    const url = tag.attributes[attribute] as string;
    const range = tag.attributeRanges[attribute];
    if (!isLocalUrl(url) || !range) continue;
    if (importedByOthers(buildPathOf(url))) {
      notes.push(`${url} keeps its URL: js/esm.mjs imports it by that URL, and a second URL would run a second engine`);
      continue;
    }
    pieces.push(html.slice(from, range.start), `${attribute}="${escapeAttribute(withVersion(url, version))}"`);
    from = range.end;
  }
  pieces.push(html.slice(from));
  if (layout.name.startsWith('esm'))
    notes.push(
      `the modules ${layout.startScript} imports (the engine, the settings, the ES module scripts) keep their URLs, ` +
        'so that each module, the engine above all, is loaded once: serve js/ under a versioned path (assetPrefix) ' +
        'to renew them',
    );
  return pieces.join('');
}

/** The version as a global: replaced where the settings set it already, else added after them. */
function withGlobal(
  text: string,
  settings: LayoutSettings,
  layout: BuildLayout,
  name: string,
  version: string,
): string {
  if (settings.has(text, name)) return settings.set(text, name, () => version);
  const assignment = `window.${name} = ${JSON.stringify(version)};`;
  if (layout.settingsForm !== 'bundle-constants') return `${text.trimEnd()}\n${assignment}\n`;
  const end = settings.end(text);
  return `${text.slice(0, end)}${assignment}${text.slice(end)}`;
}
