import type { Checker } from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { BROWSER, fixtures, openSharedChecker, startMock } from 'test-support';
import { afterAll, beforeAll, expect } from 'vitest';
import { PostprocessError } from '../src/index.js';

/** Small and quick: SwiftShader renders a 320×180 frame in a few milliseconds. */
export const QUICK = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 20_000 };
/** The glue script of the mock's WebAssembly module sets this once the module ran. */
export const WASM_RAN = "window.__wasmLoaded === 'wasm:5'";

export interface Lab {
  /** The mock with the test project. */
  server: MockServer;
  /** The same project with a WebAssembly module (`wasm` asset "adder.wasm", module Adder). */
  wasmServer: MockServer;
  /** One browser for the file's checks (undefined without Chromium: the browser tests then fail with the hint). */
  checker: Checker;
}

/** The mocks and the browser a post-processing test file works with, started before its tests and stopped after. */
export function useLab(): Lab {
  const lab = {} as Lab;
  beforeAll(async () => {
    lab.server = await startMock({ pollsToComplete: 1, rateLimits: { strict: 1000 } });
    const withModule = fixtures();
    withModule.projects[0]?.assets?.push({
      id: 3003,
      name: 'adder.wasm',
      type: 'wasm',
      filename: 'adder.wasm',
      moduleName: 'Adder',
    });
    lab.wasmServer = await startMock({ fixtures: withModule, pollsToComplete: 1, rateLimits: { strict: 1000 } });
    if (BROWSER) lab.checker = await openSharedChecker();
  });
  afterAll(async () => {
    await lab.checker?.close();
    await lab.server?.close();
    await lab.wasmServer?.close();
  });
  return lab;
}

/** The message a step refuses with (a PostprocessError, thrown at once or by its promise); fails when it accepts. */
export async function refusal(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(PostprocessError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}
