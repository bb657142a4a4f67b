import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { browserTest, startMock, tempDir } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_ARGS, runCli } from './run-cli.js';

/**
 * `build --playable <network>`: the network's files in --out, the report in the log and the JSON, the check under
 * the stand-in.
 */
let server: MockServer;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
});
afterAll(() => server.close());

const STORE = 'https://apps.example.com/space-race';
const build = (args: string[], cwd?: string) =>
  runCli([...BUILD_ARGS, '--out', 'ad', ...args], {
    env: { PLAYCANVAS_BASE_URL: server.url },
    ...(cwd ? { cwd } : {}),
  });

describe('playcanvas-build build --playable', () => {
  browserTest(
    'an MRAID network (AppLovin): one index.html, held until the stand-in shows it, the report in the log and --json',
    async () => {
      const run = await build(['--playable', 'applovin', '--store-url', STORE, '--check', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(await readdir(join(run.cwd, 'ad'))).toEqual(['index.html']);
      const html = await readFile(join(run.cwd, 'ad', 'index.html'), 'utf8');
      expect(html).toContain('<script src="mraid.js"></script>');
      const result = JSON.parse(run.stdout);
      expect(result.playable).toMatchObject({ network: 'applovin', upload: { path: 'index.html', maxBytes: 5242880 } });
      expect(result.playable.upload.bytes).toBe(Buffer.byteLength(html));
      expect(result.check.playable).toMatchObject({ network: 'applovin', heldUntilShown: true, violations: [] });
      expect(run.stderr).toMatch(/playcanvas-build: AppLovin: index\.html, [\d.]+ KB of 5120\.0 KB \(MRAID/);
      expect(run.stderr).toMatch(/ {2}engine +1 file +[\d.]+ KB → +[\d.]+ KB\n/);
      expect(run.stderr).toContain(
        'playcanvas-build: check: the applovin playable waited for the container to show it',
      );
    },
    120_000,
  );

  browserTest(
    "a zip network (TikTok): tiktok.zip in --out, checked from the zip's files under TikTok's stand-in",
    async () => {
      const run = await build(['--playable', 'tiktok', '--orientation', 'portrait', '--check', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(await readdir(join(run.cwd, 'ad'))).toEqual(['tiktok.zip']);
      const result = JSON.parse(run.stdout);
      expect(result.playable.files.map((f: { path: string }) => f.path)).toEqual(['index.html', 'config.json']);
      expect(result.check.playable).toMatchObject({ network: 'tiktok', violations: [] });
      expect(run.stderr).toContain('playcanvas-build: check: the tiktok playable a tap called');
    },
    120_000,
  );

  it('over --max-bytes: exit 1 with the size report, in flag words, and --out left as it was', async () => {
    const cwd = await tempDir('cli-');
    await mkdir(join(cwd, 'ad'));
    await writeFile(join(cwd, 'ad', 'previous.html'), 'the last good ad\n');
    const run = await build(['--playable', 'meta', '--max-bytes', '100000', '--json'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /playcanvas-build: error: The Meta \([\w ,]+\) playable is \d+ bytes, over the 100000 allowed \(--max-bytes\)/,
    );
    expect(run.stderr).toMatch(/\n {2}engine +1 file +[\d.]+ KB → +[\d.]+ KB\n/);
    expect(run.stderr).not.toMatch(/\bmaxBytes\b/);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, exitCode: 1, error: { code: 'PostprocessError' } });
    expect(await readdir(cwd)).toEqual(['ad']);
    expect(await readdir(join(cwd, 'ad'))).toEqual(['previous.html']);
  });

  it('2: a network misspelt (suggested), a flag without --playable, what does not go with a playable', async () => {
    server.reset();
    const refusals = [];
    for (const args of [
      ['--playable', 'tiktock'],
      ['--store-url', STORE],
      ['--playable', 'unity'],
      ['--playable', 'meta', '--single-file'],
      ['--playable', 'meta', '--asset-prefix', 'https://cdn.example.com/game/'],
      ['--playable', 'meta', '--zip'],
    ])
      refusals.push(await build(args));
    expect(refusals.map((r) => [r.code, r.stderr.replace(/^playcanvas-build: error: /, '')])).toEqual([
      [2, expect.stringMatching(/^--playable must be one of meta, google, .*; got tiktock: did you mean tiktok\?\n$/)],
      [2, '--store-url needs --playable\n'],
      [2, "--store-url is needed for unity: its call-to-action is mraid.open(<the store's URL>)\n"],
      [2, expect.stringMatching(/^--playable and --single-file do not go together: a playable is a single file/)],
      [2, expect.stringMatching(/^--playable and --asset-prefix do not go together: a playable loads nothing/)],
      [
        2,
        expect.stringMatching(
          /^--playable works on the static build written as files, .* --zip .*: leave out --playable/,
        ),
      ],
    ]);
    expect(server.journal()).toEqual([]);
  }, 120_000);
});
