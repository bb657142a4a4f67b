import { expect, it } from 'vitest';
import { generate } from '../scripts/generate.js';

it('what is generated from one source (option types, README tables, the fault matrix doc) is up to date', async () => {
  expect(await generate(true)).toEqual([]);
});
