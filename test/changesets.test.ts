import { readdir, readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (path: string) => readFile(new URL(`../${path}`, import.meta.url), 'utf8');

/** Every workspace package: its folder, name and whether it is published. */
async function workspace(): Promise<Array<{ folder: string; name: string; published: boolean }>> {
  const globs = (parse(await read('pnpm-workspace.yaml')) as { packages: string[] }).packages;
  const folders: string[] = [];
  for (const glob of globs) {
    if (!glob.endsWith('/*')) folders.push(glob);
    else {
      const parent = glob.slice(0, -2);
      for (const child of await readdir(new URL(`../${parent}`, import.meta.url))) folders.push(`${parent}/${child}`);
    }
  }
  const found = [];
  for (const folder of folders) {
    const manifest = JSON.parse(await read(`${folder}/package.json`).catch(() => '{}'));
    if (manifest.name) found.push({ folder, name: manifest.name as string, published: !manifest.private });
  }
  return found;
}

it('changesets versions the published packages only, and each keeps a CHANGELOG.md under its own name', async () => {
  const config = JSON.parse(await read('.changeset/config.json'));
  const packages = await workspace();
  const unpublished = packages.filter((p) => !p.published).map((p) => p.name);
  expect([...config.ignore].sort()).toEqual(unpublished.sort());
  expect(config.access).toBe('public');
  const published = packages.filter((p) => p.published);
  expect(published.length).toBeGreaterThan(6);
  for (const { folder, name } of published) {
    const changelog = await read(`${folder}/CHANGELOG.md`).catch(() => '');
    expect(changelog.split('\n')[0], `${folder}/CHANGELOG.md`).toBe(`# ${name}`);
  }
});
