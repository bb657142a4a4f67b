import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { cachedBundle } from '../src/builds/bundle-cache.js';

it(
  'a concatenated ES module build is bundled once per machine: ' +
    'the same inputs read it back, other inputs bundle again',
  async () => {
    const unique = randomUUID();
    const modules = new Map([
      ['index.mjs', `// ${unique}\nimport './engine.mjs';`],
      ['engine.mjs', 'export const version = "2";'],
    ]);
    let bundled = 0;
    const bundle = async () => {
      bundled++;
      return { index: `index ${bundled}`, esm: `esm ${bundled}` };
    };
    expect(await cachedBundle(modules, ['a.mjs'], bundle)).toEqual({ index: 'index 1', esm: 'esm 1' });
    expect(await cachedBundle(new Map([...modules].reverse()), ['a.mjs'], bundle)).toEqual({
      index: 'index 1',
      esm: 'esm 1',
    });
    expect(bundled).toBe(1);
    expect(
      await cachedBundle(new Map([...modules, ['engine.mjs', 'export const version = "3";']]), ['a.mjs'], bundle),
    ).toEqual({
      index: 'index 2',
      esm: 'esm 2',
    });
    expect(await cachedBundle(modules, ['a.mjs', 'b.mjs'], bundle)).toEqual({ index: 'index 3', esm: 'esm 3' });
    expect(bundled).toBe(3);
  },
);
