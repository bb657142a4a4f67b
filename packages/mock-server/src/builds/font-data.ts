import type { FixtureAsset } from '../fixture-assets.js';

/** Printable ASCII: a font's characters when its fixture names none. */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** Glyph cells per atlas page (256×256 px in cells of 32): see fontPage() in media.ts. */
const CELLS = 64;

export const fontCharacters = (asset: FixtureAsset): string[] => [...(asset.characters ?? ASCII)];

/** The page a font's n-th character is on: characters are spread over the pages in order, in equal runs. */
export function pageOf(asset: FixtureAsset, n: number): number {
  const count = fontCharacters(asset).length;
  return Math.min((asset.pages ?? 1) - 1, Math.floor(n / Math.ceil(count / (asset.pages ?? 1))));
}

/**
 * A font asset's `data` as the Editor writes it in config.json (version 2, MSDF): the face, one map per atlas
 * page, a glyph per character keyed by code point, no kerning. A page holds 64 cells: the glyphs of a font
 * with more characters than that share cells (the mock's atlas draws boxes, not letters).
 */
export function fontData(asset: FixtureAsset): Record<string, unknown> {
  const characters = fontCharacters(asset);
  const pages = asset.pages ?? 1;
  const firstOnPage = Array.from({ length: pages }, (_, p) => characters.findIndex((_c, n) => pageOf(asset, n) === p));
  const chars: Record<string, unknown> = {};
  characters.forEach((letter, n) => {
    const map = pageOf(asset, n);
    const cell = (n - (firstOnPage[map] ?? 0)) % CELLS;
    const code = letter.codePointAt(0) as number;
    chars[String(code)] = {
      id: code,
      letter,
      x: (cell % 8) * 32,
      y: Math.floor(cell / 8) * 32,
      width: 32,
      height: 32,
      xadvance: 20,
      xoffset: 0,
      yoffset: 24,
      scale: 1,
      range: 4,
      map,
      bounds: [0, 0, 20, 24],
    };
  });
  return {
    version: 2,
    intensity: 0,
    info: { face: faceOf(asset), maps: Array.from({ length: pages }, () => ({ width: 256, height: 256 })) },
    chars,
    kerning: {},
  };
}

/** The face name: the file name without `.png` (the Editor names the atlas after the face). */
export const faceOf = (asset: FixtureAsset) => asset.filename.replace(/\.png$/i, '');

/**
 * The atlas page files: `<Face>.png`, `<Face>1.png`, ... (the engine derives page n with `url.replace('.png', n +
 * '.png')`).
 */
export function pageFileNames(asset: FixtureAsset): string[] {
  const stem = faceOf(asset);
  return Array.from({ length: asset.pages ?? 1 }, (_, p) => (p === 0 ? `${stem}.png` : `${stem}${p}.png`));
}

/** Text for a font's label: a few of its first characters and its last ones (so the last page is drawn from). */
export function sampleText(asset: FixtureAsset): string {
  const printable = fontCharacters(asset).filter((c) => c.trim() !== '');
  return `${printable.slice(0, 6).join('')} ${printable.slice(-6).join('')}`;
}
