import type { FixtureAsset } from './fixture-assets.js';
import type { FixtureProject } from './fixtures.js';

/**
 * The projects whose builds take each layout the Editor writes (shared by the mock's default fixtures and the
 * tests): 1002 "Asset Gallery" has classic scripts only. Its builds are classic; with `scripts_concatenate` the
 * concatenated variant; with the legacy engine version (1.x) the old `pc.Application` bootstrap. 1003 "Module Garden"
 * has ES module scripts only (`.mjs`, in Editor folders, one with a space): its builds are ES module builds. 1004
 * "Mixed Harbour" has both kinds: an ES module build whose classic scripts stay where a classic build has them.
 */
export function editorLayoutProjects(): FixtureProject[] {
  return [
    {
      id: 1002,
      name: 'Asset Gallery',
      ownerId: 100,
      branches: [
        {
          id: 'a55e7000-0000-4000-8000-000000000001',
          name: 'main',
          main: true,
          latestCheckpointId: 'a55e7000-0000-4000-8000-00000000c001',
        },
      ],
      scenes: [
        { id: 2200, name: 'Gallery' },
        { id: 2201, name: 'Sound Room' },
        { id: 2202, name: 'Sky Deck' },
      ],
      assets: [
        ...galleryAssets(5000),
        { id: 5100, name: 'gallery-spin.js', type: 'script', filename: 'gallery-spin.js' },
        { id: 5101, name: 'Camera Orbit.js', type: 'script', filename: 'Camera Orbit.js', revision: 3 },
      ],
      apps: [],
    },
    {
      id: 1003,
      name: 'Module Garden',
      ownerId: 100,
      branches: [
        {
          id: 'a55e7000-0000-4000-8000-000000000003',
          name: 'main',
          main: true,
          latestCheckpointId: 'a55e7000-0000-4000-8000-00000000c003',
        },
      ],
      scenes: [
        { id: 2300, name: 'Garden' },
        { id: 2301, name: 'Greenhouse' },
      ],
      assets: [
        ...galleryAssets(6000),
        { id: 6100, name: 'garden-spin.mjs', type: 'script', filename: 'garden-spin.mjs', folder: 'Scripts' },
        {
          id: 6101,
          name: 'orbit-camera.mjs',
          type: 'script',
          filename: 'orbit-camera.mjs',
          folder: 'Scripts/camera rig',
          revision: 2,
          content: ORBIT_CAMERA,
        },
        { id: 6102, name: 'leaf-sway.mjs', type: 'script', filename: 'leaf-sway.mjs' },
      ],
      apps: [],
    },
    {
      id: 1004,
      name: 'Mixed Harbour',
      ownerId: 100,
      branches: [
        {
          id: 'a55e7000-0000-4000-8000-000000000004',
          name: 'main',
          main: true,
          latestCheckpointId: 'a55e7000-0000-4000-8000-00000000c004',
        },
      ],
      scenes: [
        { id: 2400, name: 'Harbour' },
        { id: 2401, name: 'Lighthouse' },
      ],
      assets: [
        ...galleryAssets(7000),
        { id: 7100, name: 'crane-lift.js', type: 'script', filename: 'crane-lift.js' },
        { id: 7101, name: 'Tide Gauge.js', type: 'script', filename: 'Tide Gauge.js', revision: 2 },
        {
          id: 7102,
          name: 'harbour-lights.mjs',
          type: 'script',
          filename: 'harbour-lights.mjs',
          folder: 'Scripts/night life',
        },
        { id: 7103, name: 'buoy-bob.mjs', type: 'script', filename: 'buoy-bob.mjs', folder: 'Scripts' },
      ],
      apps: [],
    },
  ];
}

/**
 * A script that extends another script of the project, imported by a relative path across folders (as real
 * exports have them: campus-viewer's reveal-radial.mjs extends the class of ./gsplat-shader-effect.mjs).
 */
const ORBIT_CAMERA = `import { GardenSpin } from '../garden-spin.mjs';

// orbit-camera.mjs: turns its entity as garden-spin.mjs does, and says it ran under its own name
class OrbitCamera extends GardenSpin {
    initialize() {
        window.__scriptsRan = (window.__scriptsRan || []).concat('orbitCamera');
    }
}
OrbitCamera.scriptName = 'orbitCamera';

export { OrbitCamera };
`;

const PRINTABLE_ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
/** Printable ASCII and a few accented letters: the last ones fall on a font's second atlas page. */
export const LATIN_CHARACTERS = `${PRINTABLE_ASCII}ÄÖÜäöüßéèñ`;

/**
 * 7000 CJK ideographs (U+4E00 on): a CJK font's glyphs inline in config.json, which takes it over 1 MB as
 * real builds with such fonts are (their glyph JSON is in config.json, not in a file of its own).
 */
export const CJK_CHARACTERS = Array.from({ length: 7000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');

/**
 * The realistic asset mix of an Editor project, with ids from `firstId` to `firstId + 17`: two fonts (one with two
 * atlas pages, one CJK font that makes config.json over 1 MB), a texture atlas with a sprite, a cubemap with its
 * six faces and a prefiltered file, audio, a GLB container with its render asset and an animation, and a
 * WebAssembly module loaded as the Editor loads Ammo (module, glue script and fallback script: three ids).
 * File names hold spaces, non-ASCII characters and `|`. No user scripts: add the layout's own.
 */
export function galleryAssets(firstId: number): FixtureAsset[] {
  const id = (n: number) => firstId + n;
  const face = (n: number, side: string): FixtureAsset => ({
    id: id(n),
    name: `sky_${side}.png`,
    type: 'texture',
    filename: `sky_${side}.png`,
  });
  return [
    {
      id: id(0),
      name: 'Gallery Sans.ttf',
      type: 'font',
      filename: 'Gallery Sans.png',
      characters: LATIN_CHARACTERS,
      pages: 2,
    },
    { id: id(1), name: 'Mincho 明朝.ttf', type: 'font', filename: 'Mincho 明朝.png', characters: CJK_CHARACTERS },
    { id: id(2), name: 'Gallery Atlas.png', type: 'textureatlas', filename: 'Gallery Atlas.png', frames: 4 },
    { id: id(3), name: 'Badge', type: 'sprite', filename: 'Badge', textureAtlas: id(2) },
    face(4, 'posx'),
    face(5, 'negx'),
    face(6, 'posy'),
    face(7, 'negy'),
    face(8, 'posz'),
    face(9, 'negz'),
    { id: id(10), name: 'Sky', type: 'cubemap', filename: 'sky.png', faces: [4, 5, 6, 7, 8, 9].map(id) },
    { id: id(11), name: 'Klänge.wav', type: 'audio', filename: 'Klänge.wav' },
    { id: id(12), name: 'Windmill.glb', type: 'container', filename: 'Windmill.glb' },
    { id: id(13), name: 'Windmill', type: 'render', filename: 'Windmill', container: id(12) },
    { id: id(14), name: 'Armature|Spin.glb', type: 'animation', filename: 'Armature|Spin.glb' },
    {
      id: id(15),
      name: 'adder.wasm.wasm',
      type: 'wasm',
      filename: 'adder.wasm.wasm',
      moduleName: 'Adder',
      glueScriptId: id(16),
      fallbackScriptId: id(17),
    },
    { id: id(16), name: 'adder.wasm.js', type: 'script', filename: 'adder.wasm.js', preload: false },
    { id: id(17), name: 'adder.js', type: 'script', filename: 'adder.js', preload: false },
  ];
}
