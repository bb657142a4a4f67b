import { CheckSetupError, launchArgs, openChecker } from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { chromium } from 'playwright-core';
import { BROWSER, browserTest, buildFiles, startMock } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
});
afterAll(() => server.close());

const QUICK = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 20_000 };

describe('openChecker({ connect }): checks in a browser server someone else started', () => {
  browserTest(
    'boots the build in that browser, and leaves it running when closed; without it, cannot check',
    async () => {
      const browserServer = await chromium.launchServer({
        executablePath: BROWSER as string,
        headless: true,
        args: launchArgs(),
      });
      const watcher = await chromium.connect(browserServer.wsEndpoint());
      const files = await buildFiles(server);
      try {
        const checker = await openChecker({ connect: browserServer.wsEndpoint() });
        expect((await checker.check(files, QUICK)).ok).toBe(true);
        await checker.close();
        // still running: another connection opens a page in it
        const page = await watcher.newPage();
        expect(await page.evaluate(() => 1 + 1)).toBe(2);
        // the check runs in that browser and no other: with it gone, there is nothing to check in
        const orphan = await openChecker({ connect: browserServer.wsEndpoint() });
        await browserServer.close();
        await expect(orphan.check(files, QUICK)).rejects.toThrow();
        await orphan.close();
      } finally {
        await watcher.close().catch(() => undefined);
        await browserServer.close().catch(() => undefined);
      }
    },
  );

  it('refuses what is not a ws:// endpoint, and says when nothing answers there', async () => {
    await expect(openChecker({ connect: 'localhost:9222' })).rejects.toThrow(
      /^Checker option connect must be a browser server's ws:\/\/ endpoint; got localhost:9222$/,
    );
    const error = await openChecker({ connect: 'ws://127.0.0.1:9/nothing' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckSetupError);
    expect((error as Error).message).toMatch(
      /^No browser answered at ws:\/\/127\.0\.0\.1:9\/nothing \(the connect option\): /,
    );
  });
});
