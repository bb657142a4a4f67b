import type { Checker } from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import {
  BROWSER,
  browserTest,
  buildFolder,
  EDITOR_LAYOUTS,
  LAYOUT_ENGINE,
  layoutFixtures,
  openSharedChecker,
  startMock,
} from 'test-support';
import { afterAll, beforeAll, describe, expect } from 'vitest';

let server: MockServer;
let checker: Checker;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1, rateLimits: { strict: 1000 }, fixtures: layoutFixtures() });
  if (BROWSER) checker = await openSharedChecker();
});
afterAll(async () => {
  await checker?.close();
  await server.close();
});

const FAST = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 30_000 };

describe('check() tells the truth about every layout the mock exports', () => {
  for (const { name, body } of EDITOR_LAYOUTS) {
    browserTest(
      `${name}: boots, draws, every request answered`,
      async () => {
        const dir = await buildFolder(server, body);
        const result = await checker.check(dir, FAST);
        expect(result.problems).toEqual([]);
        expect(result.ok).toBe(true);
        expect(result.frames).toBeGreaterThanOrEqual(5);
        expect(result.engineVersion).toBe(LAYOUT_ENGINE[name]);
        expect(result.requests.filter((r) => r.status >= 400 && !r.url.endsWith('/favicon.ico'))).toEqual([]);
      },
      120_000,
    );
  }
});
