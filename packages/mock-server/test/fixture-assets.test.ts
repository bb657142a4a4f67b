import {
  defaultFixtures,
  type FixtureAsset,
  FixtureError,
  galleryAssets,
  validateFixtures,
} from '@gulp-playcanvas/playcanvas-mock-server';
import { describe, expect, it } from 'vitest';

/** The default fixtures with project 1002's assets replaced by `assets`. */
function withAssets(assets: Array<Partial<FixtureAsset> & Record<string, unknown>>) {
  const fixtures = defaultFixtures();
  const index = fixtures.projects.findIndex((p) => p.id === 1002);
  (fixtures.projects[index] as { assets: unknown }).assets = assets;
  return { fixtures, at: `projects[${index}].assets` };
}

function refusal(assets: Array<Partial<FixtureAsset> & Record<string, unknown>>): string {
  const { fixtures } = withAssets(assets);
  try {
    validateFixtures(JSON.parse(JSON.stringify(fixtures)));
  } catch (error) {
    expect(error).toBeInstanceOf(FixtureError);
    return (error as Error).message;
  }
  throw new Error('the fixtures were accepted');
}

const script = (id: number, filename: string) => ({
  id,
  name: filename,
  type: 'script' as const,
  filename,
  preload: false,
});

describe('the asset mix in fixtures', () => {
  it('accepts the default fixtures, the layout projects among them, through JSON', () => {
    const fixtures = defaultFixtures();
    expect(fixtures.projects.map((p) => p.id)).toContain(1002);
    expect(fixtures.tokens[0]?.projects).toContain(1002);
    expect(() => validateFixtures(JSON.parse(JSON.stringify(fixtures)))).not.toThrow();
  });

  it('gives each gallery asset its own id from the first one given', () => {
    const ids = galleryAssets(7000).map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...ids)).toBe(7000);
    expect(Math.max(...ids)).toBe(7017);
  });

  it('refuses an unknown type, naming the types', () => {
    expect(refusal([{ id: 1, name: 'a', type: 'mesh' as never, filename: 'a' }])).toMatch(
      /projects\[\d+\]\.assets\[0\]\.type must be one of script, texture, .*, animation\./,
    );
  });

  it('refuses a repeated asset id', () => {
    expect(refusal([script(1, 'a.js'), script(1, 'b.js')])).toMatch(/assets\[1\]\.id repeats asset id 1/);
  });

  it('refuses a wasm module with a glue script but no fallback, or one that names no script', () => {
    const wasm = { id: 1, name: 'm.wasm', type: 'wasm' as const, filename: 'm.wasm' };
    expect(refusal([{ ...wasm, glueScriptId: 2 }, script(2, 'm.wasm.js')])).toMatch(
      /assets\[0\]\.fallbackScriptId must be given too/,
    );
    expect(refusal([{ ...wasm, glueScriptId: 2, fallbackScriptId: 3 }, script(2, 'm.wasm.js')])).toMatch(
      /assets\[0\]\.fallbackScriptId names asset 3, which is not a script asset of this project/,
    );
    expect(refusal([{ ...wasm, glueScriptId: 2, fallbackScriptId: 2 }, script(2, 'm.wasm.js')])).toMatch(
      /must be another script than the glue/,
    );
    expect(refusal([{ ...script(2, 'x.js'), glueScriptId: 2, fallbackScriptId: 2 }])).toMatch(
      /glueScriptId belongs to a wasm asset only/,
    );
  });

  it('refuses a font with more pages than glyphs, or a page count out of range', () => {
    const font = { id: 1, name: 'F.ttf', type: 'font' as const, filename: 'F.png' };
    expect(refusal([{ ...font, characters: 'ab', pages: 3 }])).toMatch(
      /assets\[0\]\.pages is more than the font has characters/,
    );
    expect(refusal([{ ...font, pages: 0 }])).toMatch(/assets\[0\]\.pages must be an integer from 1 to 16/);
    expect(refusal([{ ...font, characters: '' }])).toMatch(/assets\[0\]\.characters must be a non-empty string/);
  });

  it('refuses a sprite without its atlas, a render without its container, a cubemap without six textures', () => {
    expect(refusal([{ id: 1, name: 's', type: 'sprite', filename: 's', textureAtlas: 9 }])).toMatch(
      /assets\[0\]\.textureAtlas names asset 9, which is not a textureatlas asset of this project/,
    );
    expect(refusal([{ id: 1, name: 'r', type: 'render', filename: 'r' }])).toMatch(
      /assets\[0\]\.container must be the id of a container asset/,
    );
    const faces = [2, 3, 4, 5, 6, 7].map((id) => ({
      id,
      name: `${id}.png`,
      type: 'texture' as const,
      filename: `${id}.png`,
    }));
    expect(refusal([{ id: 1, name: 'c', type: 'cubemap', filename: 'c.png', faces: [2, 3] }, ...faces])).toMatch(
      /assets\[0\]\.faces must list the ids of six texture assets/,
    );
    expect(
      refusal([{ id: 1, name: 'c', type: 'cubemap', filename: 'c.png', faces: [2, 3, 4, 5, 6, 1] }, ...faces]),
    ).toMatch(/assets\[0\]\.faces\[5\] must be the id of a texture asset of this project/);
  });
});
