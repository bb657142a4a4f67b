import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { liveTempDirs } from '@gulp-playcanvas/playcanvas-rest-client/testing';
import gulp from 'gulp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILD, eventually, FAST, settled, startMock, TOKEN, tempDir } from './helpers.js';

// gulp.dest fails (its folder is a file) with streamed contents: the plugin must let go of the build, its
// download and its temp file, whether the build was still running or had handed out every file.

// Files dropped unread are let go when they are collected: the test collects them on purpose.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ rateLimits: { normal: 100_000, strict: 100_000, post: 100_000 } });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** The build streamed into a folder that is a file: gulp.dest fails on the first file it writes. */
async function intoAFile(): Promise<{ error: unknown; spool: string }> {
  const out = join(await tempDir('failed-consumer-'), 'site');
  await writeFile(out, 'a file where the output folder should be');
  const spool = await tempDir('failed-consumer-spool-');
  const plugin = playcanvas({
    token: TOKEN,
    baseUrl: server.url,
    ...FAST,
    ...BUILD,
    buffer: false,
    tempDir: spool,
  } as never);
  const { error } = await settled(pipeline(plugin, gulp.dest(out)), 10_000);
  return { error, spool };
}

const spoolGone = (spool: string) => async () =>
  (await readdir(spool)).length === 0 && liveTempDirs().every((dir) => !dir.startsWith(spool));

describe('a consumer that fails lets go of the build', () => {
  it('while the archive still arrives: the build stops at once, not when the download ends', async () => {
    // 655 KB at 256 KB/s: the body would take 1.5 s more once the end (256 KB) is in
    server.addFault({ route: 'download', fault: { type: 'bandwidth', bytesPerSecond: 256 * 1024 } });
    const { error, spool } = await intoAFile();
    expect((error as NodeJS.ErrnoException)?.code).toMatch(/^(ENOTDIR|EEXIST)$/);
    // before: the build went on until the download ended, then kept the files opened ahead, and their temp file
    expect(await eventually(spoolGone(spool), 1500)).toBe(true);
  });

  it('once every file is handed out (whole file, read at once): files dropped unread free the temp file', async () => {
    server.addFault({ route: 'download', fault: { type: 'no-ranges' } });
    const { error, spool } = await intoAFile();
    expect((error as NodeJS.ErrnoException)?.code).toMatch(/^(ENOTDIR|EEXIST)$/);
    // before: an entry stream opened ahead for a file gulp.dest dropped held the archive until the process ended
    const check = spoolGone(spool);
    expect(
      await eventually(async () => {
        collectGarbage();
        return check();
      }, 3000),
    ).toBe(true);
  });
});
