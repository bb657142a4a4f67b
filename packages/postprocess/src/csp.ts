import { type BuildChanges, type BuildSource, type BuildStep, PostprocessError, readText } from './build.js';
import { isModuleScript, parseConfig } from './config.js';
import {
  buildPathOf,
  elementsOf,
  escapeAttribute,
  hashSource,
  insertAtHeadStart,
  isExecutable,
  isLocalUrl,
  type Tag,
  voidElementsOf,
} from './html.js';
import { loadingScreenEffects, startScriptStyle } from './inline-styles.js';
import { readSettings, SETTINGS_FILE } from './settings.js';
import { BLOCK, decodeBlock, isBlock, SOURCE_ATTRIBUTE } from './single-file-format.js';
import { checkSource, sourceFor } from './sources.js';

export const INDEX_FILE = 'index.html';

/** Extra sources by directive, for what the build reaches that the files do not show (an API, a font host...). */
const EXTRA_DIRECTIVES = {
  connect: 'connect-src',
  img: 'img-src',
  script: 'script-src',
  style: 'style-src',
  media: 'media-src',
  font: 'font-src',
  worker: 'worker-src',
  frame: 'frame-src',
} as const;

export interface CspOptions {
  /** Extra sources for connect-src (an API the game calls, a leaderboard...). */
  connect?: string[];
  img?: string[];
  script?: string[];
  style?: string[];
  media?: string[];
  font?: string[];
  worker?: string[];
  frame?: string[];
  /** Other directives, as they are: `{ 'frame-ancestors': ["'self'"], 'report-uri': ['/csp'] }`. */
  directives?: Record<string, string[]>;
  /** Put the policy in a `<meta http-equiv>` in index.html. Default true. */
  meta?: boolean;
  /** Also write a headers file for static hosts (Netlify, Cloudflare Pages): true for `_headers`, or its path. Default false. */
  headersFile?: boolean | string;
  /** More headers for the headers file, e.g. `{ 'X-Content-Type-Options': 'nosniff' }`. */
  headers?: Record<string, string>;
}

export interface ResolvedCspOptions {
  extra: Map<string, string[]>;
  meta: boolean;
  headersFile: string | undefined;
  headers: Record<string, string>;
}

/** Directives a browser ignores in a `<meta>` policy: they go in the headers file only. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

/** Restrictions that are not sources: present in every policy, outside the needed-source accounting. */
const HARDENING: Array<[string, string]> = [
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

const KNOWN = [...Object.keys(EXTRA_DIRECTIVES), 'directives', 'meta', 'headersFile', 'headers'];

export function resolveCspOptions(input: unknown = {}): ResolvedCspOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PostprocessError('csp() takes an options object, e.g. csp({ connect: ["https://api.example.com"] })');
  const options = input as Record<string, unknown>;
  for (const key of Object.keys(options))
    if (!KNOWN.includes(key)) throw new PostprocessError(`csp option ${key} is unknown; the options are ${KNOWN.join(', ')}`);
  const extra = new Map<string, string[]>();
  const list = (value: unknown, option: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new PostprocessError(`csp option ${option} must be a list of sources, e.g. ["https://cdn.example.com"]`);
    return value.map((v) => checkSource(v, option));
  };
  for (const [key, directive] of Object.entries(EXTRA_DIRECTIVES)) {
    const sources = list(options[key], key);
    if (sources.length > 0) extra.set(directive, sources);
  }
  const directives = options.directives ?? {};
  if (typeof directives !== 'object' || directives === null || Array.isArray(directives))
    throw new PostprocessError('csp option directives must be an object of directive names to source lists');
  for (const [name, sources] of Object.entries(directives)) {
    if (!/^[a-z][a-z-]*$/.test(name)) throw new PostprocessError(`csp option directives has ${JSON.stringify(name)}: not a directive name`);
    const checked =
      name === 'report-uri' || name === 'report-to' || name === 'sandbox' ? reportValues(sources, name) : list(sources, `directives['${name}']`);
    extra.set(name, [...(extra.get(name) ?? []), ...checked]);
  }
  const flag = (name: string, fallback: boolean) => {
    const value = options[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw new PostprocessError(`csp option ${name} must be true or false; got ${String(value)}`);
    return value;
  };
  const headersFile = options.headersFile;
  if (headersFile !== undefined && typeof headersFile !== 'boolean' && (typeof headersFile !== 'string' || headersFile.trim() === ''))
    throw new PostprocessError('csp option headersFile must be true (for _headers), false, or a path in the build');
  const headers = options.headers ?? {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    throw new PostprocessError('csp option headers must be an object of header names to values');
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw new PostprocessError(`csp option headers has ${JSON.stringify(name)}: not a header name`);
    if (typeof value !== 'string' || /[\r\n]/.test(value)) throw new PostprocessError(`csp option headers['${name}'] must be a one-line string`);
  }
  const resolved: ResolvedCspOptions = {
    extra,
    meta: flag('meta', true),
    headersFile: headersFile === true ? '_headers' : typeof headersFile === 'string' ? headersFile.replace(/^\/+/, '') : undefined,
    headers: headers as Record<string, string>,
  };
  if (!resolved.meta && resolved.headersFile === undefined)
    throw new PostprocessError('csp options meta: false and no headersFile leave the policy nowhere: keep the meta, or set headersFile');
  return resolved;
}

function reportValues(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || /[\s;,]/.test(v)))
    throw new PostprocessError(`csp option directives['${name}'] must be a list of values without spaces, ';' or ','`);
  return value as string[];
}

