import { BuildCheckError, type Checker, serveBuild } from '@gulp-playcanvas/playcanvas-build-check';
import { browserTest, buildFiles, SCRIPTS_RAN } from 'test-support';
import { describe, expect, it } from 'vitest';
import { assetPrefixStep, cspStep, processFiles } from '../src/index.js';
import { refusal, useLab } from './helpers.js';

const lab = useLab();

const settingsOf = (files: ReadonlyMap<string, Buffer>) => files.get('__settings__.js')?.toString() ?? '';

describe('assetPrefix(): assets from a CDN', () => {
  it('sets ASSET_PREFIX and SCRIPT_PREFIX with exactly one trailing slash, and changes nothing else', async () => {
    const build = await buildFiles(lab.server);
    const { files, changes, notes } = await processFiles(
      assetPrefixStep('https://cdn.example.com/game/1.4.2//'),
      build,
    );
    expect([...changes.keys()]).toEqual(['__settings__.js']);
    expect(settingsOf(files)).toContain('window.ASSET_PREFIX = "https://cdn.example.com/game/1.4.2/";');
    expect(settingsOf(files)).toContain('window.SCRIPT_PREFIX = "https://cdn.example.com/game/1.4.2/";');
    // the engine fetches CONFIG_FILENAME as written: it gets the prefix too
    expect(settingsOf(files)).toContain('window.CONFIG_FILENAME = "https://cdn.example.com/game/1.4.2/config.json";');
    expect(settingsOf(files).replace(/"https:\/\/cdn\.example\.com\/game\/1\.4\.2\/(config\.json)?"/g, '"$1"')).toBe(
      settingsOf(build),
    );
    expect(notes).toEqual([
      'the engine fetches assets from https://cdn.example.com with CORS: ' +
        'that host must answer with Access-Control-Allow-Origin',
    ]);
  });

  it('takes its own script prefix, and a path on the same host', async () => {
    const { files } = await processFiles(
      assetPrefixStep('/static/game', { scriptPrefix: 'https://libs.example.com/v2' }),
      await buildFiles(lab.server),
    );
    expect(settingsOf(files)).toContain('window.ASSET_PREFIX = "/static/game/";');
    expect(settingsOf(files)).toContain('window.SCRIPT_PREFIX = "https://libs.example.com/v2/";');
  });

  it('refuses what is not a prefix, saying why', async () => {
    expect(await refusal(() => assetPrefixStep(''))).toBe(
      "assetPrefix() must be a URL or a path, e.g. 'https://cdn.example.com/game/1.4.2/'; got ",
    );
    expect(await refusal(() => assetPrefixStep('https://cdn.example.com/?v=2'))).toBe(
      'assetPrefix() "https://cdn.example.com/?v=2" has a query or fragment: the engine appends file paths to it',
    );
    expect(await refusal(() => assetPrefixStep('ftp://cdn.example.com/'))).toBe(
      'assetPrefix() must be an http(s) URL; got ftp:',
    );
    expect(await refusal(() => assetPrefixStep('https://user:secret@cdn.example.com/'))).toBe(
      'assetPrefix() must not carry credentials: every player would see them',
    );
    expect(await refusal(() => assetPrefixStep('https://cdn.example.com/a"b'))).toBe(
      'assetPrefix() "https://cdn.example.com/a\\"b" has spaces, quotes or backslashes: give a URL',
    );
  });
});

describe('assetPrefix(): proven in Chromium', () => {
  browserTest(
    'the page on one origin, every asset from a second (CORS on): it boots, under a policy that names the CDN',
    async () => {
      const build = await buildFiles(lab.server);
      const cdn = await serveBuild(build, { 'Access-Control-Allow-Origin': '*' });
      try {
        const prefixed = await processFiles(assetPrefixStep(cdn.url), build);
        const { files, report } = await processFiles(cspStep(), prefixed.files);
        const cdnOrigin = new URL(cdn.url).origin;
        expect(report.policy).toMatch(new RegExp(`connect-src [^;]*${cdnOrigin}`));
        expect(report.policy).toContain(`img-src ${cdnOrigin}`);
        let result: Awaited<ReturnType<Checker['check']>>;
        try {
          result = await lab.checker.check(files, {
            viewport: { width: 320, height: 180 },
            frames: 5,
            until: SCRIPTS_RAN,
          });
        } catch (error) {
          throw error instanceof BuildCheckError ? new Error(error.message) : error;
        }
        const assetRequests = result.requests.filter((r) => new URL(r.url).pathname.startsWith('/files/assets/'));
        expect(assetRequests.length).toBeGreaterThanOrEqual(3);
        expect(assetRequests.filter((r) => new URL(r.url).origin !== cdnOrigin)).toEqual([]);
        expect(result.requests.some((r) => r.url === `${cdn.url}logo.png`)).toBe(true);
        expect(result.requests.some((r) => r.url === `${cdn.url}2000.json`)).toBe(true);
        expect(result.requests.some((r) => r.url === `${cdn.url}config.json`)).toBe(true);
      } finally {
        await cdn.close();
      }
    },
  );

  browserTest('without CORS on the CDN, the check names the refused requests', async () => {
    const build = await buildFiles(lab.server);
    const cdn = await serveBuild(build);
    try {
      const { files } = await processFiles(assetPrefixStep(cdn.url), build);
      const error = await lab.checker
        .check(files, { viewport: { width: 320, height: 180 }, frames: 5, timeout: 4000 })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(BuildCheckError);
      expect(
        (error as BuildCheckError).problems.some((p) => p.kind === 'failed-request' && p.url.startsWith(cdn.url)),
      ).toBe(true);
    } finally {
      await cdn.close();
    }
  });
});
