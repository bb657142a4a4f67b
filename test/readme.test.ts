import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFile(new URL(`../${path}`, import.meta.url), 'utf8');
/** The first fenced block of `language` after `heading`. */
const blockAfter = (text: string, heading: string, language: string) => {
  const start = text.indexOf(heading);
  if (start < 0) return undefined;
  return new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(text.slice(start))?.[1];
};

it("the README's gulpfile is the one the demo runs", async () => {
  expect(blockAfter(await read('README.md'), '## The gulpfile', 'js')).toBe(await read('examples/gulpfile.mjs'));
});

it("the README's set-up and test lines hold every command .ci/run runs from a clean clone", async () => {
  const readme = await read('README.md');
  const tryIt = readme.slice(readme.indexOf('## Try it'), readme.indexOf('## The gulpfile'));
  const lines = [...tryIt.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  expect(lines).toHaveLength(2);
  const ci = (await read('.ci/run')).split('\n').filter((line) => /^(sh|pnpm|npm) /.test(line.trim()));
  const commands = lines
    .join('\n')
    .split(/&&|\n/)
    .map((command) => command.trim())
    .filter(Boolean);
  expect(ci.length).toBeGreaterThan(3);
  for (const line of ci) {
    const command = line.trim().replace(/^npm install --global pnpm@.*$/, 'npm install --global pnpm@12.4.2');
    expect(commands, `.ci/run runs ${command}`).toContain(command);
  }
  expect(commands.at(-1)).toBe('pnpm test');
});

/** GitHub's anchor for a heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

describe('links between the README, CONTRIBUTING.md and docs/', async () => {
  const pages = [
    'README.md',
    'CONTRIBUTING.md',
    ...(await readdir(new URL('../docs', import.meta.url))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  ];
  it.each(pages)('%s: every relative link leads to a file, and every #anchor to a heading in it', async (page) => {
    const text = (await read(page)).replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\((?!https?:)([^)\s]+)\)/g)) {
      const [path, anchor] = (target as string).split('#') as [string, string | undefined];
      const here = new URL(`../${page}`, import.meta.url);
      const content = await readFile(path ? new URL(path, here) : here, 'utf8').catch(() => undefined);
      const headings = (content ?? '').split('\n').filter((line) => /^#+ /.test(line));
      const anchors = headings.map((line) => slug(line.replace(/^#+ /, '')));
      if (content === undefined) broken.push(`${target}: no such file`);
      else if (anchor && !anchors.includes(anchor)) broken.push(`${target}: no heading with that anchor`);
    }
    expect(broken).toEqual([]);
  });

  it("the README's topics table links every page of docs/", async () => {
    const readme = await read('README.md');
    const topics = readme.slice(readme.indexOf('## Topics'));
    const unlinked = pages.filter((page) => page.startsWith('docs/') && !topics.includes(`](${page})`));
    expect(unlinked).toEqual([]);
  });
});

/** The names an options check lists when given an unknown option. */
function optionsNamed(create: () => unknown): string[] {
  try {
    create();
  } catch (error) {
    const message = (error as Error).message;
    const list = /the options? (?:are|is) (.*)$/.exec(message)?.[1] ?? /use (.*)$/.exec(message)?.[1];
    if (list) return list.split(', ');
  }
  throw new Error('no list of options in the error');
}

/** The options named in the first cells of the first table after `heading` in `text` (and before the next heading). */
function tableAfter(text: string, heading: string): string[] {
  const start = text.indexOf(heading);
  if (start < 0) throw new Error(`no section ${heading}`);
  const rest = text.slice(start + heading.length);
  const table = /(?:^\|.*\n)+/m.exec(rest);
  const nextHeading = /^#+ /m.exec(rest);
  if (!table || (nextHeading && nextHeading.index < table.index)) return [];
  return table[0]
    .split('\n')
    .slice(2)
    .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1] as string));
}

describe('every option of each post-processing step and of the check is in the table of its own section', async () => {
  const postprocess = await import('@gulp-playcanvas/playcanvas-postprocess');
  const { assetPrefixStep, cspStep, singleFileStep, stampVersionStep } = postprocess;
  const { resolveCheckOptions } = await import('@gulp-playcanvas/playcanvas-build-check');
  const steps = {
    stampVersion: optionsNamed(() => stampVersionStep('1', { unknownOption: 1 } as never)),
    csp: optionsNamed(() => cspStep({ unknownOption: 1 } as never)),
    assetPrefix: optionsNamed(() => assetPrefixStep('/x/', { unknownOption: 1 } as never)),
    singleFile: optionsNamed(() => singleFileStep({ unknownOption: 1 } as never)),
    check: optionsNamed(() => resolveCheckOptions({ unknownOption: 1 } as never)),
  };
  it.each([
    ['docs/postprocessing.md', '## `stampVersion(version, options?)`', steps.stampVersion],
    ['docs/postprocessing.md', '## `csp(options?)`', steps.csp],
    ['docs/postprocessing.md', '## `assetPrefix(url, options?)`', steps.assetPrefix],
    ['docs/postprocessing.md', '## `singleFile(options?)`', steps.singleFile],
    ['packages/postprocess/README.md', '`stampVersionStep(version, options?)`:', steps.stampVersion],
    ['packages/postprocess/README.md', '`cspStep(options?)`:', steps.csp],
    ['packages/postprocess/README.md', '`assetPrefixStep(url, options?)`:', steps.assetPrefix],
    ['packages/postprocess/README.md', '`singleFileStep(options?)`:', steps.singleFile],
    ['docs/check.md', '## `check(options?)`', steps.check],
    ['packages/check/README.md', '## Options', steps.check],
  ])('%s, %s', async (page, heading, options) => {
    expect(options.length).toBeGreaterThan(0);
    const table = tableAfter(await read(page), heading);
    expect(options.filter((name) => !table.includes(name))).toEqual([]);
  });
});

it("docs/gulp.md's compression and upload recipe is the gulpfile the recipe test runs", async () => {
  const block = blockAfter(await read('docs/gulp.md'), '## Compression and upload', 'js');
  expect(block).toBe(await read('test/fixtures/recipes/gulpfile.mjs'));
});

it("docs/gulp.md's release recipe is the gulpfile the recipe test runs", async () => {
  const block = blockAfter(await read('docs/gulp.md'), '## A release from a checkpoint', 'js');
  expect(block).toBe(await read('test/fixtures/recipes/release.mjs'));
});