/** A source in the policy and why the build needs it. */
export interface PolicySource {
  directive: string;
  source: string;
  why: string;
}

export interface CspReport {
  /** The policy as written into the meta element and the headers file. */
  policy: string;
  /** Every source the build needs, with the reason; the options' extras are listed with the reason "option". */
  sources: PolicySource[];
}

class PolicyBuilder {
  readonly sources: PolicySource[] = [];
  private readonly order = [
    'default-src',
    'script-src',
    'style-src',
    'img-src',
    'connect-src',
    'media-src',
    'font-src',
    'worker-src',
    'manifest-src',
    'frame-src',
  ];

  /** A source the build needs; the same source may be needed for several reasons, each listed. */
  add(directive: string, source: string, why: string): void {
    if (!this.sources.some((s) => s.directive === directive && s.source === source && s.why === why)) this.sources.push({ directive, source, why });
  }

  render(extra: Map<string, string[]>, forMeta: boolean): string {
    const directives = new Map<string, string[]>();
    const push = (directive: string, source: string) => {
      const list = directives.get(directive) ?? [];
      if (!list.includes(source)) list.push(source);
      directives.set(directive, list);
    };
    for (const s of this.sources) push(s.directive, s.source);
    for (const [directive, sources] of extra) {
      if (!directives.has(directive)) directives.set(directive, []);
      for (const source of sources) push(directive, source);
    }
    for (const [directive, source] of HARDENING) if (!directives.has(directive)) push(directive, source);
    const rank = (d: string) => (this.order.includes(d) ? this.order.indexOf(d) : this.order.length);
    return [...directives]
      .filter(([directive]) => !(forMeta && HEADER_ONLY.has(directive)))
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([directive, sources]) => (sources.length > 0 ? `${directive} ${sources.join(' ')}` : directive))
      .join('; ');
  }
}

/** A script index.html runs at start: from a file of the build, inline, or (single file) from a block. */
interface BootScript {
  /** The build file it is or came from (`data-pc-source` on a single file's inline scripts), if known. */
  path: string | undefined;
  text: () => Promise<string>;
}

const isEngineFile = (path: string | undefined) => path !== undefined && /^playcanvas[^/]*\.js$/.test(path);

/**
 * The build's files as the page gets them: from the build, or, in a single file, from the block or inline
 * script that carries them.
 */
function fileReader(build: BuildSource, scripts: Tag[]): (path: string) => Promise<string | undefined> {
  return async (path) => {
    if (build.paths.has(path)) return readText(build, path, `${INDEX_FILE} needs`);
    const block = scripts.find((t) => isBlock(t) && t.attributes[BLOCK.file] === path);
    if (block) return decodeBlock(block).toString('utf8');
    return scripts.find((t) => t.attributes[SOURCE_ATTRIBUTE] === path)?.text;
  };
}

