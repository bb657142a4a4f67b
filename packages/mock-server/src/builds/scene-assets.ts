import type { FixtureAsset } from '../fixture-assets.js';
import { sampleText } from './font-data.js';

type Vec = [number, number, number];
type Entity = Record<string, unknown> & { resource_id: string };

/**
 * The entities that use a project's asset mix, so that the engine fetches it at boot: a screen with a text element
 * per font (its text reaches the font's last atlas page), a sprite per sprite asset, a speaker per audio asset, a
 * model per render asset (animated with the project's first animation). `skybox` is the first cubemap.
 */
export function assetEntities(
  assets: FixtureAsset[],
  id: (n: number) => string,
  parent: string,
): { entities: Entity[]; children: string[]; skybox: number | null } {
  const entities: Entity[] = [];
  const children: string[] = [];
  let n = 20;
  const add = (name: string, under: string, position: Vec, scale: Vec, components: Record<string, unknown>) => {
    const resourceId = id(n++);
    entities.push({
      name,
      tags: [],
      enabled: true,
      resource_id: resourceId,
      parent: under,
      children: [],
      position,
      rotation: [0, 0, 0],
      scale,
      components,
    });
    if (under === parent) children.push(resourceId);
    else ((entities.find((e) => e.resource_id === under) as Entity).children as string[]).push(resourceId);
    return resourceId;
  };
  const ofType = (type: FixtureAsset['type']) => assets.filter((a) => a.type === type);
  const fonts = ofType('font');
  if (fonts.length > 0) {
    const screen = add('HUD', parent, [0, 0, 0], [1, 1, 1], { screen: screenComponent() });
    for (const [i, font] of fonts.entries())
      add(`Label ${font.name}`, screen, [0, 0, 0], [1, 1, 1], { element: textElement(font, 0.92 - i * 0.1) });
  }
  for (const [i, sprite] of ofType('sprite').entries()) {
    add(`Sprite ${sprite.name}`, parent, [-1 + i * 0.6, 2.6, 1], [0.5, 0.5, 0.5], {
      sprite: spriteComponent(sprite.id),
    });
  }
  for (const audio of ofType('audio'))
    add(`Speaker ${audio.name}`, parent, [0, 0.5, 2], [1, 1, 1], { sound: soundComponent(audio.id) });
  const animation = ofType('animation')[0];
  for (const [i, render] of ofType('render').entries()) {
    add(render.name, parent, [1.2 + i * 0.6, 2.6, 1], [0.8, 0.8, 0.8], {
      render: renderComponent('asset', null, render.id),
      ...(animation
        ? { animation: { enabled: true, assets: [animation.id], speed: 1, loop: true, activate: true } }
        : {}),
    });
  }
  return { entities, children, skybox: assets.find((a) => a.type === 'cubemap')?.id ?? null };
}

const screenComponent = () => ({
  enabled: true,
  screenSpace: true,
  scaleMode: 'blend',
  scaleBlend: 0.5,
  resolution: [1280, 720],
  referenceResolution: [1280, 720],
  priority: 0,
});

function textElement(font: FixtureAsset, y: number): Record<string, unknown> {
  return {
    enabled: true,
    type: 'text',
    anchor: [0.5, y, 0.5, y],
    pivot: [0.5, 0.5],
    text: sampleText(font),
    key: null,
    fontAsset: font.id,
    fontSize: 32,
    minFontSize: 8,
    maxFontSize: 32,
    autoFitWidth: false,
    autoFitHeight: false,
    maxLines: null,
    lineHeight: 32,
    wrapLines: false,
    spacing: 1,
    color: [0.1, 0.1, 0.25],
    opacity: 1,
    outlineColor: [0, 0, 0, 1],
    outlineThickness: 0,
    shadowColor: [0, 0, 0, 1],
    shadowOffset: [0, 0],
    alignment: [0.5, 0.5],
    autoWidth: true,
    autoHeight: true,
    width: 640,
    height: 40,
    margin: [0, 0, 0, 0],
    rect: [0, 0, 1, 1],
    materialAsset: null,
    textureAsset: null,
    spriteAsset: null,
    spriteFrame: 0,
    pixelsPerUnit: null,
    useInput: false,
    enableMarkup: false,
    rtlReorder: false,
    unicodeConverter: false,
    batchGroupId: null,
    mask: false,
    layers: [4],
  };
}

const spriteComponent = (spriteAsset: number) => ({
  enabled: true,
  type: 'simple',
  width: 1,
  height: 1,
  color: [1, 1, 1],
  opacity: 1,
  flipX: false,
  flipY: false,
  spriteAsset,
  frame: 0,
  speed: 1,
  batchGroupId: null,
  layers: [0],
  drawOrder: 0,
  autoPlayClip: null,
  clips: {},
});

const soundComponent = (asset: number) => ({
  enabled: true,
  volume: 1,
  pitch: 1,
  positional: false,
  refDistance: 1,
  maxDistance: 10000,
  rollOffFactor: 1,
  distanceModel: 'linear',
  slots: {
    1: {
      name: 'Slot 1',
      loop: false,
      autoPlay: false,
      overlap: false,
      asset,
      startTime: 0,
      duration: null,
      volume: 1,
      pitch: 1,
    },
  },
});

/** A render component: a primitive (`box`, `plane`...) with a material, or `asset` drawing a render asset. */
export function renderComponent(
  type: string,
  material: number | null,
  asset: number | null = null,
): Record<string, unknown> {
  return {
    enabled: true,
    type,
    asset,
    materialAssets: [material],
    layers: [0],
    batchGroupId: null,
    castShadows: true,
    castShadowsLightmap: true,
    receiveShadows: true,
    lightmapped: false,
    lightmapSizeMultiplier: 1,
    isStatic: false,
    rootBone: null,
  };
}
