// Soak: consecutive builds in one process through the plugin into gulp.dest, against the mock in another
// process. Reports memory (after GC), live handles and temp folders every 20 builds. Run: pnpm soak
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import { liveTempDirs } from '@gulp-playcanvas/playcanvas-rest-client/testing';
import gulp from 'gulp';
import { startMockProcess } from './mock-process.js';

const BUILDS = Number(process.env.SOAK_BUILDS ?? 200);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (pnpm soak does)');

const mock = await startMockProcess(['--polls', '1']);
await mock.admin('PUT', '/rate-limits', { limits: { strict: 100_000, normal: 100_000 } });
const spool = await mkdtemp(join(tmpdir(), 'soak-spool-'));

async function sample(n: number) {
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  gc?.();
  const m = process.memoryUsage();
  return {
    builds: n,
    rssMiB: m.rss / 2 ** 20,
    heapMiB: m.heapUsed / 2 ** 20,
    externalMiB: (m.external + m.arrayBuffers) / 2 ** 20,
    resources: process.getActiveResourcesInfo().length,
    tempDirs: (await readdir(spool)).length + liveTempDirs().length,
  };
}

const rows = [await sample(0)];
const started = performance.now();
for (let i = 1; i <= BUILDS; i++) {
  const out = await mkdtemp(join(tmpdir(), 'soak-out-'));
  await pipeline(
    playcanvas({
      token: 'mock-dev-token',
      baseUrl: mock.url,
      projectId: 1000,
      name: 'Soak',
      scenes: ['Main', 'Level 2'],
      tempDir: spool,
      poll: { initialDelayMs: 10, maxDelayMs: 50 },
    }),
    gulp.dest(out),
  );
  await rm(out, { recursive: true, force: true });
  if (i % 20 === 0) rows.push(await sample(i));
}
const seconds = (performance.now() - started) / 1000;
await mock.stop();
await rm(spool, { recursive: true, force: true });

const f = (x: number) => x.toFixed(1);
console.log(
  `Soak: ${BUILDS} builds in ${f(seconds)} s (${f((seconds / BUILDS) * 1000)} ms a build), Node ${process.version}\n`,
);
console.log('| builds | RSS MiB | heap MiB | external MiB | live resources | temp folders |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.builds} | ${f(r.rssMiB)} | ${f(r.heapMiB)} | ${f(r.externalMiB)} | ${r.resources} | ${r.tempDirs} |`,
  );
const first = rows[1] ?? rows[0];
const last = rows[rows.length - 1];
if (first && last) {
  console.log(
    `\nFrom build ${first.builds} to ${last.builds}: heap ${f(last.heapMiB - first.heapMiB)} MiB, ` +
      `RSS ${f(last.rssMiB - first.rssMiB)} MiB, resources ${last.resources - first.resources}, ` +
      `temp folders ${last.tempDirs}`,
  );
}
