import { createHash } from 'node:crypto';
import { minify } from 'terser';
import type { FixtureAsset, FixtureProject } from '../fixtures.js';
import { checker, silence } from './media.js';
import type { BuildSpec } from './spec.js';
import { template } from './templates.js';

/** Pieces shared by the build layouts: asset files, script sources, config.json. */

export function assetsOf(project: FixtureProject): FixtureAsset[] {
  return [...(project.assets ?? [])].sort((a, b) => a.id - b.id);
}

/** The script assets that are a wasm module's glue or fallback (listed as scripts, loaded by __modules__.js). */
export function moduleScripts(
  project: FixtureProject,
): Map<number, { role: 'glue' | 'fallback'; module: FixtureAsset }> {
  const roles = new Map<number, { role: 'glue' | 'fallback'; module: FixtureAsset }>();
  for (const a of project.assets ?? []) {
    if (a.type !== 'wasm' || a.glueScriptId === undefined || a.fallbackScriptId === undefined) continue;
    roles.set(a.glueScriptId, { role: 'glue', module: a });
    roles.set(a.fallbackScriptId, { role: 'fallback', module: a });
  }
  return roles;
}

/**
 * The project's own scripts (in SCRIPTS, on the scene's entities): every script asset but the modules' glue and
 * fallbacks.
 */
export function scriptsOf(project: FixtureProject): FixtureAsset[] {
  const modules = moduleScripts(project);
  return assetsOf(project).filter((a) => a.type === 'script' && !modules.has(a.id));
}

export function assetPath(asset: FixtureAsset): string {
  return `${asset.id}/${asset.revision ?? 1}/${asset.filename}`;
}

/** The name a script asset registers with pc.createScript: its file name without extension, in camelCase. */
export function scriptName(asset: FixtureAsset): string {
  const base = asset.name
    .replace(/\.[^.]+$/, '')
    .replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase());
  return /^[a-zA-Z_]/.test(base) ? base.charAt(0).toLowerCase() + base.slice(1) : `script${base}`;
}

/** A wasm asset's module name (its global, as in PRELOAD_MODULES): the fixture's, or from its file name. */
export function moduleNameOf(asset: FixtureAsset): string {
  if (asset.moduleName) return asset.moduleName;
  const stem = asset.filename
    .replace(/\.wasm$/, '')
    .replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase());
  return /^[a-zA-Z_]/.test(stem) ? stem.charAt(0).toUpperCase() + stem.slice(1) : `Module${stem}`;
}

/** A script's source before minification: the fixture's own text, or a script that runs and turns its entity. */
export function scriptSource(asset: FixtureAsset): string {
  if (asset.content !== undefined) return asset.content;
  const name = scriptName(asset);
  return template('script.js', {
    fileName: asset.filename,
    scriptName: name,
    className: name.charAt(0).toUpperCase() + name.slice(1),
  });
}

/** Minified, and with a source map, as the options say (terser, as the Editor's build does). */
export async function compileScripts(
  sources: Record<string, string>,
  file: string,
  spec: BuildSpec,
): Promise<{ code: string; map?: string }> {
  if (!spec.minify && !spec.sourcemaps) return { code: Object.values(sources).join('\n\n') };
  const result = await minify(sources, {
    compress: spec.minify,
    mangle: spec.minify,
    format: spec.minify ? {} : { beautify: true, comments: 'all' },
    sourceMap: spec.sourcemaps ? { includeSources: true, filename: file } : false,
  });
  const out: { code: string; map?: string } = { code: result.code ?? '' };
  if (spec.sourcemaps && typeof result.map === 'string') {
    out.code += `\n\n//# sourceMappingURL=${file}.map`;
    out.map = result.map;
  }
  return out;
}

/** Generated material and texture asset ids: above any fixture's. */
export const GENERATED = { plainMaterial: 9_000_001, texturedMaterial: 9_000_002, checker: 9_000_003 } as const;

/** The materials every scene of a build uses. */
export const SCENE_MATERIALS = { plain: GENERATED.plainMaterial, textured: GENERATED.texturedMaterial };

/** A non-script asset's file: the fixture's text, or a small valid file of its type. */
export function assetFile(asset: FixtureAsset): string | Buffer {
  if (asset.content !== undefined) return asset.content;
  switch (asset.type) {
    case 'texture':
      return checker([230, 230, 230], [60, 140, 220]);
    case 'json':
      return JSON.stringify({ asset: asset.name, generatedBy: 'playcanvas-mock-server' });
    case 'css':
      return `/* ${asset.name} */\n.mock-${asset.id} { margin: 0; }\n`;
    case 'html':
      return `<div class="mock-${asset.id}"></div>\n`;
    case 'audio':
      return silence();
    default:
      return `${asset.name}\n`;
  }
}

export const md5 = (content: string | Buffer) => createHash('md5').update(content).digest('hex');

export function manifestDocument(spec: BuildSpec, iconPrefix = 'thumbs/'): string {
  return JSON.stringify({
    short_name: spec.project.name,
    name: spec.project.name,
    start_url: '',
    display: 'fullscreen',
    icons: [180, 360, 540, 720].map((s) => ({ src: `${iconPrefix}${s}.jpg`, sizes: `${s}x${s}`, type: 'image/jpeg' })),
  });
}