/** Works out the strictest policy under which the build starts: every source it needs, each with the reason. */
export async function derivePolicy(build: BuildSource, notes: string[] = []): Promise<PolicyBuilder> {
  const html = await readText(build, INDEX_FILE, 'the policy goes into');
  const scripts = elementsOf(html, 'script');
  const singleFile = scripts.some(isBlock); // its files are embedded: the engine fetches nothing
  const read = fileReader(build, scripts);
  const settingsSource = await read(SETTINGS_FILE);
  const settings = settingsSource === undefined ? undefined : readSettings(settingsSource);
  const configPath = settings && isLocalUrl(settings.configFilename) ? buildPathOf(settings.configFilename) : undefined;
  const configText = configPath ? await read(configPath) : undefined;
  const config = configText !== undefined && configPath ? parseConfig(configText, configPath) : undefined;
  const policy = new PolicyBuilder();
  policy.add('default-src', "'none'", 'nothing loads unless a directive below allows it');

  // scripts index.html runs: from files, inline, or from a single file's blocks
  const bootScripts: BootScript[] = [];
  scripts.forEach((tag, n) => {
    if (isBlock(tag)) {
      if (!(BLOCK.run in tag.attributes)) return;
      const text = decodeBlock(tag).toString('utf8');
      policy.add('script-src', hashSource(text), `${tag.attributes[BLOCK.file] ?? 'a boot script'}, run from its block in ${INDEX_FILE}`);
      if (BLOCK.boot in tag.attributes) bootScripts.push({ path: tag.attributes[BLOCK.file], text: async () => text });
      return;
    }
    if (!isExecutable(tag)) return;
    const src = tag.attributes.src;
    if (src !== undefined) {
      policy.add('script-src', sourceFor(src), `${INDEX_FILE} loads ${src}`);
      if (isLocalUrl(src)) {
        const path = buildPathOf(src);
        if (build.paths.has(path)) bootScripts.push({ path, text: () => readText(build, path, `${INDEX_FILE} loads`) });
      }
    } else {
      const from = tag.attributes[SOURCE_ATTRIBUTE];
      policy.add('script-src', hashSource(tag.text), from ? `${from}, inline in ${INDEX_FILE}` : `inline script ${n + 1} of ${INDEX_FILE}`);
      bootScripts.push({ path: from, text: async () => tag.text });
    }
  });

  // styles: linked, inline, inserted at start
  for (const link of voidElementsOf(html, 'link')) {
    const rel = (link.attributes.rel ?? '').toLowerCase().split(/\s+/);
    const href = link.attributes.href;
    if (href === undefined) continue;
    if (rel.includes('stylesheet')) policy.add('style-src', sourceFor(href), `${INDEX_FILE} links ${href}`);
    if (rel.includes('manifest')) policy.add('manifest-src', sourceFor(href), `${INDEX_FILE} links the web app manifest ${href}`);
  }
  const styles = elementsOf(html, 'style');
  for (const style of styles)
    policy.add(
      'style-src',
      hashSource(style.text),
      `an inline <style> of ${INDEX_FILE}${style.attributes[SOURCE_ATTRIBUTE] ? ` (${style.attributes[SOURCE_ATTRIBUTE]})` : ''}`,
    );
  const images: string[] = [];
  for (const script of bootScripts) {
    if (isEngineFile(script.path) || script.path === SETTINGS_FILE) continue;
    const source = await script.text();
    const name = script.path ?? `an inline script of ${INDEX_FILE}`;
    const start = startScriptStyle(source, name, styles[0]?.text, { width: config?.width, height: config?.height });
    const loading =
      /createLoadingScreen/.test(source) && settingsSource !== undefined ? loadingScreenEffects(settingsSource, source, name) : undefined;
    for (const found of [start, ...(loading ? [loading] : [])]) {
      for (const text of found.texts) policy.add('style-src', hashSource(text), `a <style> that ${name} inserts`);
      notes.push(...found.notes);
    }
    images.push(...(loading?.images ?? []));
  }

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
        if (isModuleScript(asset))
          policy.add('script-src', "'unsafe-eval'", `the engine imports ES module script ${asset.name} through new Function`);
        continue;
      }
      if (fetched) policy.add('connect-src', from, `the engine fetches ${asset.type || 'asset'} ${asset.name}`);
      if (asset.type === 'css') {
        const css = await read(buildPathOf(asset.url));
        if (css !== undefined) policy.add('style-src', hashSource(css), `CSS asset ${asset.name}, inserted as a <style>`);
        else notes.push(`CSS asset ${asset.name} (${asset.url}) is not in the build: the hash of the <style> it becomes could not be worked out`);
      } else if (asset.type === 'wasm') {
        policy.add('script-src', "'wasm-unsafe-eval'", `WebAssembly module ${asset.name} is compiled in the page`);
      } else if (asset.type === 'gsplat') {
        policy.add('worker-src', 'blob:', `Gaussian splat ${asset.name} is sorted in a worker the engine starts from a blob: URL`);
      } else if (fetched && (asset.type === 'texture' || asset.type === 'textureatlas' || asset.type === 'cubemap')) {
        policy.add('img-src', from, `browsers without createImageBitmap (Safari) decode textures such as ${asset.name} through <img>`);
      }
    }
    for (const module of settings.preloadModules) {
      policy.add('script-src', "'wasm-unsafe-eval'", `the build preloads WebAssembly module ${module.moduleName}`);
      if (/basis|draco/i.test(module.moduleName))
        policy.add('worker-src', 'blob:', `${module.moduleName} decodes in workers the engine starts from blob: URLs`);
      if (module.glueUrl && !embedded(module.glueUrl)) policy.add('script-src', fromPrefix, `the engine loads ${module.moduleName}'s glue script`);
      if (module.wasmUrl && !embedded(module.wasmUrl)) policy.add('connect-src', fromPrefix, `the engine fetches ${module.moduleName}'s WebAssembly`);
      if (singleFile) {
        policy.add('script-src', 'blob:', `a single file gives ${module.moduleName}'s glue script to the engine as a blob: URL`);
        policy.add('connect-src', 'blob:', `a single file gives ${module.moduleName}'s WebAssembly to the engine as a blob: URL`);
      }
    }
    if (settings.deviceTypes.includes('webgpu')) {
      policy.add('script-src', "'unsafe-eval'", 'WebGPU is enabled: the engine imports its shader compilers (glslang, twgsl) through new Function');
      policy.add('script-src', "'wasm-unsafe-eval'", 'WebGPU is enabled: its shader compilers are WebAssembly');
      policy.add('script-src', fromPrefix, 'WebGPU is enabled: the engine imports glslang.js and twgsl.js');
      policy.add('connect-src', fromPrefix, 'WebGPU is enabled: the engine fetches twgsl.wasm');
    }
  } else {
    notes.push(`the build has no ${settings ? 'config.json' : SETTINGS_FILE}: the policy covers only what ${INDEX_FILE} loads`);
  }
  // images the loading screen shows (the Editor's shows logo.png); a single file shows them from data: URLs
  for (const url of images) {
    const prefix = settings?.assetPrefix ?? '';
    const path = buildPathOf(url.startsWith(prefix) ? url.slice(prefix.length) : url);
    const inBlock = singleFile && scripts.some((t) => isBlock(t) && t.attributes[BLOCK.file] === path);
    policy.add('img-src', inBlock ? 'data:' : sourceFor(url), `the loading screen shows ${url}${inBlock ? ', embedded' : ''}`);
  }
  return policy;
}

