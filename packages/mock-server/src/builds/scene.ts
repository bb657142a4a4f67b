import type { FixtureAsset, FixtureScene } from '../fixtures.js';
import { assetEntities, renderComponent as render } from './scene-assets.js';

/**
 * The scene document of a static build: what the engine's SceneParser reads. Every scene of a mock build
 * holds the same small world, so that it renders something to look at: a camera, a directional light, a
 * textured floor, a spinning box that carries every script of the project, a sphere and a cone.
 */
export interface SceneMaterials {
  plain: number;
  textured: number;
}

const guid = (sceneId: number, n: number) =>
  `00000000-0000-4000-8000-${(sceneId * 100 + n).toString(16).padStart(12, '0')}`;

type Vec = [number, number, number];

function entity(
  id: string,
  name: string,
  parent: string | null,
  children: string[],
  prs: [Vec, Vec, Vec],
  components: Record<string, unknown>,
) {
  return {
    name,
    tags: [],
    enabled: true,
    resource_id: id,
    parent,
    children,
    position: prs[0],
    rotation: prs[1],
    scale: prs[2],
    components,
  };
}

export function sceneDocument(
  scene: FixtureScene,
  scriptNames: string[],
  materials: SceneMaterials,
  created: number,
  assets: FixtureAsset[] = [],
): Record<string, unknown> {
  const id = (n: number) => guid(scene.id, n);
  const [root, camera, light, floor, spinner, sphere, cone] = [1, 2, 3, 4, 5, 6, 7].map(id) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const one: Vec = [1, 1, 1];
  const zero: Vec = [0, 0, 0];
  const used = assetEntities(assets, id, root);
  const entities = [
    entity(root, 'Root', null, [camera, light, floor, spinner, sphere, cone, ...used.children], [zero, zero, one], {}),
    entity(camera, 'Camera', root, [], [[0, 3.5, 9], [-18, 0, 0], one], {
      camera: {
        enabled: true,
        clearColorBuffer: true,
        clearColor: [0.16, 0.2, 0.26, 1],
        clearDepthBuffer: true,
        projection: 0,
        fov: 45,
        frustumCulling: true,
        orthoHeight: 4,
        nearClip: 0.1,
        farClip: 1000,
        priority: 0,
        rect: [0, 0, 1, 1],
        layers: [0, 1, 2, 3, 4],
        toneMapping: 0,
        gammaCorrection: 1,
      },
    }),
    entity(light, 'Light', root, [], [[0, 6, 0], [45, 30, 0], one], {
      light: {
        enabled: true,
        type: 'directional',
        color: [1, 1, 1],
        intensity: 1,
        castShadows: true,
        shadowUpdateMode: 2,
        shadowType: 0,
        shadowDistance: 40,
        shadowResolution: 1024,
        numCascades: 1,
        shadowBias: 0.2,
        normalOffsetBias: 0.05,
        isStatic: false,
        layers: [0],
      },
    }),
    entity(floor, 'Floor', root, [], [zero, zero, [12, 1, 12]], { render: render('plane', materials.textured) }),
    entity(spinner, 'Spinner', root, [], [[0, 1.2, 0], zero, [1.4, 1.4, 1.4]], {
      render: render('box', materials.plain),
      script: {
        enabled: true,
        order: scriptNames,
        scripts: Object.fromEntries(scriptNames.map((name) => [name, { enabled: true, attributes: { speed: 90 } }])),
      },
    }),
    entity(sphere, 'Sphere', root, [], [[-2.6, 0.8, 0.5], zero, [1.2, 1.2, 1.2]], { render: render('sphere', null) }),
    entity(cone, 'Cone', root, [], [[2.6, 0.75, 0.5], zero, [1.2, 1.5, 1.2]], {
      render: render('cone', materials.plain),
    }),
    ...used.entities,
  ];
  return {
    name: scene.name,
    created: new Date(created).toISOString(),
    settings: {
      physics: { gravity: [0, -9.8, 0] },
      render: {
        fog: 'none',
        fog_color: [0, 0, 0],
        fog_start: 1,
        fog_end: 1000,
        fog_density: 0.01,
        global_ambient: [0.2, 0.2, 0.2],
        gamma_correction: 1,
        tonemapping: 0,
        exposure: 1,
        skybox: used.skybox,
        skyboxIntensity: 1,
        skyboxMip: 0,
        lightmapSizeMultiplier: 16,
        lightmapMaxResolution: 2048,
        lightmapMode: 1,
      },
    },
    entities: Object.fromEntries(entities.map((e) => [e.resource_id, e])),
    id: scene.id,
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIRST_CODE = 35;
const CODE_BASE = 57;

/**
 * The `optimize_scene_format` form, as the engine's scene parser decompresses it: entity ids and every other
 * GUID-like string shortened (three characters, as the Editor does), each object key below `entities` coded
 * in one or two characters through `compressedFormat.fieldArray`, and positions, rotations and scales pooled
 * in `singleVecs` (an entity points at its three with `___1`, or at a triple shared with others with `___2`).
 */
export function compressScene(scene: Record<string, unknown>): Record<string, unknown> {
  const short = new Map<string, string>();
  const shortId = (id: string) => {
    let code = short.get(id);
    if (code === undefined) {
      let n = short.size;
      code = '';
      for (let i = 0; i < 3; i++) {
        code = String.fromCharCode(40 + (n % 80)) + code;
        n = Math.floor(n / 80);
      }
      code = code.replace(/\\/g, '~');
      short.set(id, code);
    }
    return code;
  };
  const shorten = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(shorten);
    if (typeof node === 'string') return GUID.test(node) ? shortId(node) : node;
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [GUID.test(k) ? shortId(k) : k, shorten(v)]));
  };
  const entities = shorten(scene.entities) as Record<string, Record<string, unknown>>;
  const bodies = Object.fromEntries(
    Object.entries(entities).map(([id, { position: _p, rotation: _r, scale: _s, ...rest }]) => [id, rest]),
  );
  const counts = new Map<string, number>();
  const count = (node: unknown, top: boolean) => {
    if (Array.isArray(node)) for (const n of node) count(n, false);
    else if (typeof node === 'object' && node !== null)
      for (const [k, v] of Object.entries(node)) {
        if (!top) counts.set(k, (counts.get(k) ?? 0) + 1);
        count(v, false);
      }
  };
  count(bodies, true);
  const fieldArray = [...counts.keys()].sort(
    (a, b) => (counts.get(b) as number) - (counts.get(a) as number) || (a < b ? -1 : 1),
  );
  const code = (i: number) =>
    i < CODE_BASE
      ? String.fromCharCode(FIRST_CODE + i)
      : String.fromCharCode(FIRST_CODE + Math.floor(i / CODE_BASE), FIRST_CODE + (i % CODE_BASE));
  const keys = new Map(fieldArray.map((k, i) => [k, code(i)]));
  const encode = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(encode);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [keys.get(k) as string, encode(v)]));
  };
  const singleVecs: number[] = [];
  const vecAt = new Map<string, number>();
  const vec = (v: Vec) => {
    const key = v.join(',');
    let at = vecAt.get(key);
    if (at === undefined) {
      at = singleVecs.length;
      vecAt.set(key, at);
      singleVecs.push(...v);
    }
    return at;
  };
  const prsKey = (e: Record<string, unknown>) =>
    [e.position, e.rotation, e.scale].map((v) => (v as Vec).join(',')).join('|');
  const uses = new Map<string, number>();
  for (const e of Object.values(entities)) uses.set(prsKey(e), (uses.get(prsKey(e)) ?? 0) + 1);
  const tripleVecs: number[] = [];
  const tripleAt = new Map<string, number>();
  const out: Record<string, unknown> = {};
  for (const [id, e] of Object.entries(entities)) {
    const body = encode(bodies[id]) as Record<string, unknown>;
    const indices = [vec(e.position as Vec), vec(e.rotation as Vec), vec(e.scale as Vec)];
    const key = prsKey(e);
    if ((uses.get(key) as number) > 1) {
      if (!tripleAt.has(key)) {
        tripleAt.set(key, tripleVecs.length);
        tripleVecs.push(...indices);
      }
      body.___2 = tripleAt.get(key);
    } else {
      body.___1 = indices;
    }
    out[id] = body;
  }
  return {
    ...scene,
    entities: out,
    compressedFormat: { fieldArray, fieldFirstCode: FIRST_CODE, fieldCodeBase: CODE_BASE, singleVecs, tripleVecs },
  };
}
