import { findBrowser, launchArgs } from '@gulp-playcanvas/playcanvas-build-check';
import { chromium } from 'playwright-core';
import type {} from 'test-support';
import type { TestProject } from 'vitest/node';

/**
 * Vitest's global setup: one Chromium for the whole run, as a browser server every test file's checker connects
 * to (openSharedChecker), instead of one launch per file. None where there is no Chromium (the browser tests then
 * fail with the install hint, or are skipped with PLAYCANVAS_SKIP_BROWSER_TESTS=1).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const executable = findBrowser();
  if (executable === undefined || process.env.PLAYCANVAS_SKIP_BROWSER_TESTS === '1') {
    project.provide('browserServer', '');
    return async () => undefined;
  }
  const server = await chromium.launchServer({ executablePath: executable, headless: true, args: launchArgs() });
  project.provide('browserServer', server.wsEndpoint());
  return () => server.close();
}
