import { parse } from 'acorn';
import type * as ESTree from 'estree';

/**
 * The loading screen module (`js/__loading__.mjs`), which `js/index.mjs` imports with `import('./__loading__.mjs')`
 * once the app exists. Bundled as written, that dynamic import makes the bundler evaluate it lazily, and with it
 * (lazy evaluation reaches a module's imports) the settings module: its `const ASSET_PREFIX = ""` becomes a
 * variable assigned in a function, which csp() cannot read in the single file. So its body becomes a function the
 * import site calls a microtask later, as the dynamic import would have run it, and its imports stay static:
 * the settings stay the plain constants the build has.
 */
export const LOADING_MODULE = /(^|\/)__loading__\.mjs$/;
export const RUN_LOADING = '__pcRunLoadingScreen';

type Located = ESTree.Node & { start: number; end: number };

/** The module with its body in `export function __pcRunLoadingScreen()`; undefined when it exports or awaits. */
export function deferredLoadingModule(code: string): string | undefined {
  let program: ESTree.Program;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as ESTree.Program;
  } catch {
    return undefined;
  }
  const body = program.body as Located[];
  if (body.some((s) => s.type.startsWith('Export')) || /\bawait\b/.test(code)) return undefined;
  const imports = body.filter((s) => s.type === 'ImportDeclaration');
  const rest = body.filter((s) => s.type !== 'ImportDeclaration');
  const text = (nodes: Located[]) => nodes.map((s) => code.slice(s.start, s.end)).join('\n');
  return `${text(imports)}
let __pcLoadingScreenRan = false;
export function ${RUN_LOADING}() {
if (__pcLoadingScreenRan) return;
__pcLoadingScreenRan = true;
${text(rest)}
}
`;
}

/** The dynamic import of the loading module, replaced: the same promise of a namespace, its body run a microtask later. */
export const deferredImportCall = () => `Promise.resolve().then(() => (${RUN_LOADING}(), {}))`;
