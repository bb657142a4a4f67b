import { PostprocessError } from './build.js';

/** An asset of config.json, as far as post-processing cares. */
export interface ConfigAsset {
  id: string;
  name: string;
  type: string;
  preload: boolean;
  /** The file's URL as config.json gives it (relative to the asset prefix), if the asset has a file. */
  url?: string;
  /** The asset's own settings (`data`): a script's loading type, a wasm module's name... */
  data: Record<string, unknown>;
}

export interface BuildConfig {
  assets: ConfigAsset[];
  width: number | undefined;
  height: number | undefined;
  /** The raw document, for steps that rewrite it. */
  document: Record<string, unknown>;
}

export function parseConfig(text: string, file: string): BuildConfig {
  let document: unknown;
  try {
    // a UTF-8 byte order mark, which browsers drop when they decode the file, is no part of the JSON
    document = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new PostprocessError(
      `${file} is not JSON (${(error as Error).message}): the build is damaged; download it again`,
      file,
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new PostprocessError(`${file} is not a PlayCanvas application config (no object at its top)`, file);
  const doc = document as Record<string, unknown>;
  const rawAssets = (doc.assets ?? {}) as Record<string, unknown>;
  const assets: ConfigAsset[] = [];
  for (const [id, raw] of Object.entries(typeof rawAssets === 'object' && rawAssets !== null ? rawAssets : {})) {
    if (typeof raw !== 'object' || raw === null) continue;
    const asset = raw as {
      name?: unknown;
      type?: unknown;
      preload?: unknown;
      file?: { url?: unknown } | null;
      data?: unknown;
    };
    const url = typeof asset.file?.url === 'string' ? asset.file.url : undefined;
    assets.push({
      id,
      name: typeof asset.name === 'string' ? asset.name : id,
      type: typeof asset.type === 'string' ? asset.type : '',
      preload: asset.preload !== false,
      ...(url !== undefined ? { url } : {}),
      data: typeof asset.data === 'object' && asset.data !== null ? (asset.data as Record<string, unknown>) : {},
    });
  }
  const props = (doc.application_properties ?? {}) as { width?: unknown; height?: unknown };
  return {
    assets,
    width: typeof props.width === 'number' ? props.width : undefined,
    height: typeof props.height === 'number' ? props.height : undefined,
    document: doc,
  };
}

/** A script asset the engine loads as an ES module (`import()`, which the engine reaches through `new Function`). */
export function isModuleScript(asset: ConfigAsset): boolean {
  return asset.type === 'script' && asset.url !== undefined && /\.mjs(\?|#|$)/i.test(asset.url);
}
