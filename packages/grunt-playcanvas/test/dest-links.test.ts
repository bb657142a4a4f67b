import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOKEN, tempDir } from 'test-support';
import { describe, expect, it } from 'vitest';
import { resolveTask } from '../src/options.js';

const BUILD = { projectId: 1000, name: 'Space Race', scenes: ['Main'], token: TOKEN, baseUrl: 'http://127.0.0.1:1' };

describe('resolveTask: a dest reached through a symbolic link', () => {
  it('that is or holds the project folder is refused even with replaceOutside: true; nothing is touched', async () => {
    const parent = await tempDir('grunt-links-');
    const cwd = join(parent, 'game');
    await mkdir(join(cwd, 'src'), { recursive: true });
    await writeFile(join(cwd, 'Gruntfile.js'), '');
    await writeFile(join(cwd, 'package.json'), '{}');
    const links = await tempDir('grunt-links-elsewhere-');
    await symlink(cwd, join(links, 'game'));
    await symlink(parent, join(links, 'parent'));
    const run = (dest: string) =>
      resolveTask({
        options: { ...BUILD, replaceOutside: true },
        target: { dest },
        nameArgs: 'playcanvas:game',
        cwd,
      });
    expect(() => run(join(links, 'game'))).toThrow(
      `Option dest "${join(links, 'game')}" is the project folder, and it is replaced as a whole: ` +
        `give a folder of its own, e.g. 'build'`,
    );
    expect(() => run(join(links, 'parent', 'game'))).toThrow(/is the project folder, and it is replaced as a whole/);
    expect(() => run(join(links, 'parent'))).toThrow(
      /is a folder that holds the project folder, and it is replaced as a whole/,
    );
    expect((await readdir(cwd)).sort()).toEqual(['Gruntfile.js', 'package.json', 'src']);
  });

  it('out of the project folder to one that holds files: needs replaceOutside, as any folder outside', async () => {
    const parent = await tempDir('grunt-links-');
    const cwd = join(parent, 'game');
    await mkdir(cwd);
    await mkdir(join(parent, 'www'));
    await writeFile(join(parent, 'www', 'index.php'), '');
    await symlink(parent, join(cwd, 'up'));
    const run = (replaceOutside: boolean) =>
      resolveTask({
        options: { ...BUILD, replaceOutside },
        target: { dest: 'up/www' },
        nameArgs: 'playcanvas:game',
        cwd,
      });
    expect(() => run(false)).toThrow(
      /^Option dest "up\/www" is outside the project folder and already holds files \(index\.php\)/,
    );
    expect(run(true).dest).toBe(join(cwd, 'up', 'www'));
  });
});
