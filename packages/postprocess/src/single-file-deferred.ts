import { parse } from 'acorn';
import type * as ESTree from 'estree';

/**
 * Modules the build only reaches by `import('./x.mjs')`: the loading screen (`js/__loading__.mjs`, imported once
 * the app exists) and a concatenated build's chunk (`js/esm.mjs`, which imports `./index.mjs` back). Bundled as
 * written, a dynamic import makes the bundler evaluate its target lazily, and with it everything the target
 * imports (the settings; a chunk's whole `index.mjs`): their `const ASSET_PREFIX = ""` become variables assigned
 * in a function, which csp() cannot read in the single file. So such a module's body becomes a function, run
 * where the dynamic import was, a microtask later as the import would have; its imports stay static (for a chunk
 * they are circular: nothing of them is used before the body runs) and its exports are assigned when it has run.
 */
export const RUN_DEFERRED = '__pcRunDeferred';

type Located = ESTree.Node & { start: number; end: number };

/**
 * The module with its body in `export function __pcRunDeferred()`; undefined when it cannot be (exports a
 * declaration, awaits).
 */
export function deferredModule(code: string): string | undefined {
  let program: ESTree.Program;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as ESTree.Program;
  } catch {
    return undefined;
  }
  if (/\bawait\b/.test(code)) return undefined;
  const kept: Located[] = [];
  const body: Located[] = [];
  const exported: Array<{ local: string; name: string }> = [];
  for (const statement of program.body as Located[]) {
    if (statement.type === 'ImportDeclaration' || statement.type === 'ExportAllDeclaration') kept.push(statement);
    else if (statement.type === 'ExportNamedDeclaration') {
      if (statement.declaration) return undefined;
      if (statement.source) kept.push(statement);
      else
        for (const s of statement.specifiers) {
          const name = s.exported.type === 'Identifier' ? s.exported.name : String(s.exported.value);
          if (s.local.type !== 'Identifier' || !/^[\w$]+$/.test(name)) return undefined;
          exported.push({ local: s.local.name, name });
        }
    } else if (statement.type === 'ExportDefaultDeclaration') return undefined;
    else body.push(statement);
  }
  const text = (nodes: Located[]) => nodes.map((s) => code.slice(s.start, s.end)).join('\n');
  const slot = (name: string) => `__pcDeferredExport_${name}`;
  return [
    text(kept),
    ...exported.map((e) => `let ${slot(e.name)};`),
    exported.length > 0 ? `export { ${exported.map((e) => `${slot(e.name)} as ${e.name}`).join(', ')} };` : '',
    'let __pcDeferredRan = false;',
    `export function ${RUN_DEFERRED}() {`,
    'if (__pcDeferredRan) return;',
    '__pcDeferredRan = true;',
    text(body),
    ...exported.map((e) => `${slot(e.name)} = ${e.local};`),
    '}',
    '',
  ].join('\n');
}

/** The static imports of a module's code, by specifier (what the browser would fetch before running it). */
export function staticSpecifiers(code: string): string[] {
  const found: string[] = [];
  const pattern = /\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?(["'])([^"'\n]+)\1/g;
  for (const match of code.matchAll(pattern)) found.push(match[2] as string);
  return found;
}

/** The import site, its namespace import and run function aliased per target (`n`). */
export const deferredImport = (n: number, specifier: string) => ({
  header:
    `import * as __pcDeferred${n} from ${JSON.stringify(specifier)};\n` +
    `import { ${RUN_DEFERRED} as __pcRunDeferred${n} } from ${JSON.stringify(specifier)};`,
  call: `Promise.resolve().then(() => (__pcRunDeferred${n}(), __pcDeferred${n}))`,
});
