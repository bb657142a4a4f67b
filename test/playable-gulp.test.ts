import { join } from 'node:path';
import playcanvas, { playable } from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import gulp from 'gulp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAST, filesUnder, startMock, TOKEN, tempDir } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1, rateLimits: { strict: 1000 } });
});
afterAll(() => server.close());

/** docs/playables.md's recipe: one download, then every network's variant from it, in parallel, in one task. */
it('builds each network its playable from one download, in one gulp task', async () => {
  const root = await tempDir();
  const build = join(root, 'build');
  const download = () =>
    playcanvas({
      token: TOKEN,
      baseUrl: server.url,
      ...FAST,
      projectId: 1000,
      name: 'Space Race',
      scenes: [2000, 2001],
    }).pipe(gulp.dest(build));
  const variant = (network: 'meta' | 'google' | 'tiktok' | 'vungle') =>
    Object.assign(
      () =>
        gulp
          .src(`${build}/**`, { encoding: false })
          .pipe(playable({ network }))
          .pipe(gulp.dest(join(root, 'playables', network))),
      { displayName: `playable:${network}` },
    );
  const task = gulp.series(
    download,
    gulp.parallel(variant('meta'), variant('google'), variant('tiktok'), variant('vungle')),
  );
  await new Promise<void>((resolve, reject) => task((error?: unknown) => (error ? reject(error) : resolve())));
  const written = async (network: string) => [...(await filesUnder(join(root, 'playables', network))).keys()];
  expect(await written('meta')).toEqual(['index.html']);
  expect(await written('google')).toEqual(['google.zip']);
  expect(await written('tiktok')).toEqual(['tiktok.zip']);
  expect(await written('vungle')).toEqual(['ad.html']);
});
