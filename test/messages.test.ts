import { readFileSync } from 'node:fs';
import playcanvas, { check, type PlayCanvasFile } from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { PIPELINE_OPTIONS } from '@gulp-playcanvas/playcanvas-pipeline';
import { BUILD_OPTIONS, CLIENT_OPTIONS } from '@gulp-playcanvas/playcanvas-rest-client';
import {
  browserTest,
  caught,
  fixturesWithBrokenProject,
  type HostNames,
  namesMissing,
  optionsInReadme,
} from 'test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAST, logLines, startMock, TOKEN } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ fixtures: fixturesWithBrokenProject() });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const BUILD = { projectId: 1000, name: 'Space Race', scenes: ['Main'] };
const options = (extra: Record<string, unknown> = {}) => ({
  token: TOKEN,
  baseUrl: server.url,
  ...FAST,
  ...BUILD,
  ...extra,
});

async function emitted(stream: NodeJS.ReadWriteStream): Promise<PlayCanvasFile[]> {
  const files: PlayCanvasFile[] = [];
  for await (const file of stream as unknown as AsyncIterable<PlayCanvasFile>) files.push(file);
  return files;
}

/** Runs `make` with the environment variables set (the plugin reads process.env), then puts them back. */
function withEnv<T>(vars: Record<string, string | undefined>, make: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const put = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  put(vars);
  try {
    return make();
  } finally {
    put(saved);
  }
}

describe("the job's messages, in the plugin's log", () => {
  it.each(['9.99.0', 'latest'])(
    'engineVersion %s, which the API does not have: every message of the job logged, and a warning naming both engines',
    async (asked) => {
      const { lines, result } = await logLines(() => emitted(playcanvas(options({ engineVersion: asked }))));
      expect(lines).toContain(
        `gulp-playcanvas: job 500001 says: Engine ${asked} is not available in playcanvas-mock-server: ` +
          `the build uses engine 2.23.3 (the playcanvas package it ships)`,
      );
      expect(lines).toContain(
        `gulp-playcanvas: job 500001 was built with engine 2.23.3, ` +
          `not the ${asked} asked for (engineVersion: '${asked}'), as the job says: ` +
          `give an engine version the API has, or set requireEngineVersion: true to fail such builds`,
      );
      expect(result?.length).toBeGreaterThan(5);
      expect(result?.[0]?.playcanvas.engineVersion).toBe('2.23.3');
    },
  );

  it('the engine asked for: no warning', async () => {
    const { lines } = await logLines(() => emitted(playcanvas(options({ engineVersion: '2.23.3' }))));
    expect(lines.filter((line) => /says|engine/.test(line))).toEqual([]);
  });

  it('requireEngineVersion: another engine fails the build, nothing emitted, both versions in the error', async () => {
    const error = (await caught(
      emitted(playcanvas(options({ engineVersion: '9.99.0', requireEngineVersion: true }))),
    )) as Error & Record<string, unknown>;
    expect(error.message).toBe(
      "The API built job 500001 with engine 2.23.3, not the 9.99.0 asked for (engineVersion: '9.99.0'), " +
        'and requireEngineVersion is set: the build is refused, nothing was written. The job says: ' +
        'Engine 9.99.0 is not available in playcanvas-mock-server: ' +
        'the build uses engine 2.23.3 (the playcanvas package it ships). Give an engine version the API has',
    );
    expect(error).toMatchObject({
      plugin: 'gulp-playcanvas',
      code: 'ENGINE_MISMATCH',
      requested: '9.99.0',
      used: '2.23.3',
      jobId: 500001,
    });
  });
});

describe('unknown options', () => {
  it('every unknown key named at once, each with the nearest option there is', () => {
    const { projectId: _p, scenes: _s, ...rest } = options();
    expect(() =>
      playcanvas({ ...rest, projectID: 1000, sceens: ['Main'], extarct: false, wibble: 1 } as never),
    ).toThrow(
      new RegExp(
        String.raw`^Options projectID \(did you mean projectId\?\), sceens \(did you mean scenes\?\), ` +
          String.raw`extarct \(did you mean extract\?\) and wibble are not gulp-playcanvas options$`,
      ),
    );
  });
});

