import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The real engine the mock's static builds ship: the `playcanvas` npm package's minified build. */
export const ENGINE_FILE = createRequire(import.meta.url).resolve('playcanvas/build/playcanvas.min.js');

/** Its version (2.23.3 here): the one version the mock can build with. */
export const ENGINE_VERSION: string = JSON.parse(readFileSync(join(dirname(dirname(ENGINE_FILE)), 'package.json'), 'utf8')).version;

let bytes: Buffer | undefined;
export function engineBytes(): Buffer {
  bytes ??= readFileSync(ENGINE_FILE);
  return bytes;
}

/** The engine a request gets: the version asked for when the mock has it, else its own, with a word saying so. */
export function engineFor(requested: string | undefined): { version: string; note?: string } {
  if (requested === undefined || requested === ENGINE_VERSION) return { version: ENGINE_VERSION };
  return {
    version: ENGINE_VERSION,
    note: `Engine ${requested} is not available in playcanvas-mock-server: the build uses engine ${ENGINE_VERSION} (the playcanvas package it ships)`,
  };
}
