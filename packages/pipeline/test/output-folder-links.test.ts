import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from 'test-support';
import { describe, expect, it } from 'vitest';
import { resolveOutputFolder, StagedFolder } from '../src/output-folder.js';

const RULES = { replaceOutsideHint: 'add --replace-outside' };
const ANYWHERE = { ...RULES, replaceOutside: true };

/** A project folder `game` (with src/ and package.json) in a folder of its own, and `other-project` beside it. */
async function project(): Promise<{ parent: string; cwd: string }> {
  const parent = await tempDir('links-');
  const cwd = join(parent, 'game');
  await mkdir(join(cwd, 'src'), { recursive: true });
  await writeFile(join(cwd, 'package.json'), '{}');
  await mkdir(join(parent, 'other-project', 'src'), { recursive: true });
  await writeFile(join(parent, 'other-project', 'src', 'main.js'), '');
  return { parent, cwd };
}

describe('resolveOutputFolder: folders compared by their real paths', () => {
  it('a link to the working folder is that folder: refused as "." is, with or without replaceOutside', async () => {
    const { parent, cwd } = await project();
    await symlink('.', join(cwd, 'here'));
    await symlink(cwd, join(parent, 'game-link'));
    const dot = (() => {
      try {
        resolveOutputFolder('out', '.', cwd, ANYWHERE);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const given of ['here', '../game-link', join(parent, 'game-link')])
      for (const rules of [RULES, ANYWHERE])
        expect(() => resolveOutputFolder('out', given, cwd, rules)).toThrow(dot?.replace('"."', JSON.stringify(given)));
  });

  it('a folder above the working folder, or the root, through a link: refused whatever the rules', async () => {
    const { parent, cwd } = await project();
    await symlink(parent, join(cwd, 'up'));
    await symlink('/', join(parent, 'root-link'));
    for (const rules of [RULES, ANYWHERE]) {
      // the link's own parent in the path: `up/game` is cwd itself
      expect(() => resolveOutputFolder('out', 'up/game', cwd, rules)).toThrow(
        /^Option out "up\/game" is the working folder, and it is replaced as a whole/,
      );
      expect(() => resolveOutputFolder('out', join(parent, 'root-link'), cwd, rules)).toThrow(
        /^Option out ".*root-link" is a folder that holds the working folder, and it is replaced as a whole/,
      );
      expect(() => resolveOutputFolder('dest', 'up', cwd, { ...rules, cwdName: 'the project folder' })).toThrow(
        /^Option dest "up" is a folder that holds the project folder/,
      );
    }
  });

  it('a working folder reached through a link is compared as its real path', async () => {
    const { parent, cwd } = await project();
    const viaLink = join(await tempDir('links-cwd-'), 'workspace');
    await symlink(cwd, viaLink);
    // the user stands in the link; --out names the real folder
    for (const rules of [RULES, ANYWHERE])
      expect(() => resolveOutputFolder('out', cwd, viaLink, rules)).toThrow(/is the working folder/);
    expect(() => resolveOutputFolder('out', parent, viaLink, ANYWHERE)).toThrow(/holds the working folder/);
  });

  it(
    'inside by name but outside for real (a link out of the project) ' +
      'counts as outside: refused when it holds files',
    async () => {
      const { parent, cwd } = await project();
      await symlink(join(parent, 'other-project'), join(cwd, 'vendor'));
      expect(() => resolveOutputFolder('out', 'vendor/src', cwd, RULES)).toThrow(
        'Option out "vendor/src" is outside the working folder and already holds files (main.js), ' +
          'which would all be replaced: add --replace-outside if that is meant, ' +
          'or write inside the working folder',
      );
      expect(resolveOutputFolder('out', 'vendor/src', cwd, ANYWHERE)).toBe(join(cwd, 'vendor', 'src'));
      // a folder that does not exist yet: its nearest existing ancestor tells where it is; nothing held, so allowed
      expect(resolveOutputFolder('out', 'vendor/new/build', cwd, RULES)).toBe(join(cwd, 'vendor', 'new', 'build'));
    },
  );

  it('outside by name but inside for real is the previous build, replaced without asking', async () => {
    const { parent, cwd } = await project();
    await mkdir(join(cwd, 'build'));
    await writeFile(join(cwd, 'build', 'index.html'), '');
    const elsewhere = await tempDir('links-elsewhere-');
    await symlink(parent, join(elsewhere, 'p'));
    expect(resolveOutputFolder('out', join(elsewhere, 'p', 'game', 'build'), cwd, RULES)).toBe(
      join(elsewhere, 'p', 'game', 'build'),
    );
    expect(resolveOutputFolder('out', join(elsewhere, 'p', 'game', 'not-yet', 'build'), cwd, RULES)).toBe(
      join(elsewhere, 'p', 'game', 'not-yet', 'build'),
    );
  });
});

describe('StagedFolder.pathFor: a file the user names inside dest goes into the new build', () => {
  it('inside dest, by name or by link: into the staging folder; elsewhere: as given; clashes refused', async () => {
    const { parent, cwd } = await project();
    await mkdir(join(cwd, 'out'));
    await symlink(join(cwd, 'out'), join(parent, 'out-link'));
    const staged = await StagedFolder.open(join(cwd, 'out'), 'out');
    await writeFile(join(staged.dir, 'index.html'), '');
    expect(await staged.pathFor('out/shots/boot.png', 'screenshot', cwd)).toBe(join(staged.dir, 'shots', 'boot.png'));
    expect(await staged.pathFor('../out-link/boot.png', 'screenshot', cwd)).toBe(join(staged.dir, 'boot.png'));
    expect(await staged.pathFor('boot.png', 'screenshot', cwd)).toBe(join(cwd, 'boot.png'));
    await expect(staged.pathFor('out/index.html', 'screenshot', cwd)).rejects.toThrow(
      'Option screenshot "out/index.html" would replace index.html of the build: name a file of its own',
    );
    await expect(staged.pathFor('../out-link', 'screenshot', cwd)).rejects.toThrow(
      'Option screenshot "../out-link" is the output folder itself: name a file of its own',
    );
    await expect(staged.pathFor('out/index.html/boot.png', 'screenshot', cwd)).rejects.toThrow(
      'Option screenshot "out/index.html/boot.png" would need a folder where the build has a file ' +
        '(index.html): name a file of its own',
    );
    await staged.discard();
  });
});
