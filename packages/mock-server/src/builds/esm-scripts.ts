import type { FixtureAsset } from '../fixture-assets.js';
import { scriptName } from './content.js';
import { template } from './templates.js';

/**
 * ES module scripts (`.mjs` script assets) as the Editor exports them: each at
 * `js/esm-scripts/<Editor folder path>/<file name>`, folder names as the Editor keeps them (spaces included),
 * every import of 'playcanvas' rewritten to a relative path to the engine the build ships.
 */

export const isModuleScript = (asset: FixtureAsset) => asset.type === 'script' && asset.filename.endsWith('.mjs');

/** The script's path under `js/`: `esm-scripts/<folder>/<file>`. */
export function esmScriptPath(asset: FixtureAsset): string {
  return ['esm-scripts', ...folderOf(asset), asset.filename].join('/');
}

/**
 * The script's `file.url` in config.json: `./js/esm-scripts/…`, spaces raw (not percent-encoded), as real exports
 * have it.
 */
export const esmScriptUrl = (asset: FixtureAsset) => `./js/${esmScriptPath(asset)}`;

/**
 * The engine as a module at `path` (under `js/`) imports it: `../../playcanvas-stable.min.mjs`, one `../` per folder.
 */
export function engineImportFrom(path: string): string {
  return `${'../'.repeat(path.split('/').length - 1)}playcanvas-stable.min.mjs`;
}

/**
 * The script as the project holds it: the fixture's own text, or a generated Script subclass importing 'playcanvas'.
 */
export const originalModuleSource = (asset: FixtureAsset) => asset.content ?? generatedSource(asset);

/** The script as a build has it: its 'playcanvas' imports made relative to the engine the build ships. */
export function moduleScriptSource(asset: FixtureAsset): string {
  const source = originalModuleSource(asset);
  const engine = engineImportFrom(esmScriptPath(asset));
  const specifier = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])playcanvas\2/g;
  return source.replace(specifier, (_m, lead: string, quote: string) => `${lead}${quote}${engine}${quote}`);
}

/** A Script subclass that pushes its name to window.__scriptsRan when initialized and turns its entity. */
function generatedSource(asset: FixtureAsset): string {
  const name = scriptName(asset);
  const className = name.charAt(0).toUpperCase() + name.slice(1);
  return template('script.mjs', { fileName: asset.filename, scriptName: name, className }, 'esm');
}

function folderOf(asset: FixtureAsset): string[] {
  return (asset.folder ?? '').split('/').filter((part) => part !== '');
}