describe('the base URL', () => {
  it.each(['/api', '/api/', '/', '//'])(
    'a base URL ending in %s reaches the API at /api/..., not /api/api/...',
    async (tail) => {
      const files = await emitted(playcanvas(options({ baseUrl: `${server.url}${tail}`, engineVersion: '2.23.3' })));
      expect(files.length).toBeGreaterThan(5);
      const paths = server.journal().map((entry) => entry.path);
      expect(paths).toContain('/api/apps/download');
      expect(paths.filter((path) => !/^\/(api|downloads)\//.test(path) || path.startsWith('/api/api/'))).toEqual([]);
    },
  );

  it('a query or a fragment is refused before any request, naming where the URL was set, not the project', () => {
    expect(() => playcanvas(options({ baseUrl: `${server.url}/?region=eu` }))).toThrow(
      `The base URL "${server.url}/" has a query or a fragment (?…): give the origin alone, ` +
        `such as https://playcanvas.com (set by the baseUrl option)`,
    );
    const { baseUrl: _b, ...fromEnv } = options();
    expect(() => withEnv({ PLAYCANVAS_BASE_URL: `${server.url}#top` }, () => playcanvas(fromEnv))).toThrow(
      new RegExp(
        String.raw`has a query or a fragment \(#…\): give the origin alone, ` +
          String.raw`such as https:\/\/playcanvas\.com \(set by PLAYCANVAS_BASE_URL\)$`,
      ),
    );
    expect(server.journal()).toEqual([]);
  });
});

describe('structured details, as gulp prints a PluginError', () => {
  it("a failed job's messages: one line each under Details, still an array on the error", async () => {
    server.queueScenarios({
      outcome: 'error',
      polls: 1,
      messages: ['Could not build scripts', 'Asset 3001 is missing'],
    });
    const error = (await caught(emitted(playcanvas(options({ engineVersion: '2.23.3' }))))) as Error & {
      messages: string[];
    };
    expect(error.messages).toEqual(['Could not build scripts', 'Asset 3001 is missing']);
    expect(String(error)).toContain('messages: \n        - Could not build scripts\n        - Asset 3001 is missing');
    expect(String(error)).not.toContain('Could not build scripts,Asset');
  });

  browserTest("check()'s problems: readable lines under Details, objects on the error", async () => {
    const error = (await caught(
      emitted(playcanvas(options({ projectId: 1200, engineVersion: '2.23.3' })).pipe(check({ timeout: 5000 }))),
    )) as Error & { problems: Array<{ kind: string }> };
    expect(Array.isArray(error.problems)).toBe(true);
    expect(error.problems.map((p) => p.kind)).toContain('exception');
    const printed = String(error);
    expect(printed).toMatch(
      /Details:\n[\s\S]*problems: \n(?: {8}- [^\n]*\n)* {8}- uncaught exception: player\.js failed to load/,
    );
    expect(printed).not.toContain('[object Object]');
  });
});

/** What the plugin has: its options (the README's tables), check()'s, and the environment it reads. */
const PLUGIN: HostNames = {
  flags: new Set(),
  options: new Set([
    ...optionsInReadme(new URL('../packages/gulp-playcanvas/README.md', import.meta.url)),
    ...checkOptions(),
  ]),
  variables: new Set([
    'PLAYCANVAS_API_KEY',
    'PLAYCANVAS_BASE_URL',
    'CHROME_PATH',
    'HTTPS_PROXY',
    'HTTP_PROXY',
    'NO_PROXY',
    'NODE_EXTRA_CA_CERTS',
  ]),
};
/** Every option of every table: a camelCase word among these in a message is taken as naming an option. */
const ANY_OPTION = new Set([
  ...PLUGIN.options,
  ...Object.keys({ ...BUILD_OPTIONS, ...PIPELINE_OPTIONS, ...CLIENT_OPTIONS }),
]);

function checkOptions(): string[] {
  const readme = readFileSync(new URL('../packages/check/README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1] as string);
}

describe('every message names only options the plugin has', () => {
  const messageOf = async (run: () => unknown): Promise<string> => {
    try {
      const value = run();
      if (value && typeof (value as NodeJS.ReadWriteStream).pipe === 'function')
        await emitted(value as NodeJS.ReadWriteStream);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('no error');
  };

  it.each<[string, () => unknown, string[]]>([
    ['no token', () => withEnv({ PLAYCANVAS_API_KEY: undefined }, () => playcanvas(options({ token: undefined }))), []],
    ['a token the API refuses (401)', () => playcanvas(options({ token: 'not-the-token' })), []],
    ['a browser path that is not there', () => check({ browser: '/nonexistent/chromium' }), []],
    ['an unknown option', () => playcanvas(options({ engineVersoin: '2.23.3' })), ['engineVersoin']],
    ['a base URL with a query', () => playcanvas(options({ baseUrl: `${server.url}/?x=1` })), []],
    [
      'a base URL that is not one',
      () => withEnv({ PLAYCANVAS_BASE_URL: 'playcanvas.com' }, () => playcanvas(options({ baseUrl: undefined }))),
      [],
    ],
    ['plain http to another machine', () => playcanvas(options({ baseUrl: 'http://api.example.com' })), []],
    ['requireEngineVersion without engineVersion', () => playcanvas(options({ requireEngineVersion: true })), []],
  ])('%s', async (_name, run, typed) => {
    const message = await messageOf(run);
    expect(namesMissing(message, PLUGIN, ANY_OPTION, typed), message).toEqual([]);
  });

  it('the warnings too: another engine, no engine', async () => {
    for (const extra of [{ engineVersion: '9.99.0' }, {}]) {
      server.reset();
      const { lines } = await logLines(() => emitted(playcanvas(options(extra))));
      const warnings = lines.filter((line) => /engine/i.test(line));
      expect(warnings.length).toBeGreaterThan(0);
      for (const line of warnings) expect(namesMissing(line, PLUGIN, ANY_OPTION), line).toEqual([]);
    }
  });
});
