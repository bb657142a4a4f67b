import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tempDir } from 'test-support';
import { describe, expect, it } from 'vitest';
import { resolveOutputFolder, StagedFolder } from '../src/output-folder.js';

const RULES = { replaceOutsideHint: 'add --replace-outside' };

describe('resolveOutputFolder: a folder of its own', () => {
  it('resolves against cwd; refuses cwd itself and the folders above it, naming the option', () => {
    expect(resolveOutputFolder('out', 'build', '/work/game', RULES)).toBe('/work/game/build');
    expect(resolveOutputFolder('out', '../elsewhere', '/work/game', RULES)).toBe('/work/elsewhere');
    expect(resolveOutputFolder('out', '/tmp/x-not-there', '/work/game', RULES)).toBe('/tmp/x-not-there');
    expect(() => resolveOutputFolder('out', '.', '/work/game', RULES)).toThrow(
      /^Option out "\." is the working folder, and it is replaced as a whole/,
    );
    expect(() =>
      resolveOutputFolder('dest', '/work', '/work/game', { ...RULES, cwdName: 'the project folder' }),
    ).toThrow(/^Option dest "\/work" is a folder that holds the project folder/);
    expect(() => resolveOutputFolder('out', '/', '/work/game', RULES)).toThrow(/holds the working folder/);
    expect(() => resolveOutputFolder('out', '', '/work/game', RULES)).toThrow(/^Option out must be a folder path/);
  });

  it(
    'refuses a folder outside cwd that already holds files, ' +
      'unless the user allows it; an empty or new one is fine',
    async () => {
      const parent = await tempDir('outside-');
      const cwd = join(parent, 'game');
      await mkdir(cwd);
      await mkdir(join(parent, 'other-project'));
      await writeFile(join(parent, 'other-project', 'package.json'), '{}');
      await writeFile(join(parent, 'other-project', 'main.js'), '');
      await mkdir(join(parent, 'empty'));
      expect(() => resolveOutputFolder('out', '../other-project', cwd, RULES)).toThrow(
        'Option out "../other-project" is outside the working folder and already holds files (main.js, ' +
          'package.json), which would all be replaced: add --replace-outside if that is meant, ' +
          'or write inside the working folder',
      );
      expect(resolveOutputFolder('out', '../other-project', cwd, { ...RULES, replaceOutside: true })).toBe(
        join(parent, 'other-project'),
      );
      expect(resolveOutputFolder('out', '../empty', cwd, RULES)).toBe(join(parent, 'empty'));
      expect(resolveOutputFolder('out', '../new', cwd, RULES)).toBe(join(parent, 'new'));
      // inside cwd, a folder with files is the previous build: replaced without asking
      await mkdir(join(cwd, 'build'));
      await writeFile(join(cwd, 'build', 'index.html'), '');
      expect(resolveOutputFolder('out', 'build', cwd, RULES)).toBe(join(cwd, 'build'));
    },
  );
});

describe('StagedFolder: dest replaced only on commit', () => {
  it('commit puts the staging folder in place of dest, nothing beside it; discard leaves dest as it was', async () => {
    const parent = await tempDir('staging-');
    const dest = join(parent, 'build');
    await mkdir(dest);
    await writeFile(join(dest, 'old.txt'), 'old');

    const failed = await StagedFolder.open(dest, 'dest');
    await writeFile(join(failed.dir, 'new.txt'), 'new');
    await failed.discard();
    expect(await readdir(parent)).toEqual(['build']);
    expect(await readdir(dest)).toEqual(['old.txt']);

    const staged = await StagedFolder.open(dest, 'dest');
    expect(basename(staged.dir)).toMatch(/^\.build\.staging-/);
    expect((await readdir(parent)).sort()).toEqual(['build', basename(staged.dir)].sort());
    await writeFile(join(staged.dir, 'new.txt'), 'new');
    await staged.commit();
    expect(await readdir(parent)).toEqual(['build']);
    expect(await readdir(dest)).toEqual(['new.txt']);
    expect(await readFile(join(dest, 'new.txt'), 'utf8')).toBe('new');
  });

  it('makes the parent folders of a new dest; refuses a dest that is a file', async () => {
    const parent = await tempDir('staging-');
    const staged = await StagedFolder.open(join(parent, 'out', 'build'), 'dest');
    await staged.commit();
    expect(await readdir(join(parent, 'out'))).toEqual(['build']);
    await writeFile(join(parent, 'file'), 'not a folder');
    await expect(StagedFolder.open(join(parent, 'file'), 'dest')).rejects.toThrow(
      /^Option dest ".*file" exists and is a file: give a folder \(it is replaced as a whole\)$/,
    );
  });
});

describe('StagedFolder: a dest it would not replace as the user thinks', () => {
  it(
    'refuses a symbolic link (the link would become a folder and its target keep the old build), ' +
      'naming the target',
    async () => {
      const parent = await tempDir('staging-link-');
      await mkdir(join(parent, 'site-v1'));
      await writeFile(join(parent, 'site-v1', 'index.html'), 'old');
      await symlink(join(parent, 'site-v1'), join(parent, 'site'));
      const error = await StagedFolder.open(join(parent, 'site'), 'dest').catch((e: unknown) => e);
      expect(String((error as Error).message)).toBe(
        `Option dest "${join(parent, 'site')}" is a symbolic link: ` +
          `give the folder it points to ("${join(parent, 'site-v1')}") itself`,
      );
      expect((await readdir(parent)).sort()).toEqual(['site', 'site-v1']);
    },
  );
});
