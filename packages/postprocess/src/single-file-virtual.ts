import type { BundleInput } from './single-file-bundle.js';

/**
 * The bundle's own modules (namespace `pc-single-file:`): its entry, the runtime's installation, the table of
 * script modules.
 */
export const BUILD = 'pc-build';
export const VIRTUAL = 'pc-single-file';
export const IMPORT = '__pcSingleFileImport';
export const ENGINE_CLASSES = ['Http', 'ScriptHandler', 'WasmModule', 'AppBase'];
export const ENGINE_EXPORT = '__pcEngine_';

export function tableModule(input: BundleInput): string {
  const rows = input.scriptModules.map(
    (path) => `  ${JSON.stringify(path)}: () => import(${JSON.stringify(`${BUILD}:${path}`)}),`,
  );
  return `const table = {\n${rows.join('\n')}\n};
// the engine asks for ./js/esm-scripts/… (with the asset prefix, from the page's URL): the longest path it ends with
export function ${IMPORT}(url) {
  let path = null;
  try {
    path = decodeURIComponent(new URL(String(url), document.baseURI).pathname);
  } catch {}
  let best = null;
  if (path !== null)
    for (const key in table)
      if ((path === key || path.endsWith('/' + key)) && (!best || key.length > best.length)) best = key;
  return best ? table[best]() : import(url);
}
`;
}

export function entryModule(input: BundleInput): string {
  const lines: string[] = [];
  if (input.engine) lines.push(`import "${VIRTUAL}:install";`);
  else lines.push(`import { withEngine } from "${VIRTUAL}:page";`);
  for (const [i, entry] of input.entries.entries())
    lines.push(`import * as entry${i} from ${JSON.stringify(`${BUILD}:${entry}`)};`);
  // a concatenated build's engine is inside js/index.mjs: its classes are exported to here (window.pc as a fallback),
  // once index.mjs has run, before its first request
  if (!input.engine) {
    const classes = ENGINE_CLASSES.map((name) => `${name}: entry0.${ENGINE_EXPORT}${name}`).join(', ');
    lines.push(`withEngine(entry0.${ENGINE_EXPORT}Http ? { ${classes} } : window.pc, null);`);
  }
  return lines.join('\n');
}

export function installModule(input: BundleInput): string {
  return `import * as pc from ${JSON.stringify(`${BUILD}:${input.engine}`)};
import { installSingleFile } from "${VIRTUAL}:runtime";
installSingleFile(pc, null, ${JSON.stringify(input.assetPrefix)});`;
}

/** The page's own hooks (the loading screen's images) before any module of the build runs. */
export function pageModule(input: BundleInput): string {
  return `import { installSingleFile } from "${VIRTUAL}:runtime";
export const withEngine = installSingleFile(undefined, null, ${JSON.stringify(input.assetPrefix)});`;
}
