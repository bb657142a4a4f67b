import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { minify } from 'terser';
import { type BundlePlugin, rollup } from './rollup-api.js';

/**
 * The concatenated ES module build (Editor layout C): Rollup bundles js/index.mjs with the engine, the settings,
 * the module loader and the loading screen into one `js/index.mjs`, and every ES module script into one chunk,
 * `js/esm.mjs`, which imports the engine's classes back from `./index.mjs` (a circular import, as in real
 * exports). The engine's script loader goes through `__esmScriptDynamicImportRuntime__`, a switch from each
 * script's `./esm-scripts/…` URL to the chunk. Each module is minified on its own (whitespace only, names kept),
 * before Rollup adds its namespace objects and export lists, which is how the Editor's bundles read. Nothing is
 * tree-shaken: the bundle holds the whole engine (license banner included), as the mixed bundles read do.
 */

/** The engine's dynamic import in ScriptHandler._loadModule: `import(/* @vite-ignore *\/ … importUrl.toString())`. */
const LOAD_MODULE_IMPORT = /\bimport\((\s*\/\*[^*]*\*\/)*\s*importUrl\.toString\(\)\s*\)/g;
const RUNTIME = '__esm-script-runtime__.mjs';
const ROOT = '/js/';

export interface BundledBuild {
  /** js/index.mjs */
  index: string;
  /** js/esm.mjs */
  esm: string;
}

/**
 * Bundles `modules` (texts by their path under js/: index.mjs, __settings__.mjs, __modules__.mjs,
 * __loading__.mjs, playcanvas-stable.min.mjs, esm-scripts/…). `scripts` are the ES module scripts' paths.
 * Seconds of work on a 4 MB engine: run it through `bundleOffThread` (esm-bundle-thread.ts) in the mock.
 */
export async function bundleEsmBuild(modules: ReadonlyMap<string, string>, scripts: string[]): Promise<BundledBuild> {
  const engine = modules.get('playcanvas-stable.min.mjs');
  if (engine === undefined) throw new Error('bundleEsmBuild: no engine module');
  const files = new Map([...modules].map(([path, text]) => [ROOT + path, text]));
  files.set(`${ROOT}playcanvas-stable.min.mjs`, routedEngine(engine));
  files.set(ROOT + RUNTIME, dynamicImportRuntime(scripts));
  const input = `${ROOT}index.mjs`;
  const bundle = await rollup({
    input,
    plugins: [virtualFiles(files)],
    onLog: () => undefined,
    cache,
    treeshake: false,
  });
  cache = bundle.cache;
  try {
    const { output } = await bundle.generate({
      format: 'es',
      entryFileNames: 'index.mjs',
      chunkFileNames: '[name].mjs',
      // the loading screen (imported dynamically) stays in the entry chunk: `Promise.resolve().then(…)`
      manualChunks: (id) => (id.startsWith(`${ROOT}esm-scripts/`) ? 'esm' : 'index'),
    });
    const chunk = (name: string) => output.find((o) => o.fileName === name && o.type === 'chunk')?.code;
    const index = chunk('index.mjs');
    const esm = chunk('esm.mjs');
    if (index === undefined || esm === undefined || output.length !== 2)
      throw new Error(
        `bundleEsmBuild: Rollup wrote ${output.map((o) => o.fileName).join(', ')}; expected index.mjs and esm.mjs`,
      );
    return { index, esm };
  } finally {
    await bundle.close();
  }
}

/** The engine with its script loader's import() replaced by the runtime switch. */
function routedEngine(engine: string): string {
  const found = engine.match(LOAD_MODULE_IMPORT)?.length ?? 0;
  if (found !== 1)
    throw new Error(`bundleEsmBuild: the engine has ${found} script-loader import() calls where one was expected`);
  const routed = engine.replace(LOAD_MODULE_IMPORT, (call) =>
    call.replace('import(', '__esmScriptDynamicImportRuntime__('),
  );
  return `import { __esmScriptDynamicImportRuntime__ } from './${RUNTIME}';\n${routed}`;
}

/** Maps a script's URL (resolved against the page) back to its module by the path after `/esm-scripts/`. */
function dynamicImportRuntime(scripts: string[]): string {
  const cases = scripts.map((path) => {
    const specifier = JSON.stringify(`./${path}`);
    return `        case ${specifier}:\n            return import(${specifier});\n`;
  });
  return `export function __esmScriptDynamicImportRuntime__(path) {
    const pathname = decodeURIComponent(new URL(path).pathname);
    const [, ...relativePath] = pathname.split("/esm-scripts/");
    const specifier = ["", relativePath].join("./esm-scripts/");
    switch (specifier) {
${cases.join('')}        default:
            return import(path);
    }
}
`;
}

/** Rollup's parsed modules of the last bundle: the engine, the same in every build, is not parsed again. */
let cache: unknown;

/** Large modules (the engine) are minified once per process: every concatenated build bundles the same text. */
const minifiedOnce = new Map<string, Promise<string>>();
const ONCE_OVER = 1_000_000;

function minifyModule(code: string): Promise<string> {
  const run = async () => {
    const format = { comments: /@license/, keep_quoted_props: true };
    const result = await minify(code, { compress: false, mangle: false, module: true, format });
    return result.code ?? '';
  };
  if (code.length < ONCE_OVER) return run();
  const key = createHash('sha256').update(code).digest('hex');
  let minified = minifiedOnce.get(key);
  if (!minified) {
    minified = run();
    minified.catch(() => minifiedOnce.delete(key));
    minifiedOnce.set(key, minified);
  }
  return minified;
}

function virtualFiles(files: ReadonlyMap<string, string>): BundlePlugin {
  return {
    name: 'mock-build-files',
    resolveId(source, importer) {
      // a bare name (a project import map's entry, e.g. 'yuka' in ZeroPoint3) stays for the page's import map
      if (importer && !source.startsWith('.') && !source.startsWith('/')) return { id: source, external: true };
      const id = importer && source.startsWith('.') ? posix.join(posix.dirname(importer), source) : source;
      if (!files.has(id))
        throw new Error(`bundleEsmBuild: ${importer ?? 'the entry'} imports ${source}, which the build does not have`);
      return id;
    },
    load: (id) => files.get(id) ?? null,
    transform: async (code) => ({ code: await minifyModule(code), map: null }),
  };
}
