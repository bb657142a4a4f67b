import type { PreloadModule } from './asset-files.js';
import type { BuildSpec } from './spec.js';
import { escapeHtml, template } from './templates.js';

/** The files of `js/` that start an ES module build, and its index.html, from packages/mock-server/templates/esm. */

const esmTemplate = (file: string, values: Record<string, string> = {}) => template(file, values, 'esm');

/**
 * index.html: the import map inline (its JSON 2-space indented, the first line indented 6 spaces, as the Editor
 * prints it) and `js/index.mjs` as the one module script. The concatenated build's map is empty.
 */
export function esmIndexHtml(spec: BuildSpec, concatenated: boolean): string {
  const imports = concatenated ? {} : { playcanvas: './js/playcanvas-stable.min.mjs' };
  return esmTemplate('index.html', { title: escapeHtml(spec.name), importMap: JSON.stringify({ imports }, null, 2) });
}

/**
 * js/index.mjs: the bootstrap. A mixed build also sets window.pc, which its classic scripts need, to the engine's
 * namespace, named as the Editor's builds name it: `playcanvasStable_min` in js/index.mjs, `pc` in the bundle.
 */
export function esmBootstrap(mixed: boolean, namespace = 'playcanvasStable_min'): string {
  return esmTemplate('index.mjs', {
    namespaceImport: mixed ? `import * as ${namespace} from './playcanvas-stable.min.mjs';\n` : '',
    windowPc: mixed ? `window.pc = ${namespace};\n` : '',
  });
}

/** js/__settings__.mjs: the settings as ES exports, printed one item a line as the Editor's build prints them. */
export function esmSettings(spec: BuildSpec, scripts: number[], modules: PreloadModule[]): string {
  return esmTemplate('__settings__.mjs', {
    scenePath: spec.scenes[0] ? `${spec.scenes[0].id}.json` : '',
    scripts: printArray(scripts.map(String), '    '),
    preloadModules: printArray(
      modules.map((m) => {
        const fields = Object.entries(m).map(([k, v]) => `        '${k}': ${typeof v === 'string' ? quote(v) : v}`);
        return `{\n${fields.join(',\n')}\n    }`;
      }),
      '    ',
    ),
  });
}

export const esmModulesLoader = () => esmTemplate('__modules__.mjs');
export const esmLoadingScreen = () => esmTemplate('__loading__.mjs');

function printArray(items: string[], indent: string): string {
  return items.length === 0 ? '[]' : `[\n${items.map((item) => indent + item).join(',\n')}\n]`;
}

const quote = (text: string) => `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
