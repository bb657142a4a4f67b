import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import playcanvas, { assetPrefix, check, csp, singleFile, stampVersion } from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import gulp from 'gulp';
import PluginError from 'plugin-error';
import { browserTest, EDITOR_LAYOUTS, layoutFixtures, plantedCode } from 'test-support';
import type Vinyl from 'vinyl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST, filesUnder, startMock, TOKEN, tempDir } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1, rateLimits: { strict: 1000 } });
});
afterAll(() => server.close());

const build = (extra: Record<string, unknown> = {}) =>
  playcanvas({
    token: TOKEN,
    baseUrl: server.url,
    ...FAST,
    projectId: 1000,
    name: 'Space Race',
    scenes: [2000, 2001],
    ...extra,
  });

/** Records every file object that passes, in order. */
function spy(seen: Vinyl[]): Transform {
  return new Transform({
    objectMode: true,
    transform(file: Vinyl, _encoding, callback) {
      seen.push(file);
      callback(null, file);
    },
  });
}

async function caught(run: Promise<unknown>): Promise<PluginError> {
  try {
    await run;
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    return error as PluginError;
  }
  throw new Error('the pipeline succeeded');
}

describe.each([
  ['buffered', true],
  ['streamed', false],
])('the post-processing transforms, %s contents', (_mode, buffer) => {
  it('pass every file they do not change on as the same object with the same stat, changing only theirs', async () => {
    const before: Vinyl[] = [];
    const after: Vinyl[] = [];
    const stats = new Map<Vinyl, unknown>();
    const out = await tempDir();
    await pipeline(
      build({ buffer }),
      spy(before),
      new Transform({
        objectMode: true,
        transform(file: Vinyl, _e, callback) {
          stats.set(file, file.stat);
          callback(null, file);
        },
      }),
      stampVersion('3.1.4'),
      csp({ headersFile: true }),
      spy(after),
      gulp.dest(out),
    );
    expect(after.filter((f) => f.relative !== '_headers')).toHaveLength(before.length);
    for (const file of before) {
      expect(after.includes(file), file.relative).toBe(true);
      expect(file.stat, file.relative).toBe(stats.get(file));
      expect(file.isStream(), file.relative).toBe(!buffer);
    }
    const headers = after.find((f) => f.relative === '_headers');
    expect(headers?.isStream()).toBe(!buffer);
    const written = await filesUnder(out);
    const html = written.get('index.html')?.bytes.toString() ?? '';
    expect(html).toMatch(
      new RegExp(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; ` +
          "script-src 'self'; style-src 'self' 'sha256-",
      ),
    );
    expect(html).toContain('<meta name="version" content="3.1.4">');
    expect(html).toContain('src="__start__.js?v=3.1.4"');
    expect(written.get('_headers')?.bytes.toString()).toMatch(
      /^\/\*\n {2}Content-Security-Policy: default-src 'none';/,
    );
    expect(written.get('__settings__.js')?.bytes.toString()).toContain('window.BUILD_VERSION = "3.1.4";');
    // the files they let pass are as served
    expect(written.get('playcanvas-stable.min.js')?.bytes.length).toBeGreaterThan(1_000_000);
  });

  it('singleFile() gives one HTML file, in the same content mode', async () => {
    const after: Vinyl[] = [];
    await pipeline(build({ buffer }), singleFile({ compress: true }), spy(after), gulp.dest(await tempDir()));
    expect(after.map((f) => f.relative)).toEqual(['index.html']);
    expect(after[0]?.isStream()).toBe(!buffer);
  });
});

describe('when the build is not what they expect', () => {
  it('fails the stream with a PluginError naming the transform and the file', async () => {
    const src = await tempDir();
    await mkdir(join(src, 'docs'));
    await writeFile(join(src, 'docs', 'notes.txt'), 'not a build\n');
    const error = await caught(
      pipeline(gulp.src('docs/*.txt', { cwd: src, base: src }), csp(), gulp.dest(await tempDir())),
    );
    expect(error.plugin).toBe('gulp-playcanvas');
    expect(error.message).toBe(
      'csp(): The build has no index.html, which the policy goes into: is this a PlayCanvas "static" build?',
    );
    expect(error.fileName).toBe('index.html');
  });

  it('throws at once on options it cannot use', () => {
    const thrown = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(PluginError);
        return (error as PluginError).message;
      }
      throw new Error('accepted');
    };
    expect(thrown(() => assetPrefix('https://cdn.example.com/?x'))).toBe(
      'assetPrefix() "https://cdn.example.com/?x" has a query or fragment: the engine appends file paths to it',
    );
    expect(thrown(() => singleFile({ maxBytes: -1 }))).toBe(
      'singleFile option maxBytes must be a positive whole number of bytes (5 MB: 5242880); got -1',
    );
    expect(thrown(() => csp({ img: ['self'] }))).toBe(
      `csp option img has self: keywords are quoted in a policy, write "'self'"`,
    );
  });
});

/** Replaces one file's contents in the stream (buffered), as an edited project's build would have them. */
function plant(path: string, edit: (text: string) => string): Transform {
  return new Transform({
    objectMode: true,
    transform(file: Vinyl, _encoding, callback) {
      if (file.relative === path) file.contents = Buffer.from(edit((file.contents as Buffer).toString()));
      callback(null, file);
    },
  });
}

describe('code the build plants never runs in gulp', () => {
  const transforms = [
    ['csp()', () => csp()],
    ['singleFile()', () => singleFile()],
    ['assetPrefix()', () => assetPrefix('https://cdn.example.com/')],
  ] as const;

  for (const [name, transform] of transforms) {
    it(`${name}: in the loading screen it does not run, and the build goes through`, async () => {
      const dir = await tempDir();
      for (const [kind, code] of plantedCode(join(dir, 'marker'))) {
        const out = join(dir, kind.replace(/\W+/g, '-'));
        await pipeline(
          build(),
          plant('__loading__.js', (text) => `${code}\n${text}`),
          transform(),
          gulp.dest(out),
        );
        expect((await readdir(out)).length, kind).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(existsSync(join(dir, 'marker')), kind).toBe(false);
      }
    });

    it(`${name}: in the settings it does not run, and the stream fails naming the file`, async () => {
      const dir = await tempDir();
      for (const [kind, code] of plantedCode(join(dir, 'marker'))) {
        const error = await caught(
          pipeline(
            build(),
            plant('__settings__.js', (text) => `${text}\n${code}`),
            transform(),
            gulp.dest(dir),
          ),
        );
        expect(error.fileName, kind).toBe('__settings__.js');
        expect(error.message, kind).toMatch(
          new RegExp(`^${name.replace(/[()]/g, '\\$&')}: __settings__\\.js line \\d+ is not a plain setting`),
        );
        expect(existsSync(join(dir, 'marker')), kind).toBe(false);
      }
    });
  }

  it('csp({ headersFile }) outside the destination is refused at once', async () => {
    const dir = await tempDir();
    const refused = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(PluginError);
        return (error as PluginError).message;
      }
      throw new Error('accepted');
    };
    expect(refused(() => csp({ headersFile: '../../x' }))).toBe(
      'csp option headersFile must be a path inside the build, ' +
        'like "_headers" or "config/_headers"; "../../x" leads out of it',
    );
    expect(refused(() => csp({ headersFile: join(dir, 'x') }))).toMatch(
      /^csp option headersFile must be a path inside the build, .* is absolute$/,
    );
    await pipeline(build(), csp({ headersFile: 'config/_headers' }), gulp.dest(join(dir, 'out')));
    expect((await readFile(join(dir, 'out', 'config', '_headers'), 'utf8')).startsWith('/*\n')).toBe(true);
  });
});

describe('a page the owner edited, through gulp', () => {
  it('csp() reads a script index.html loads from a subfolder (it said "The build has no vendor/x.js")', async () => {
    const src = await tempDir();
    await pipeline(build(), gulp.dest(src));
    const page = await readFile(join(src, 'index.html'), 'utf8');
    await writeFile(
      join(src, 'index.html'),
      page.replace('</head>', '    <script src="vendor/ads.js"></script>\n</head>'),
    );
    await mkdir(join(src, 'vendor'));
    await writeFile(join(src, 'vendor', 'ads.js'), "document.body.style.background = 'black';\n");
    const out = await tempDir();
    await pipeline(gulp.src('**', { cwd: src, base: src, encoding: false }), csp(), gulp.dest(out));
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(
      await readFile(join(out, 'index.html'), 'utf8'),
    )?.[1];
    expect(policy).toMatch(/script-src [^;]*'self'/);
    expect(await readFile(join(out, 'vendor', 'ads.js'), 'utf8')).toContain("style.background = 'black'");
  });
});

describe('download, post-process, check, write', () => {
  browserTest('the README recipe: stampVersion, csp, then check() before gulp.dest', async () => {
    const out = await tempDir();
    await pipeline(
      build({ buffer: false }),
      stampVersion('1.0.0'),
      csp(),
      check({ viewport: { width: 320, height: 180 }, frames: 5 }),
      gulp.dest(out),
    );
    expect((await readFile(join(out, 'index.html'), 'utf8')).includes('Content-Security-Policy')).toBe(true);
  });
});

describe('the transforms on the ES module layouts, through gulp', () => {
  let layouts: MockServer;
  beforeAll(async () => {
    layouts = await startMock({ fixtures: layoutFixtures(), pollsToComplete: 1, rateLimits: { strict: 1000 } });
  });
  afterAll(() => layouts.close());
  const body = (name: string) => EDITOR_LAYOUTS.find((l) => l.name === name)?.body as Record<string, unknown>;
  const download = (name: string) => {
    const { project_id, scenes, ...rest } = body(name);
    const options = {
      token: TOKEN,
      baseUrl: layouts.url,
      ...FAST,
      projectId: project_id,
      scenes,
      ...rest,
      buffer: false,
    };
    return playcanvas(options as Parameters<typeof playcanvas>[0]);
  };

  it('csp() gets js/index.mjs and other modules in the stream (it said "The build has no js/index.mjs")', async () => {
    const out = await tempDir();
    await pipeline(download('esm'), stampVersion('1.0.0'), csp(), gulp.dest(out));
    const html = await readFile(join(out, 'index.html'), 'utf8');
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
    // the import map, the media query js/index.mjs appends, the loading screen's <style>: all by hash
    expect(policy).toMatch(/^default-src 'none'; script-src 'sha256-[\w+/=]+' 'self'/);
    expect(policy).not.toContain("'unsafe-eval'");
    expect(await readFile(join(out, 'js', '__settings__.mjs'), 'utf8')).toContain('window.BUILD_VERSION = "1.0.0";');
  });

  browserTest('a mixed build: stampVersion, csp, then check() before gulp.dest', async () => {
    const out = await tempDir();
    await pipeline(
      download('mixed'),
      stampVersion('1.0.0'),
      csp(),
      check({ viewport: { width: 320, height: 180 }, frames: 5 }),
      gulp.dest(out),
    );
    expect(existsSync(join(out, 'js', 'index.mjs'))).toBe(true);
  });
});
