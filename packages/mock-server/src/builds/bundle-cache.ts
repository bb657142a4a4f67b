import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundledBuild } from './esm-bundle.js';

/**
 * Concatenated ES module builds on disk, shared by every mock process of this machine: bundling the engine takes
 * seconds (tens on a loaded 2-core machine), and each test file starts a mock of its own. The key covers every
 * input and the bundler's own source, so a changed build or bundler never meets an old result. A failed read or
 * write only means bundling again.
 */
const DIR = join(tmpdir(), 'playcanvas-mock-server', 'esm-bundles');
const BUNDLER = new URL('./esm-bundle.js', import.meta.url);

let bundlerHash: Promise<string> | undefined;
function bundlerVersion(): Promise<string> {
  bundlerHash ??= readFile(BUNDLER)
    .catch(() => readFile(new URL('./esm-bundle.ts', import.meta.url)))
    .then((source) => createHash('sha256').update(source).digest('hex'))
    .catch(() => 'unknown');
  return bundlerHash;
}

async function keyOf(modules: ReadonlyMap<string, string>, scripts: string[]): Promise<string> {
  const hash = createHash('sha256').update(await bundlerVersion());
  for (const [path, text] of [...modules].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`\0${path}\0${text}`);
  return hash
    .update(`\0${JSON.stringify(scripts)}`)
    .digest('hex')
    .slice(0, 32);
}

export async function cachedBundle(
  modules: ReadonlyMap<string, string>,
  scripts: string[],
  bundle: () => Promise<BundledBuild>,
): Promise<BundledBuild> {
  const file = join(DIR, `${await keyOf(modules, scripts)}.json`);
  const stored = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as Partial<BundledBuild>,
    () => undefined,
  );
  if (typeof stored?.index === 'string' && typeof stored.esm === 'string')
    return { index: stored.index, esm: stored.esm };
  const result = await bundle();
  try {
    await mkdir(DIR, { recursive: true });
    const partial = `${file}.${process.pid}.${Date.now()}.part`;
    await writeFile(partial, JSON.stringify(result));
    await rename(partial, file);
  } catch {
    // a cache that cannot be written is only slower
  }
  return result;
}
