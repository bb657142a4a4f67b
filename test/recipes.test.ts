import { cp, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { MockServer } from 'playcanvas-mock-server';
import S3rver from 's3rver';
import { buildFolder, runProcess, startMock, tempDir } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const gulpfile = join(here, 'fixtures', 'recipes', 'gulpfile.mjs');
const gulpBin = join(dirname(createRequire(import.meta.url).resolve('gulp')), 'bin', 'gulp.js');
const BUCKET = 'playcanvas-build';
// s3rver accepts its own key id only; it checks no signature
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

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
    const before = ((await readdir(join(cwd, 'build'), { recursive: true })) as string[]).filter((n) => /\.\w+$/.test(n));
    const run = await gulp('compress', { BROTLI_QUALITY: '5' });
    expect(run.code, run.output).toBe(0);
    const after = new Set((await readdir(join(cwd, 'build'), { recursive: true })) as string[]);
    const text = before.filter((n) => TEXT.test(n));
    expect(text.length).toBeGreaterThan(8);
    for (const name of text) {
      const original = await readFile(join(cwd, 'build', name));
      expect(brotliDecompressSync(await readFile(join(cwd, 'build', `${name}.br`))).equals(original), `${name}.br`).toBe(true);
      expect(gunzipSync(await readFile(join(cwd, 'build', `${name}.gz`))).equals(original), `${name}.gz`).toBe(true);
    }
    expect(after.has('logo.png.br') || after.has('logo.png.gz')).toBe(false);
  });

  it('upload: every file in the bucket, text with Content-Encoding: gzip and its own Content-Type, the bytes as written', async () => {
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
      (await readdir(join(cwd, 'build'), { recursive: true, withFileTypes: true })) as Array<{ isFile(): boolean; parentPath: string; name: string }>
    )
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(join(cwd, 'build').length + 1))
      .sort();
    expect(keys).toEqual(files);
    const index = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'index.html' }));
    expect(index.ContentEncoding).toBe('gzip');
    expect(index.ContentType).toMatch(/^text\/html/);
    expect(index.CacheControl).toBe('max-age=300, public');
    const body = Buffer.from(await (index.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    expect(gunzipSync(body).equals(await readFile(join(cwd, 'build', 'index.html')))).toBe(true);
    client.destroy();
  });
});
