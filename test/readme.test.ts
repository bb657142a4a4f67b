import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';

it("the README's gulpfile is the one the demo runs", async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const gulpfile = await readFile(new URL('../examples/gulpfile.mjs', import.meta.url), 'utf8');
  const block = /## The gulpfile[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(gulpfile);
});
