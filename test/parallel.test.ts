import { pipeline } from 'node:stream/promises';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import { FREE_LIMITS, type MockServer, startMockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import gulp from 'gulp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAST, fixtures, gulpLog, TOKEN, tempDir } from './helpers.js';

const PROJECTS = 8;
const WINDOW_MS = 3000;
let server: MockServer;

beforeAll(async () => {
  const f = fixtures();
  const base = f.projects[0]!;
  f.projects = Array.from({ length: PROJECTS }, (_, i) => ({ ...base, id: 1000 + i, name: `Game ${i + 1}` }));
  f.tokens[0]!.projects = f.projects.map((p) => p.id);
  // The free account's documented limits (strict: 5 a window), with a window shortened from a minute to 3 s.
  server = await startMockServer({
    fixtures: f,
    pollsToComplete: 2,
    clock: { mode: 'realtime' },
    rateLimits: FREE_LIMITS,
    rateWindowMs: WINDOW_MS,
  });
});
afterAll(() => server.close());

it('eight builds in a gulp parallel share one rate budget: no 429, and the builds that wait say so', async () => {
  const lines: string[] = [];
  const capture = (line: string) => lines.push(line);
  gulpLog.on('info', capture);
  try {
    const tasks = Array.from({ length: PROJECTS }, (_, i) => {
      const task = async () => {
        const out = await tempDir();
        await pipeline(
          playcanvas({
            token: TOKEN,
            baseUrl: server.url,
            ...FAST,
            projectId: 1000 + i,
            name: `Game ${i + 1}`,
            scenes: [2000],
          }),
          gulp.dest(out),
        );
      };
      Object.defineProperty(task, 'name', { value: `build-${i + 1}` });
      return task;
    });
    await new Promise<void>((resolve, reject) =>
      gulp.parallel(...tasks)((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  } finally {
    gulpLog.off('info', capture);
  }
  const journal = server.journal();
  expect(journal.filter((e) => e.status === 429)).toEqual([]);
  const posts = journal.filter((e) => e.route === 'apps.download');
  expect(posts).toHaveLength(PROJECTS);
  // never more than 5 strict requests in one window of the mock's clock
  const perWindow = new Map<number, number>();
  for (const p of posts) {
    const window = Math.floor(Date.parse(p.at) / WINDOW_MS);
    perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
  }
  expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(FREE_LIMITS.strict);
  const waits = lines.filter((l) => /waiting [\d.]+ s for the API's strict rate-limit window/.test(l));
  expect(waits.length).toBeGreaterThanOrEqual(PROJECTS - FREE_LIMITS.strict);
  expect(lines.filter((l) => /emitted \d+ files/.test(l))).toHaveLength(PROJECTS);
});
