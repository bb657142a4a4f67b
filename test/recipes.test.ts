import { cp, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import S3rver from 's3rver';
import { buildFolder, runProcess, startMock, TOKEN, tempDir } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const gulpfile = join(here, 'fixtures', 'recipes', 'gulpfile.mjs');
const gulpBin = join(dirname(createRequire(import.meta.url).resolve('gulp')), 'bin', 'gulp.js');
const BUCKET = 'playcanvas-build';
// s3rver accepts its own key id only; it checks no signature
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

let server: MockServer;
let s3: S3rver;
let endpoint: string;
let cwd: string;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
  s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: await tempDir('s3rver-'),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
  cwd = await tempDir('recipes-');
  await cp(await buildFolder(server), join(cwd, 'build'), { recursive: true });
});
afterAll(async () => {
  await server.close();
  await s3.close();
});

function gulp(task: string, env: Record<string, string> = {}) {
  return runProcess(process.execPath, [gulpBin, '--gulpfile', gulpfile, '--cwd', cwd, task, '--no-color'], { env });
}

const TEXT = /\.(html|js|json|css|wasm)$/;

describe('the README recipes, run by the real gulp CLI over a build we wrote', () => {
  it('compress: a .br and a .gz beside every text file, each the same bytes unpacked; images left alone', async () => {
    const before = ((await readdir(join(cwd, 'build'), { recursive: true })) as string[]).filter((n) =>
      /\.\w+$/.test(n),
    );
    const run = await gulp('compress', { BROTLI_QUALITY: '5' });
    expect(run.code, run.output).toBe(0);
    const after = new Set((await readdir(join(cwd, 'build'), { recursive: true })) as string[]);
    const text = before.filter((n) => TEXT.test(n));
    expect(text.length).toBeGreaterThan(8);
    for (const name of text) {
      const original = await readFile(join(cwd, 'build', name));
      expect(
        brotliDecompressSync(await readFile(join(cwd, 'build', `${name}.br`))).equals(original),
        `${name}.br`,
      ).toBe(true);
      expect(gunzipSync(await readFile(join(cwd, 'build', `${name}.gz`))).equals(original), `${name}.gz`).toBe(true);
    }
    expect(after.has('logo.png.br') || after.has('logo.png.gz')).toBe(false);
  });

  it(
    'upload: every file in the bucket, text with Content-Encoding: ' +
      'gzip and its own Content-Type, the bytes as written',
    async () => {
      const run = await gulp('upload', { ...CREDENTIALS, S3_ENDPOINT: endpoint, S3_BUCKET: BUCKET });
      expect(run.code, run.output).toBe(0);
      const client = new S3Client({
        endpoint,
        forcePathStyle: true,
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
      const files = (
        (await readdir(join(cwd, 'build'), { recursive: true, withFileTypes: true })) as Array<{
          isFile(): boolean;
          parentPath: string;
          name: string;
        }>
      )
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(join(cwd, 'build').length + 1))
        .sort();
      expect(keys).toEqual(files);
      const index = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'index.html' }));
      expect(index.ContentEncoding).toBe('gzip');
      expect(index.ContentType).toMatch(/^text\/html/);
      expect(index.CacheControl).toBe('max-age=300, public');
      const body = Buffer.from(
        await (index.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
      expect(gunzipSync(body).equals(await readFile(join(cwd, 'build', 'index.html')))).toBe(true);
      client.destroy();
    },
  );
});

describe('the README release recipe, run by the real gulp CLI against the mock', () => {
  it('makes a checkpoint of main first, builds, and records the checkpoint beside the build', async () => {
    const project = await tempDir('release-');
    const run = await runProcess(
      process.execPath,
      [
        gulpBin,
        '--gulpfile',
        join(here, 'fixtures', 'recipes', 'release.mjs'),
        '--cwd',
        project,
        'release',
        '--no-color',
      ],
      { env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url, BUILD_VERSION: '1.4.2' } },
    );
    expect(run.code, run.output).toBe(0);
    const journal = server.journal();
    const made = journal.findIndex((e) => e.route === 'checkpoints.create');
    const built = journal.map((e) => e.route).lastIndexOf('apps.download');
    expect(made, 'a checkpoint was made').toBeGreaterThanOrEqual(0);
    expect(made, 'before the build started').toBeLessThan(built);
    expect(journal[made]?.body).toEqual({ projectId: 1000, branchId: 'b-main', description: 'Release 1.4.2' });
    const listed = (await (
      await fetch(`${server.url}/api/branches/b-main/checkpoints`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { result: Array<{ id: string; description: string }> };
    const checkpoint = listed.result.find((c) => c.description === 'Release 1.4.2');
    const record = JSON.parse(await readFile(join(project, 'release', 'release.json'), 'utf8'));
    expect(record).toEqual({
      version: '1.4.2',
      jobId: expect.any(Number),
      projectId: 1000,
      branchId: 'b-main',
      checkpointId: checkpoint?.id,
      engineVersion: '2.23.3',
      format: 'static',
    });
    expect(checkpoint?.id).toEqual(expect.any(String));
    expect(await readFile(join(project, 'release', 'index.html'), 'utf8')).toMatch(/<html/);
  });
});
