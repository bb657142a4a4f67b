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

/**
 * The engine a request gets: the version asked for when the mock has it, else its own, with a word saying so in
 * the job's `messages` (kept once the job completes). The wording is the mock's own, not the real API's: no
 * public source shows what the service says then. Looked for (2026): the download docs (app-download.md,
 * job-get.md), playcanvas-rest-api-tools (shared.js reads `messages` only for a failed job), the Editor's
 * messenger/jobs.ts (`messages[0]` of a failed job), the developer-site PRs on engine_version (#311, #741,
 * #889) and the rest-api-tools issue #30. Clients must treat a completed job's messages as free text.
 */
export function engineFor(requested: string | undefined): { version: string; note?: string } {
  if (requested === undefined || requested === ENGINE_VERSION) return { version: ENGINE_VERSION };
  return {
    version: ENGINE_VERSION,
    note: `Engine ${requested} is not available in playcanvas-mock-server: the build uses engine ${ENGINE_VERSION} (the playcanvas package it ships)`,
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
