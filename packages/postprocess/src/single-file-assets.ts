import type { BuildConfig, ConfigAsset } from './config.js';

/** A file the engine may fetch for an asset of config.json, by the URL it asks for (relative to the asset prefix). */
export interface AssetFile {
  url: string;
  asset: ConfigAsset;
  what: string;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * Every URL the engine can ask for an asset, beyond `file.url`:
 * - a font's atlas pages after the first: the FontHandler derives page N as `url.replace('.png', N + '.png')`
 *   (`data.info.maps` has one entry per page), files config.json never names;
 * - a texture's compressed variants (`file.variants.basis/dxt/etc…`): the engine picks one by what the device
 *   supports, and the Editor ships only the `.basis` of a Basis-compressed texture, not its `file.url`.
 */
export function assetFiles(config: BuildConfig): AssetFile[] {
  const rawAssets = record(config.document.assets) ?? {};
  const files: AssetFile[] = [];
  for (const asset of config.assets) {
    const raw = record(rawAssets[asset.id]);
    const file = record(raw?.file);
    if (asset.url !== undefined) files.push({ url: asset.url, asset, what: `asset ${asset.name}` });
    for (const [name, variant] of Object.entries(record(file?.variants) ?? {})) {
      const url = record(variant)?.url;
      if (typeof url === 'string') files.push({ url, asset, what: `the ${name} variant of asset ${asset.name}` });
    }
    const maps = record(record(asset.data)?.info)?.maps;
    if (asset.type === 'font' && asset.url !== undefined && Array.isArray(maps))
      for (let page = 1; page < maps.length; page++)
        files.push({
          url: asset.url.replace('.png', `${page}.png`),
          asset,
          what: `page ${page + 1} of font ${asset.name}`,
        });
  }
  return files;
}
