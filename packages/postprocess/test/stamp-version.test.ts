import { browserTest, buildFiles, SCRIPTS_RAN } from 'test-support';
import { describe, expect, it } from 'vitest';
import { processFiles, stampVersionStep } from '../src/index.js';
import { refusal, useLab } from './helpers.js';

const lab = useLab();

const text = (files: ReadonlyMap<string, Buffer>, path: string) => files.get(path)?.toString() ?? '';

describe('stampVersion()', () => {
  it('puts the version in a meta element and a global, ?v= on the entry files, config and first scene', async () => {
    const build = await buildFiles(lab.server);
    const { files, changes } = await processFiles(stampVersionStep('1.4.2+build 7'), build);
    expect([...changes.keys()].sort()).toEqual(['__settings__.js', 'index.html']);
    const html = text(files, 'index.html');
    expect(html).toContain('<meta name="version" content="1.4.2+build 7">');
    for (const entry of [
      'styles.css',
      'manifest.json',
      'playcanvas-stable.min.js',
      '__settings__.js',
      '__start__.js',
      '__loading__.js',
    ])
      expect(html, entry).toContain(`="${entry}?v=1.4.2%2Bbuild%207"`);
    const settings = text(files, '__settings__.js');
    expect(settings).toContain('window.CONFIG_FILENAME = "config.json?v=1.4.2%2Bbuild%207";');
    expect(settings).toContain('window.SCENE_PATH = "2000.json?v=1.4.2%2Bbuild%207";');
    expect(settings.endsWith('window.BUILD_VERSION = "1.4.2+build 7";\n')).toBe(true);
    // asset files are revision-pathed: untouched
    expect(text(files, 'config.json')).toBe(text(build, 'config.json'));
  });

  it('stamped twice, keeps one of each, with the second version', async () => {
    const once = await processFiles(stampVersionStep('1.0.0'), await buildFiles(lab.server));
    const { files } = await processFiles(stampVersionStep('1.0.1'), once.files);
    const html = text(files, 'index.html');
    expect(html.match(/<meta name="version"/g)).toHaveLength(1);
    expect(html).toContain('src="__start__.js?v=1.0.1"');
    expect(html).not.toContain('1.0.0');
    expect(text(files, '__settings__.js').match(/BUILD_VERSION/g)).toHaveLength(1);
  });

  it('follows its options: another meta name and global, no cache-busting', async () => {
    const { files } = await processFiles(
      stampVersionStep('3', { meta: 'build', global: 'GAME_VERSION', cacheBust: false }),
      await buildFiles(lab.server),
    );
    expect(text(files, 'index.html')).toContain('<meta name="build" content="3">');
    expect(text(files, 'index.html')).not.toContain('?v=');
    expect(text(files, '__settings__.js')).toContain('window.GAME_VERSION = "3";');
    const none = await processFiles(
      stampVersionStep('3', { meta: false, global: false, cacheBust: false }),
      await buildFiles(lab.server),
    );
    expect([...none.changes.keys()]).toEqual(['index.html']);
    expect(text(none.files, 'index.html')).not.toContain('"3"');
  });

  it('refuses a version or options it cannot use', async () => {
    expect(await refusal(() => stampVersionStep(undefined as never))).toBe(
      "stampVersion() takes the version as a non-empty string, e.g. stampVersion('1.4.2'); got undefined",
    );
    expect(await refusal(() => stampVersionStep('1\n2'))).toBe(
      'stampVersion() takes a version of at most 128 printable characters',
    );
    expect(await refusal(() => stampVersionStep('1', { global: 'my-version' }))).toBe(
      'stampVersion option global must be a JavaScript identifier like "BUILD_VERSION", or false; got my-version',
    );
  });
});

describe('stampVersion(): proven in Chromium', () => {
  browserTest('the stamped build boots, with its version global set', async () => {
    const { files } = await processFiles(stampVersionStep('1.4.2'), await buildFiles(lab.server));
    const result = await lab.checker.check(files, {
      viewport: { width: 320, height: 180 },
      frames: 5,
      until: `${SCRIPTS_RAN} && window.BUILD_VERSION === '1.4.2'`,
    });
    expect(result.requests.some((r) => r.url.endsWith('/config.json?v=1.4.2'))).toBe(true);
  });
});
