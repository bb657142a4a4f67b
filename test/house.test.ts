import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/** The house rules (issue 21): small modules, short lines (in the tests too). */
const MAX_FILE_LINES = 300;
const MAX_LINE_CHARACTERS = 120;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The source the rules hold for: every package's src/, the scripts, the benchmarks, the action, the examples. */
const SOURCE_FOLDERS = ['packages', 'scripts', 'bench', 'action', 'examples'];
const SOURCE_FILE = /\.(ts|mts|cts|mjs|cjs|js)$/;
const NOT_SOURCE = new Set(['node_modules', 'dist', 'templates', 'test', 'etc', 'fixtures', 'runtime']);
/**
 * The tests the line rule holds for too: the test files and their helpers, in test/ and each package's test/. Not
 * fixtures/: they stand for the user's gulpfiles and projects, as a user would write them, and are run as they are;
 * not generated files (*.generated.ts, which the generator writes) nor data files (JSON, HTML, archives are not
 * code files): no one writes their lines by hand. The length rule stays with the source: a test file grows with the
 * behaviours it covers.
 */
const TEST_FOLDERS = [
  'test',
  ...(await readdir(join(ROOT, 'packages')))
    .map((name) => `packages/${name}/test`)
    .filter((folder) => existsSync(join(ROOT, folder))),
];
const NOT_TESTS = new Set(['node_modules', 'dist', 'fixtures']);
const GENERATED = /\.generated\.ts$/;

/**
 * Files allowed over 300 lines, each with the reason. Only what cannot be split belongs here.
 */
const LONG_FILES_ALLOWED: Record<string, string> = {};

/**
 * Files whose lines may pass 120 characters, each with the reason. Only what cannot be wrapped belongs here (a URL,
 * say); a message is wrapped by concatenating its pieces.
 */
const LONG_LINES_ALLOWED: Record<string, string> = {};

async function codeFiles(folder: string, skipped: Set<string>): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(ROOT, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory() && !skipped.has(entry.name) && !entry.name.startsWith('.'))
      out.push(...(await codeFiles(path, skipped)));
    else if (entry.isFile() && SOURCE_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

const read = async (list: string[]) =>
  new Map(await Promise.all(list.map(async (f) => [f, await readFile(join(ROOT, f), 'utf8')] as const)));
const files = (await Promise.all(SOURCE_FOLDERS.map((folder) => codeFiles(folder, NOT_SOURCE)))).flat();
const texts = await read(files);
const testFiles = (await Promise.all(TEST_FOLDERS.map((folder) => codeFiles(folder, NOT_TESTS))))
  .flat()
  .filter((file) => !GENERATED.test(file));
const testTexts = await read(testFiles);
const everything = new Map([...texts, ...testTexts]);
const linesOf = (text: string) => text.replace(/\n$/, '').split('\n');

it('reads the source (a wrong root would check nothing)', () => {
  expect(files).toContain('packages/client/src/index.ts');
  expect(files).toContain('scripts/generate.ts');
  expect(files.length).toBeGreaterThan(100);
});

it('reads the tests and their helpers, not the fixtures', () => {
  expect(testFiles).toContain('test/house.test.ts');
  expect(testFiles).toContain('packages/client/test/corporate-network.test.ts');
  expect(testFiles).toContain('packages/cli/test/run-cli.ts');
  expect(testFiles.filter((f) => f.includes('/fixtures/'))).toEqual([]);
  expect(testFiles.length).toBeGreaterThan(100);
});

it(`no source file is over ${MAX_FILE_LINES} lines`, () => {
  const over = [...texts]
    .filter(([file, text]) => !(file in LONG_FILES_ALLOWED) && linesOf(text).length > MAX_FILE_LINES)
    .map(([file, text]) => `${file}: ${linesOf(text).length} lines`);
  expect(over, 'split these by concern (one job per module)').toEqual([]);
});

it(`no line of the source or the tests is over ${MAX_LINE_CHARACTERS} characters`, () => {
  const over = [...everything]
    .filter(([file]) => !(file in LONG_LINES_ALLOWED))
    .flatMap(([file, text]) =>
      linesOf(text).flatMap((line, i) =>
        [...line].length > MAX_LINE_CHARACTERS ? [`${file}:${i + 1}: ${[...line].length} characters`] : [],
      ),
    );
  expect(over, 'wrap these: strings as concatenated pieces, comments on more lines').toEqual([]);
});

it('the allow-lists name only files that exist and still need it', () => {
  const stale = [
    ...Object.keys(LONG_FILES_ALLOWED).filter((f) => (linesOf(texts.get(f) ?? '').length ?? 0) <= MAX_FILE_LINES),
    ...Object.keys(LONG_LINES_ALLOWED).filter(
      (f) => !linesOf(everything.get(f) ?? '').some((line) => [...line].length > MAX_LINE_CHARACTERS),
    ),
  ];
  expect(stale, 'remove these entries: the file is gone or keeps to the rule now').toEqual([]);
});
