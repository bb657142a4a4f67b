import { createHash } from 'node:crypto';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import * as esbuild from 'esbuild';
import type * as ESTree from 'estree';
import { type BuildSource, PostprocessError } from './build.js';
import { deferredImport, deferredModule, staticSpecifiers } from './single-file-deferred.js';
import { resolveSpecifier } from './single-file-resolve.js';
import {
  BUILD,
  ENGINE_CLASSES,
  ENGINE_EXPORT,
  entryModule,
  IMPORT,
  installModule,
  pageModule,
  tableModule,
  VIRTUAL,
} from './single-file-virtual.js';

/**
 * An ES module build as one module, for a page that may not fetch: esbuild (a well-kept bundler: one binary, ESM
 * output, scope hoisting, circular imports and lazy `import('./x.mjs')` chunks as the browser runs them) bundles
 * the page's module scripts from the build's files, read in memory; nothing of the build runs in Node.
 *
 * - Every module comes from the build: relative imports resolve as URLs do (`../../playcanvas-stable.min.mjs`
 *   from `js/esm-scripts/fps controller/x.mjs`), bare ones through the page's import map. So the engine is one
 *   module, imported by index.mjs, the settings and every ES module script alike: one instance, and the scripts'
 *   classes are `instanceof Script` of the engine that registers them. A module from another origin is refused.
 * - The engine loads ES module scripts at run time with `import(url)` (`ScriptHandler#_loadModule`; a
 *   concatenated build's `__esmScriptDynamicImportRuntime__` falls back to it): each such `import(<expression>)`
 *   in the build's code becomes a lookup in a table of the build's script modules (bundled, evaluated when first
 *   asked for, as an import would), so `./js/esm-scripts/…` resolves in the page.
 * - The runtime that answers the engine's requests from the page's blocks is installed with the engine module's
 *   own namespace before the bootstrap runs; a concatenated build, whose engine is inside js/index.mjs, gets the
 *   page's hooks first and exports the engine's Http, ScriptHandler and WasmModule to the entry, which installs
 *   the rest when index.mjs has run (before its first request; `window.pc` is the fallback).
 * - The engine module is minified alone (4 MB -> 2.5 MB); the rest keeps its names (whitespace and syntax only),
 *   so that csp() reads the bootstrap's settings and styles in the single file as in the build.
 *
 * Why esbuild and not the import map: an inline module has no URL another module can import, and `data:` or
 * `blob:` modules would each load their own engine and need `script-src data:`/`blob:`; one bundle keeps one
 * engine and a hash-only policy. Rollup would do as well; esbuild is one binary, fast on a 4 MB engine, and
 * bundles from memory through a plugin.
 */
export interface BundleInput {
  /** The page's module scripts, in document order (build paths). */
  entries: string[];
  importMap: Record<string, string>;
  /** Script modules the engine imports by URL at run time (build paths). */
  scriptModules: string[];
  /** The engine module, when it is a file of the build (not inside a concatenated js/index.mjs). */
  engine: string | undefined;
  runtime: string;
  assetPrefix: string;
}

/**
 * The module's code with every `import(<expression>)` asking the table first (string imports stay for the
 * bundler), and `import('./__loading__.mjs')` calling the loading screen's deferred body (`deferred` says which
 * specifiers lead to it).
 */
function withImportTable(
  code: string,
  path: string,
  deferred: (specifier: string) => boolean = () => false,
  engineBundle = false,
): string {
  if (!/\bimport\s*\(/.test(code) && !engineBundle) return code;
  let program: ESTree.Node;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as ESTree.Node;
  } catch (error) {
    throw new PostprocessError(`${path} is not an ES module a browser can run (${(error as Error).message})`, path);
  }
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const targets = new Map<string, ReturnType<typeof deferredImport>>();
  simple(program as never, {
    ImportExpression(node) {
      const { source, start, end } = node as unknown as ESTree.ImportExpression & { start: number; end: number };
      const specifier =
        source.type === 'Literal'
          ? source.value
          : source.type === 'TemplateLiteral' && source.expressions.length === 0
            ? source.quasis[0]?.value.cooked
            : undefined;
      if (typeof specifier !== 'string') edits.push({ start, end: start + 'import'.length, text: IMPORT });
      else if (deferred(specifier)) {
        const target = targets.get(specifier) ?? deferredImport(targets.size, specifier);
        targets.set(specifier, target);
        edits.push({ start, end, text: target.call });
      }
    },
  });
  // a concatenated js/index.mjs holds the engine: its classes the runtime patches are exported to the entry
  const exported = engineBundle ? topLevelNames(program).filter((name) => ENGINE_CLASSES.includes(name)) : [];
  const tail =
    exported.length > 0
      ? `\nexport { ${exported.map((name) => `${name} as ${ENGINE_EXPORT}${name}`).join(', ')} };\n`
      : '';
  if (edits.length === 0) return code + tail;
  let out = code;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    out = `${out.slice(0, edit.start)}${edit.text}${out.slice(edit.end)}`;
  const header = [...targets.values()].map((t) => t.header);
  if (edits.some((e) => e.text === IMPORT)) header.push(`import { ${IMPORT} } from "${VIRTUAL}:modules";`);
  return `${header.join('\n')}\n${out}${tail}`;
}

function topLevelNames(program: ESTree.Node): string[] {
  return (program as ESTree.Program).body.flatMap((s) => {
    if (s.type === 'VariableDeclaration')
      return s.declarations.flatMap((d) => (d.id.type === 'Identifier' ? [d.id.name] : []));
    if ((s.type === 'ClassDeclaration' || s.type === 'FunctionDeclaration') && s.id) return [s.id.name];
    return [];
  });
}

