import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultFixtures, type MockServer, startMockServer } from '../src/index.js';
import { BUILD, call, completeBuild, fetchBytes } from './helpers.js';

let servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function start(options = {}): Promise<MockServer> {
  const server = await startMockServer(options);
  servers.push(server);
  return server;
}

async function buildZip(
  server: MockServer,
  body: Record<string, unknown> = BUILD,
): Promise<{ zip: JSZip; bytes: Buffer }> {
  const job = await completeBuild(server, body);
  const bytes = await fetchBytes(job.data.download_url);
  return { zip: await JSZip.loadAsync(bytes), bytes };
}

const names = (zip: JSZip) => Object.keys(zip.files).sort();
const text = (zip: JSZip, name: string) => zip.file(name)!.async('string');

describe('static builds', () => {
  it('have the layout the Editor exports and the official post-processing scripts patch by regex', async () => {
    const { zip } = await buildZip(await start());
    expect(names(zip)).toEqual([
      '2000.json',
      '2001.json',
      '__loading__.js',
      '__modules__.js',
      '__settings__.js',
      '__start__.js',
      'config.json',
      'files/assets/3000/2/player.js',
      'files/assets/3001/1/camera-follow.js',
      'files/assets/3002/3/ship.png',
      'files/assets/3003/1/levels.json',
      'index.html',
      'logo.png',
      'manifest.json',
      'playcanvas-stable.min.js',
      'styles.css',
    ]);
    const html = await text(zip, 'index.html');
    // the hooks of playcanvas-rest-api-tools' csp-patch.js and one-page.js
    expect(html).toMatch(/<head>/);
    expect(html).toMatch(/<script src="playcanvas-stable\.min\.js"><\/script>/);
    expect(html).toMatch(/<script src="__settings__\.js"><\/script>/);
    expect(html).toMatch(/<link rel="manifest" href="manifest\.json">/);
    expect(html).toMatch(/<link rel="stylesheet" type="text\/css" href="styles\.css">/);
    expect(html).toMatch(/<script src="__start__\.js"><\/script>/);
    expect(html).toMatch(/<script src="__loading__\.js"><\/script>/);
    const settings = await text(zip, '__settings__.js');
    expect(settings).toMatch(/window\.ASSET_PREFIX = "";/);
    expect(settings).toMatch(/window\.SCRIPT_PREFIX = "";/);
    expect(settings).toMatch(/window\.SCENE_PATH = "2000\.json";/);
    expect(settings).toMatch(/window\.CONFIG_FILENAME = "config\.json";/);
    expect(settings).toMatch(/window\.SCRIPTS = \[ 3000, 3001 \];/);
    const startJs = await text(zip, '__start__.js');
    expect(startJs).toMatch(/new pc\.AppBase\(canvas\)/);
    expect(startJs).toMatch(/app\.configure\(window\.CONFIG_FILENAME/);
    expect(startJs).toMatch(/window\.PRELOAD_MODULES\.length/);
    expect(startJs).toMatch(/function initCSS\(\)/);
    const config = JSON.parse(await text(zip, 'config.json'));
    expect(config.scenes).toEqual([
      { name: 'Main', url: '2000.json' },
      { name: 'Level 2', url: '2001.json' },
    ]);
    expect(config.application_properties).toMatchObject({ libraries: [], scripts: [3000, 3001], engineV2: true });
    expect(config.assets['3002'].file).toMatchObject({ filename: 'ship.png', url: 'files/assets/3002/3/ship.png' });
    expect(config.assets['3000']).toMatchObject({ type: 'script', data: { scripts: { player: {} } } });
    for (const asset of Object.values<any>(config.assets))
      if (asset.file) expect(zip.file(asset.file.url), asset.file.url).not.toBeNull();
    const scene = JSON.parse(await text(zip, '2000.json'));
    const components = Object.values<any>(scene.entities).map((e) => Object.keys(e.components).join('+'));
    expect(components).toEqual(expect.arrayContaining(['camera', 'light', 'render', 'render+script']));
    expect((await zip.file('logo.png')!.async('nodebuffer')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('ship the real engine, from the playcanvas package, and say which when another version is asked for', async () => {
    const server = await start();
    const { zip } = await buildZip(server);
    expect(await text(zip, 'playcanvas-stable.min.js')).toMatch(
      /^\/\*\*\n \* @license\n \* PlayCanvas Engine v2\.23\.3 revision/,
    );
    const job = await completeBuild(server, { ...BUILD, engine_version: '1.75.0' });
    expect(job.data.engineVersion).toBe('2.23.3');
    expect(job.messages).toEqual([
      'Engine 1.75.0 is not available in playcanvas-mock-server: ' +
        'the build uses engine 2.23.3 (the playcanvas package it ships)',
    ]);
    expect((await completeBuild(server, { ...BUILD, engine_version: '2.23.3' })).messages).toEqual([]);
  });

  it('show the options: concatenation, minification, source maps, the compact scene format', async () => {
    const server = await start();
    const concatenated = (await buildZip(server, { ...BUILD, scripts_concatenate: true, scripts_sourcemaps: true }))
      .zip;
    expect(names(concatenated)).toContain('__game-scripts.js');
    expect(names(concatenated)).toContain('__game-scripts.js.map');
    expect(names(concatenated).some((n) => n.startsWith('files/assets/3000/'))).toBe(false);
    // every script asset stays in config.json, pointing at the concatenated file
    const config = JSON.parse(await text(concatenated, 'config.json'));
    expect(config.assets['3000'].file).toMatchObject({ filename: '__game-scripts.js', url: '__game-scripts.js' });
    expect(config.assets['3001'].file.url).toBe('__game-scripts.js');
    expect(await text(concatenated, '__game-scripts.js')).toMatch(/\/\/# sourceMappingURL=__game-scripts\.js\.map$/);
    expect(JSON.parse(await text(concatenated, '__game-scripts.js.map'))).toMatchObject({
      version: 3,
      sources: ['Scripts/player.js', 'Scripts/camera-follow.js'],
    });
    // separate scripts are the original source, as in real builds (208model/testviewar @0808520, engine 2.12.4:
    // its script starts with its own comment): the Editor minifies and maps only concatenated output
    for (const body of [{ scripts_sourcemaps: true, scripts_minify: false }, {}]) {
      const separate = (await buildZip(server, { ...BUILD, ...body })).zip;
      expect(names(separate).filter((n) => n.endsWith('.map'))).toEqual([]);
      expect(await text(separate, 'files/assets/3000/2/player.js')).toMatch(/^\/\/ player\.js: generated/);
    }
    expect(await text(concatenated, '__game-scripts.js')).toMatch(/^var Player=pc\.createScript\("player"\);/);
    const compact = JSON.parse(
      await text((await buildZip(server, { ...BUILD, optimize_scene_format: true })).zip, '2000.json'),
    );
    expect(compact.compressedFormat).toMatchObject({ fieldFirstCode: 35, fieldCodeBase: 57 });
    expect(Object.keys(compact.entities).every((id) => id.length === 3)).toBe(true);
  });

  it('write entries with fixed dates (the job creation on the mock clock) and Unix modes', async () => {
    const { zip } = await buildZip(await start());
    const entry = zip.file('index.html')!;
    expect(entry.date.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(entry.unixPermissions).toBe(0o100644);
  });
});

describe('npm builds', () => {
  it('follow the documented Vite layout with slugified scene names', async () => {
    const { zip } = await buildZip(await start(), { ...BUILD, format: 'npm' });
    const all = names(zip);
    for (const name of [
      'src/main.mjs',
      'src/bootstrap/settings.mjs',
      'src/bootstrap/modules.mjs',
      'src/bootstrap/start.mjs',
      'src/bootstrap/loading.mjs',
      'src/scripts/player.mjs',
      'src/data/config.json',
      'src/data/scenes/main.json',
      'src/data/scenes/level-2.json',
      'public/manifest.json',
      'public/styles.css',
      'public/assets/3002/3/ship.png',
    ]) {
      expect(all).toContain(name);
    }
    expect(all).not.toContain('__settings__.js');
  });
});

describe('determinism', () => {
  it('two fresh servers give the same job ids, timestamps and byte-identical zips', async () => {
    const run = async () => {
      const server = await start();
      const started = await call(server, 'POST', '/api/apps/download', {
        body: { ...BUILD, scripts_concatenate: true },
      });
      const job = await completeBuild(server);
      const exported = await call(server, 'POST', '/api/projects/1000/export');
      return {
        started: started.json,
        job: { ...job, data: { ...job.data, download_url: undefined } },
        bytes: await fetchBytes(job.data.download_url),
        exportId: exported.json.id,
      };
    };
    const [a, b] = [await run(), await run()];
    expect(a.started).toEqual(b.started);
    expect(a.job).toEqual(b.job);
    expect(a.exportId).toBe(b.exportId);
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });
});

describe('large synthetic builds', () => {
  it('generate the asked file count and size with incompressible content, served from disk', async () => {
    const fixtures = defaultFixtures();
    fixtures.projects[0]!.synthetic = { files: 40, totalBytes: 40 * 1024 * 1024, incompressibleRatio: 0.5 };
    const server = await start({ fixtures });
    const heapBefore = process.memoryUsage().heapUsed;
    const job = await completeBuild(server);
    const res = await fetch(job.data.download_url);
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) size += chunk.length;
    expect(size).toBe(Number(res.headers.get('content-length')));
    // half of 40 MiB is random: the archive cannot be much smaller than that
    expect(size).toBeGreaterThan(20 * 1024 * 1024);
    expect(size).toBeLessThan(24 * 1024 * 1024);
    // the archive was written to disk and streamed, not held in the heap
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(16 * 1024 * 1024);
  });

  it('are deterministic too', async () => {
    const fixtures = defaultFixtures();
    fixtures.projects[0]!.synthetic = { files: 5, totalBytes: 300_000, incompressibleRatio: 0.4 };
    const zipOf = async () => fetchBytes((await completeBuild(await start({ fixtures }))).data.download_url);
    const [a, b] = [await zipOf(), await zipOf()];
    expect(a.equals(b)).toBe(true);
    const zip = await JSZip.loadAsync(a);
    const synthetic = names(zip).filter((n) => n.startsWith('files/synthetic/'));
    expect(synthetic).toHaveLength(5);
    const sizes = await Promise.all(synthetic.map(async (n) => (await zip.file(n)!.async('nodebuffer')).length));
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(300_000);
  });
});

describe('the archive store', () => {
  it('keeps the 16 most recently used archives on disk and regenerates older ones identically', async () => {
    const server = await start({ rateLimits: { strict: 100 } });
    const { readdir } = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    let first: Buffer | undefined;
    let dir = '';
    for (let i = 0; i < 20; i++) {
      server.advanceClock(1000); // a new date: a new archive
      const job = await completeBuild(server);
      const bytes = await fetchBytes(job.data.download_url);
      first ??= bytes;
      dir = dirname(await server.archiveFile(job.id));
    }
    await new Promise((r) => setTimeout(r, 50));
    expect((await readdir(dir)).filter((n) => n.endsWith('.zip'))).toHaveLength(16);
    expect(
      (await fetchBytes((await call(server, 'GET', '/api/jobs/500001')).json.data.download_url)).equals(first!),
    ).toBe(true);
  });
});
