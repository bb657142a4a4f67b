import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import PluginError from 'plugin-error';
import { describe, expect, it } from 'vitest';
import { TOKEN } from './helpers.js';

const BASE = { token: TOKEN, baseUrl: 'http://127.0.0.1:9', projectId: 1000, name: 'Space Race', scenes: [2000] };

// Every option of the plugin with a wrong value, and what the error must say: the option's name and the fix.
const WRONG: Array<[string, unknown, RegExp]> = [
  ['projectId', 0, /Option projectId must be a positive integer; got 0/],
  // an unset variable turned into a number: shown as NaN, not as JSON's null
  ['projectId', Number('undefined'), /^Option projectId must be a positive integer; got NaN$/],
  ['name', ['x'], /Option name must be a non-empty string/],
  ['scenes', 'Main', /Option scenes must be a non-empty array of scene ids or names/],
  ['branchId', 42, /Option branchId must be a non-empty string \(the id from the Version Control panel\)/],
  ['branch', '', /Option branch must be a branch name/],
  ['description', 5, /Option description must be a string; got 5/],
  ['version', 'x'.repeat(21), /Option version is 21 characters long; it must be at most 20/],
  ['releaseNotes', false, /Option releaseNotes must be a string; got false/],
  ['scriptsConcatenate', 'yes', /Option scriptsConcatenate must be true or false; got "yes"/],
  ['scriptsMinify', 1, /Option scriptsMinify must be true or false; got 1/],
  ['scriptsSourcemaps', null, /Option scriptsSourcemaps must be true or false; got null/],
  ['optimizeSceneFormat', 'false', /Option optimizeSceneFormat must be true or false; got "false"/],
  ['format', 'zip', /Option format must be "static" or "npm"; got "zip"/],
  ['engineVersion', 2, /Option engineVersion must be a non-empty string; got 2/],
  ['preloadBundle', 'on', /Option preloadBundle must be true or false; got "on"/],
  ['token', 12345, /The token option must be a string; got number/],
  [
    'baseUrl',
    'playcanvas.com',
    /The base URL "playcanvas\.com" is not a URL: give an origin such as https:\/\/playcanvas\.com/,
  ],
  ['allowInsecureHttp', 'yes', /Option allowInsecureHttp must be true or false; got "yes"/],
  [
    'proxy',
    true,
    new RegExp(
      String.raw`Option proxy must be a proxy URL such as http:\/\/proxy\.example\.com:3128, ` +
        'or false to ignore the proxy variables; got true',
    ),
  ],
  [
    'proxy',
    'socks5://proxy.example.com:1080',
    /The proxy option uses socks5, which is not supported: give an http:\/\/ or https:\/\/ proxy URL/,
  ],
  ['checkpoint', '', /Option checkpoint must be true or a description \(at most 10,000 characters\); got ""/],
  ['requireEngineVersion', 1, /Option requireEngineVersion must be true or false; got 1/],
  ['export', 'true', /Option export must be true or false; got "true"/],
  ['extract', 0, /Option extract must be true or false; got 0/],
  ['buffer', 'no', /Option buffer must be true or false; got "no"/],
  ['timeout', '10m', /Option timeout must be a positive number of milliseconds; got "10m"/],
  ['signal', {}, /Option signal must be an AbortSignal \(from an AbortController\)/],
  ['requestTimeout', -5, /Option requestTimeout must be a positive number of milliseconds; got -5/],
  [
    'retry',
    3,
    /Option retry must be an object with retries, baseDelayMs, maxDelayMs, rateLimitRetries, maxRateLimitWaitMs/,
  ],
  ['retry', function backoff() {}, /Option retry must be an object with .*; got a function \(backoff\)$/],
  ['poll', { every: 5 }, /Option poll\.every is unknown; use initialDelayMs, factor, maxDelayMs/],
  [
    'rateBudget',
    { redis: 'http://:pw@cache:6379' },
    /^Option rateBudget\.redis must be a Redis URL such as redis:\/\/localhost:6379 .*; got the scheme http:$/,
  ],
  [
    'rateBudget',
    { redis: 'redis://cache:6379', key: '' },
    /^Option rateBudget\.key must be a key prefix such as playcanvas:rate; got ""$/,
  ],
  ['stallTimeout', 0, /Option stallTimeout must be a positive number of milliseconds; got 0/],
  ['tempDir', '', /Option tempDir must be a folder path/],
  ['maxEntries', 1.5, /Option maxEntries must be a positive integer; got 1\.5/],
  ['maxTotalBytes', '1GB', /Option maxTotalBytes must be a positive integer; got "1GB"/],
  ['maxBufferBytes', 0, /Option maxBufferBytes must be a positive integer; got 0/],
  ['maxDownloadBytes', Number.NaN, /Option maxDownloadBytes must be a positive integer; got NaN/],
  ['timeout', Number.POSITIVE_INFINITY, /Option timeout must be a positive number of milliseconds; got Infinity/],
  ['symlinks', 'follow', /Option symlinks must be "skip" or "reject"; got "follow"/],
  ['project_id', 1000, /Option project_id is not a gulp-playcanvas option \(options are camelCase: projectId\)/],
];

