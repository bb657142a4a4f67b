import { readdir } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import playcanvas, {
  assetPrefix,
  check,
  csp,
  playable,
  singleFile,
  stampVersion,
} from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import gulp from 'gulp';
import PluginError from 'plugin-error';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST, startMock, TOKEN, tempDir } from './helpers.js';

// The rule the CLI and the Grunt task check before they build (pipeline's refuseWithoutFiles): post-processing and
// the check need a static build's files. In gulp the transforms meet what playcanvas() made, and say which of its
// options is in the way; before, they said "The build has no index.html" or "no PlayCanvas build layout", and
// csp() on an npm project went through.

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
});
afterAll(() => server.close());

const made = (extra: Record<string, unknown>) =>
  playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, projectId: 1000, ...extra } as never);
const BUILD = { name: 'Space Race', scenes: [2000], engineVersion: '2.23.3' };

async function refusal(source: NodeJS.ReadWriteStream, transform: NodeJS.ReadWriteStream) {
  const out = await tempDir('needs-files-');
  const error = await pipeline(source, transform, gulp.dest(out)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PluginError);
  expect(await readdir(out)).toEqual([]);
  return (error as PluginError).message;
}

const STATIC_ONLY = 'works on the static build written as files, so it cannot be used with';

describe('a transform given what playcanvas() made of no static build refuses it, naming the option', () => {
  it('the zip as it is (extract: false): csp(), check()', async () => {
    expect(await refusal(made({ ...BUILD, extract: false }), csp())).toBe(
      `csp() ${STATIC_ONLY} extract: false (the zip is written as it is): leave out csp(), or leave out extract: false`,
    );
    expect(await refusal(made({ ...BUILD, extract: false }), check())).toBe(
      `check() ${STATIC_ONLY} extract: false (the zip is written as it is): leave out check(), or leave out ` +
        'extract: false',
    );
  });

  it('an export (export: true): singleFile(), playable()', async () => {
    expect(await refusal(made({ export: true }), singleFile())).toBe(
      `singleFile() ${STATIC_ONLY} export: true (a project archive, not a build): leave out singleFile()`,
    );
    expect(await refusal(made({ export: true }), playable({ network: 'meta' }))).toBe(
      `playable() ${STATIC_ONLY} export: true (a project archive, not a build): leave out playable()`,
    );
  });

  it("an npm project (format: 'npm'): csp() (which went through before), stampVersion(), assetPrefix()", async () => {
    const npm = { ...BUILD, format: 'npm' };
    const why = "format: 'npm' (a project to build with Vite, not a site)";
    expect(await refusal(made(npm), csp())).toBe(
      `csp() ${STATIC_ONLY} ${why}: leave out csp(), or leave out format: 'npm'`,
    );
    expect(await refusal(made(npm), stampVersion('1.0.0'))).toMatch(/^stampVersion\(\) works on the static build/);
    expect(await refusal(made(npm), assetPrefix('https://cdn.example.com/game/'))).toMatch(
      /^assetPrefix\(\) works on the static build .* format: 'npm'/,
    );
  });
});
