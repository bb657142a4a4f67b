import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';

it("the README's gulpfile is the one the demo runs", async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const gulpfile = await readFile(new URL('../examples/gulpfile.mjs', import.meta.url), 'utf8');
  const block = /## The gulpfile[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(gulpfile);
});

it.each([
  ['the README', '../README.md', 'all'],
  ['playcanvas-postprocess’s README', '../packages/postprocess/README.md', 'postprocess'],
  ['playcanvas-build-check’s README', '../packages/check/README.md', 'check'],
])('%s documents every option of the post-processing steps and of the check it covers', async (_name, path, which) => {
  const readme = await readFile(new URL(path, import.meta.url), 'utf8');
  const { assetPrefixStep, cspStep, singleFileStep, stampVersionStep } = await import('@gulp-playcanvas/playcanvas-postprocess');
  const { resolveCheckOptions } = await import('@gulp-playcanvas/playcanvas-build-check');
  const optionsNamed = (create: () => unknown): string[] => {
    try {
      create();
    } catch (error) {
      const list = /the options? (?:are|is) (.*)$/.exec((error as Error).message)?.[1] ?? /use (.*)$/.exec((error as Error).message)?.[1];
      if (list) return list.split(', ');
    }
    throw new Error('no list of options in the error');
  };
  // named in the first cell of an options table's row, not just mentioned in backticks somewhere
  const documented = (name: string) => new RegExp(`^\\| [^|\\n]*\`${name}\`[^|\\n]*\\|`, 'm').test(readme);
  const postprocess = [
    ...optionsNamed(() => cspStep({ unknownOption: 1 } as never)),
    ...optionsNamed(() => singleFileStep({ unknownOption: 1 } as never)),
    ...optionsNamed(() => stampVersionStep('1', { unknownOption: 1 } as never)),
    ...optionsNamed(() => assetPrefixStep('/x/', { unknownOption: 1 } as never)),
  ];
  const check = optionsNamed(() => resolveCheckOptions({ unknownOption: 1 } as never));
  const all = which === 'all' ? [...postprocess, ...check] : which === 'check' ? check : postprocess;
  expect(all.length).toBeGreaterThan(8);
  expect(all.filter((name) => !documented(name))).toEqual([]);
});

it("the README's compression and upload recipe is the gulpfile the recipe test runs", async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const gulpfile = await readFile(new URL('./fixtures/recipes/gulpfile.mjs', import.meta.url), 'utf8');
  const block = /## Compression and upload[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(gulpfile);
});

it("the README's Gruntfile is the one in grunt-playcanvas's README, which its tests run", async () => {
  const gruntfileIn = async (url: URL, heading: string) =>
    new RegExp(`## ${heading}[\\s\\S]*?\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(await readFile(url, 'utf8'))?.[1];
  const root = await gruntfileIn(new URL('../README.md', import.meta.url), 'Grunt\\n');
  expect(root).toContain("grunt.loadNpmTasks('@gulp-playcanvas/grunt-playcanvas')");
  expect(root).toBe(await gruntfileIn(new URL('../packages/grunt-playcanvas/README.md', import.meta.url), 'Gruntfile\\n'));
});

it("the README's release recipe is the gulpfile the recipe test runs", async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const gulpfile = await readFile(new URL('./fixtures/recipes/release.mjs', import.meta.url), 'utf8');
  const block = /## A release from a checkpoint[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(gulpfile);
});
