import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const versionOf = (file: string): string =>
  JSON.parse(readFileSync(join(dirname(dirname(file)), 'package.json'), 'utf8')).version;

/** The real engine the mock's static builds ship: the `playcanvas` npm package's minified build. */
export const ENGINE_FILE = require.resolve('playcanvas/build/playcanvas.min.js');

/** Its version (2.23.3 here): the engine of every build that asks for no other. */
export const ENGINE_VERSION: string = versionOf(ENGINE_FILE);

/**
 * The engine 1.x the mock also ships (`playcanvas-legacy`, an npm alias of playcanvas@1.58.2, the engine of real
 * exports from late 2022): a classic project built with this `engine_version` gets the old "Application" bootstrap.
 */
export const LEGACY_ENGINE_FILE = require.resolve('playcanvas-legacy/build/playcanvas.min.js');
export const LEGACY_ENGINE_VERSION: string = versionOf(LEGACY_ENGINE_FILE);

let bytes: Buffer | undefined;
export function engineBytes(): Buffer {
  bytes ??= readFileSync(ENGINE_FILE);
  return bytes;
}

let legacyBytes: Buffer | undefined;
export function legacyEngineBytes(): Buffer {
  legacyBytes ??= readFileSync(LEGACY_ENGINE_FILE);
  return legacyBytes;
}

/**
 * The engine a request gets: the version asked for when the mock has it (its own or the legacy one), else its own,
 * with a word saying so in the job's `messages` (kept once the job completes). The wording is the mock's own, not
 * the real API's: no public source shows what the service says then. Looked for (2026): the download docs
 * (app-download.md, job-get.md), playcanvas-rest-api-tools (shared.js reads `messages` only for a failed job), the
 * Editor's messenger/jobs.ts (`messages[0]` of a failed job), the developer-site PRs on engine_version (#311, #741,
 * #889) and the rest-api-tools issue #30. Clients must treat a completed job's messages as free text.
 */
export function engineFor(requested: string | undefined): { version: string; note?: string } {
  if (requested === undefined || requested === ENGINE_VERSION || requested === LEGACY_ENGINE_VERSION)
    return { version: requested ?? ENGINE_VERSION };
  return {
    version: ENGINE_VERSION,
    note:
      `Engine ${requested} is not available in playcanvas-mock-server: ` +
      `the build uses engine ${ENGINE_VERSION} (the playcanvas package it ships)`,
  };
}

/**
 * The engine an ES module build ships as `js/playcanvas-stable.min.mjs`: the package's `playcanvas.mjs`, not
 * minified, as real exports ship it despite its name (editor-builds.md §3.4: 3.7–4.1 MB, the license banner first).
 */
export const ENGINE_MODULE_FILE = createRequire(import.meta.url).resolve('playcanvas/build/playcanvas.mjs');

let moduleBytes: Buffer | undefined;
export function engineModuleBytes(): Buffer {
  moduleBytes ??= readFileSync(ENGINE_MODULE_FILE);
  return moduleBytes;
}