describe('every plugin option, given a wrong value, throws a PluginError at once naming it', () => {
  it.each(WRONG)('%s = %j', (key, value, message) => {
    let error: unknown;
    try {
      playcanvas({ ...BASE, [key]: value } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).plugin).toBe('gulp-playcanvas');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it("covers every option the plugin's README documents, and the README documents every option", async () => {
    const { readFile } = await import('node:fs/promises');
    const { generated } = await import('../scripts/generate.js');
    const readme = await readFile(new URL('../packages/gulp-playcanvas/README.md', import.meta.url), 'utf8');
    const start = readme.indexOf(generated('options').begin);
    const end = readme.indexOf(generated('options').end);
    expect(start, 'the README has lost its plugin option table').toBeGreaterThan(0);
    const documented = [...readme.slice(start, end).matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1] as string);
    const { PLUGIN_TABLES } = await import('../packages/gulp-playcanvas/src/options.js');
    expect(documented).toEqual(PLUGIN_TABLES.flatMap((t) => Object.keys(t)));
    const tested = new Set(WRONG.map(([key]) => key));
    expect(documented.filter((key) => !tested.has(key))).toEqual([]);
  });

  it('names the missing token variable when there is no token at all', () => {
    const saved = process.env.PLAYCANVAS_API_KEY;
    delete process.env.PLAYCANVAS_API_KEY;
    try {
      const { token: _token, ...withoutToken } = BASE;
      expect(() => playcanvas(withoutToken as never)).toThrow(
        /^No PlayCanvas API token: set the PLAYCANVAS_API_KEY environment variable or the token option/,
      );
    } finally {
      if (saved !== undefined) process.env.PLAYCANVAS_API_KEY = saved;
    }
  });

  it('does not take `env`: the plugin reads the environment itself', () => {
    expect(() => playcanvas({ ...BASE, env: {} } as never)).toThrow(/^Option env is not a gulp-playcanvas option$/);
  });

  it('requireEngineVersion without engineVersion is refused at once, before any request', () => {
    expect(() => playcanvas({ ...BASE, requireEngineVersion: true })).toThrow(
      new RegExp(
        '^requireEngineVersion is set, but engineVersion is not: ' +
          String.raw`give the engine version to build with, e\.g\. engineVersion: '2\.23\.3'$`,
      ),
    );
  });

  it('export takes only projectId and branch', () => {
    expect(() => playcanvas({ ...BASE, export: true } as never)).toThrow(
      /Options name and scenes are not export options \(projectId, branchId, branch\)/,
    );
  });

  it('refuses something that is not an options object', () => {
    expect(() => playcanvas(undefined as never)).toThrow(
      /playcanvas\(\) takes an options object, e\.g\. playcanvas\(\{ projectId: 1000/,
    );
    expect(() => playcanvas('1000' as never)).toThrow(PluginError);
  });
});