/** The `_headers` file static hosts read: the policy and the other headers, for every path. */
export function headersFileText(policy: string, headers: Record<string, string>): string {
  const lines = ['/*', `  Content-Security-Policy: ${policy}`, ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`)];
  return `${lines.join('\n')}\n`;
}

/** Replaces a Content-Security-Policy meta element the page has, or adds one at the top of <head>. */
export function withPolicyMeta(html: string, policy: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy)}">`;
  const existing = voidElementsOf(html, 'meta').filter((m) => (m.attributes['http-equiv'] ?? '').toLowerCase() === 'content-security-policy');
  let out = html;
  for (const old of existing.reverse()) out = out.slice(0, old.start) + out.slice(old.start + old.source.length).replace(/^[ \t]*\r?\n/, '');
  if (existing.length > 0) out = out.replace(/\n[ \t]*\n/, '\n');
  return insertAtHeadStart(out, meta);
}

export function cspStep(input: CspOptions = {}): BuildStep<CspReport> {
  const options = resolveCspOptions(input);
  return {
    name: 'csp',
    needs: (path) => (!path.includes('/') && /\.(html|js|json)$/.test(path) && !/^playcanvas[^/]*\.js$/.test(path)) || path.endsWith('.css'),
    async run(build) {
      const notes: string[] = [];
      const policy = await derivePolicy(build, notes);
      const changes: BuildChanges = new Map();
      const metaPolicy = policy.render(options.extra, true);
      const fullPolicy = policy.render(options.extra, false);
      if (options.meta) changes.set(INDEX_FILE, Buffer.from(withPolicyMeta(await readText(build, INDEX_FILE, 'the policy goes into'), metaPolicy)));
      if (options.headersFile !== undefined) changes.set(options.headersFile, Buffer.from(headersFileText(fullPolicy, options.headers)));
      else if (metaPolicy !== fullPolicy)
        notes.push(`${[...options.extra.keys()].filter((d) => HEADER_ONLY.has(d)).join(', ')} only work in a header: set headersFile to write them`);
      return { changes, notes, report: { policy: options.meta ? metaPolicy : fullPolicy, sources: policy.sources } };
    },
  };
}
