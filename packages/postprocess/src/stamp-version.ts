import { type BuildChanges, type BuildStep, PostprocessError, readText } from './build.js';
import { INDEX_FILE } from './csp.js';
import { elementsOf, escapeAttribute, insertAtHeadEnd, isLocalUrl, voidElementsOf } from './html.js';
import { hasSetting, SETTINGS_FILE, setSetting } from './settings.js';

export interface StampVersionOptions {
  /** The `<meta name>` the version goes in; false for none. Default 'version'. */
  meta?: string | false;
  /** The global (on window) the version is set to, in __settings__.js; false for none. Default 'BUILD_VERSION'. */
  global?: string | false;
  /** Add `?v=<version>` to the URLs of the files index.html loads, and to config.json and the first scene. Default true. */
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
    throw new PostprocessError(`stampVersion() takes the version as a non-empty string, e.g. stampVersion('1.4.2'); got ${String(version)}`);
  if (version.length > 128 || [...version].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new PostprocessError('stampVersion() takes a version of at most 128 printable characters');
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostprocessError("stampVersion()'s second argument is an options object, e.g. { cacheBust: false }");
  const options = input as Record<string, unknown>;
  const known = ['meta', 'global', 'cacheBust'];
  for (const key of Object.keys(options))
    if (!known.includes(key)) throw new PostprocessError(`stampVersion option ${key} is unknown; the options are ${known.join(', ')}`);
  const meta = options.meta ?? 'version';
  if (meta !== false && (typeof meta !== 'string' || !/^[\w.:-]+$/.test(meta)))
    throw new PostprocessError(`stampVersion option meta must be a meta name like "version", or false; got ${String(meta)}`);
  const global = options.global ?? 'BUILD_VERSION';
  if (global !== false && (typeof global !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(global)))
    throw new PostprocessError(`stampVersion option global must be a JavaScript identifier like "BUILD_VERSION", or false; got ${String(global)}`);
  const cacheBust = options.cacheBust ?? true;
  if (typeof cacheBust !== 'boolean') throw new PostprocessError(`stampVersion option cacheBust must be true or false; got ${String(cacheBust)}`);
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
    needs: (path) => path === INDEX_FILE || path === SETTINGS_FILE,
    async run(build) {
      const changes: BuildChanges = new Map();
      let html = await readText(build, INDEX_FILE, 'gets the version');
      if (options.cacheBust) {
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
          pieces.push(html.slice(from, range.start), `${attribute}="${escapeAttribute(withVersion(url, options.version))}"`);
          from = range.end;
        }
        pieces.push(html.slice(from));
        html = pieces.join('');
      }
      if (options.meta !== false) {
        const name = options.meta;
        const old = voidElementsOf(html, 'meta').find((m) => m.attributes.name === name);
        const meta = `<meta name="${name}" content="${escapeAttribute(options.version)}">`;
        html = old ? html.slice(0, old.start) + meta + html.slice(old.end) : insertAtHeadEnd(html, meta);
      }
      changes.set(INDEX_FILE, Buffer.from(html));
      if (options.global !== false || options.cacheBust) {
        let settings = await readText(build, SETTINGS_FILE, 'gets the version global and the cache-busted config and scene URLs');
        if (options.cacheBust) {
          for (const name of ['CONFIG_FILENAME', 'SCENE_PATH'])
            if (hasSetting(settings, name))
              settings = setSetting(settings, name, (url) => (url !== '' && isLocalUrl(url) ? withVersion(url, options.version) : url));
        }
        if (options.global !== false) {
          const assignment = `window.${options.global} = ${JSON.stringify(options.version)};`;
          settings = hasSetting(settings, options.global)
            ? setSetting(settings, options.global, () => options.version)
            : `${settings.trimEnd()}\n${assignment}\n`;
        }
        changes.set(SETTINGS_FILE, Buffer.from(settings));
      }
      return { changes, notes: [], report: undefined };
    },
  };
}