/**
 * The build's modules that only a literal `import('./x.mjs')` reaches (no static import, not an entry, not a
 * script the engine imports by URL), each with its body deferred (single-file-deferred.ts).
 */
async function deferrableModules(build: BuildSource, input: BundleInput): Promise<Map<string, string>> {
  const modules = [...build.paths].filter((p) => p.endsWith('.mjs') && p !== input.engine);
  const reached = new Set([...input.entries, ...input.scriptModules]);
  const texts = new Map<string, string>();
  for (const path of modules) {
    const code = (await build.read(path)).toString('utf8');
    texts.set(path, code);
    for (const specifier of staticSpecifiers(code))
      if (/^\.{0,2}\//.test(specifier))
        try {
          reached.add(resolveSpecifier(specifier, path, input.importMap));
        } catch {
          // another origin: refused when the bundler reaches it
        }
  }
  const deferrable = new Map<string, string>();
  for (const [path, code] of texts) {
    if (reached.has(path)) continue;
    const deferred = deferredModule(code);
    if (deferred !== undefined) deferrable.set(path, deferred);
  }
  return deferrable;
}

const ENGINES = new Map<string, string>();

/**
 * The engine module minified on its own (the Editor ships it unminified: 3.7–4.1 MB, 2.5 MB minified): its
 * internal names shrink, its exports keep theirs. The rest of the bundle keeps its names (whitespace and syntax
 * only), so csp() reads the bootstrap's settings and styles in the single file as in the build. Kept by content:
 * builds of one engine version share it.
 */
async function engineModule(code: string, path: string): Promise<string> {
  const key = createHash('sha256').update(code).digest('hex');
  let out = ENGINES.get(key);
  if (out === undefined) {
    const minified = await esbuild.transform(code, {
      loader: 'js',
      format: 'esm',
      minify: true,
      target: 'es2020',
      legalComments: 'inline',
      charset: 'utf8',
    });
    out = withImportTable(minified.code, path);
    if (ENGINES.size >= 4) ENGINES.delete(ENGINES.keys().next().value as string);
    ENGINES.set(key, out);
  }
  return out;
}

export async function bundleModules(
  build: BuildSource,
  input: BundleInput,
): Promise<{ code: string; inputs: string[] }> {
  const refusals: PostprocessError[] = [];
  const deferrable = await deferrableModules(build, input);
  const plugin: esbuild.Plugin = {
    name: 'playcanvas-build',
    setup(on) {
      on.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: 'entry', namespace: VIRTUAL };
        if (args.path.startsWith(`${VIRTUAL}:`))
          return { path: args.path.slice(VIRTUAL.length + 1), namespace: VIRTUAL };
        if (args.path.startsWith(`${BUILD}:`)) return { path: args.path.slice(BUILD.length + 1), namespace: BUILD };
        // engines 2.13–2.18 call require('node:worker_threads') in a branch only Node takes (the splat sorter's
        // worker):
        // left as it is, that require never runs in a page
        if (args.kind === 'require-call' && args.path.startsWith('node:')) return { path: args.path, external: true };
        try {
          const path = resolveSpecifier(args.path, args.importer, input.importMap);
          if (!build.paths.has(path))
            throw new PostprocessError(
              `${args.importer} imports ${args.path}, which is not in the build (${path})`,
              path,
            );
          return { path, namespace: BUILD };
        } catch (error) {
          if (!(error instanceof PostprocessError)) throw error;
          refusals.push(error);
          return { errors: [{ text: error.message }] };
        }
      });
      on.onLoad({ filter: /.*/, namespace: VIRTUAL }, (args) => {
        const modules: Record<string, () => string> = {
          entry: () => entryModule(input),
          install: () => installModule(input),
          page: () => pageModule(input),
          modules: () => tableModule(input),
          runtime: () => `${input.runtime}\nexport { installSingleFile };\n`,
        };
        const contents = modules[args.path]?.() ?? '';
        return { contents, loader: 'js' };
      });
      on.onLoad({ filter: /.*/, namespace: BUILD }, async (args) => {
        try {
          const code = (await build.read(args.path)).toString('utf8');
          if (args.path === input.engine) return { contents: await engineModule(code, args.path), loader: 'js' };
          const loading = deferrable.get(args.path);
          if (loading !== undefined) return { contents: loading, loader: 'js' };
          const deferred = (specifier: string) => {
            const target = /^\.{0,2}\//.test(specifier)
              ? resolveSpecifier(specifier, args.path, input.importMap)
              : undefined;
            return target !== undefined && deferrable.has(target);
          };
          return {
            contents: withImportTable(code, args.path, deferred, !input.engine && args.path === input.entries[0]),
            loader: 'js',
          };
        } catch (error) {
          if (!(error instanceof PostprocessError)) throw error;
          refusals.push(error);
          return { errors: [{ text: error.message }] };
        }
      });
    },
  };
  let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[]; metafile: esbuild.Metafile };
  try {
    result = await esbuild.build({
      entryPoints: ['entry'],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'eof',
      charset: 'utf8',
      logLevel: 'silent',
      plugins: [plugin],
    });
  } catch (error) {
    if (refusals[0]) throw refusals[0];
    const first = (error as { errors?: esbuild.Message[] }).errors?.[0];
    const where = first?.location ? `${first.location.file.replace(/^[^:]*:/, '')} line ${first.location.line}: ` : '';
    throw new PostprocessError(
      `The build's modules cannot be bundled into one: ${where}${first?.text ?? (error as Error).message}`,
    );
  }
  const inputs = Object.keys(result.metafile.inputs).flatMap((key) =>
    key.startsWith(`${BUILD}:`) ? [key.slice(BUILD.length + 1)] : [],
  );
  return { code: result.outputFiles[0]?.text ?? '', inputs };
}
