import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveBuildOptions } from '../src/api/index.js';
import { ConfigError, createClient, toDownloadBody, validateBuildOptions } from '../src/index.js';
import { CLIENT_OPTIONS, ClientConfig, OPTION_WORDS, resolveClientConfig } from '../src/options/index.js';
import { BUILD, TOKEN } from './helpers.js';

describe('connection options', () => {
  it('takes the token from PLAYCANVAS_API_KEY and the origin from PLAYCANVAS_BASE_URL', () => {
    const client = createClient({ env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: 'http://127.0.0.1:9/' } });
    expect(client.origin).toBe('http://127.0.0.1:9');
    expect(createClient({ env: { PLAYCANVAS_API_KEY: TOKEN } }).origin).toBe('https://playcanvas.com');
  });

  it('names the variable when the token is missing', () => {
    expect(() => createClient({ env: {} })).toThrow(
      /No PlayCanvas API token: set the PLAYCANVAS_API_KEY environment variable or the token option/,
    );
    expect(() => createClient({ env: { PLAYCANVAS_API_KEY: '' } })).toThrow(ConfigError);
  });

  it.each([
    ['not a url', /is not a URL: give an origin such as https:\/\/playcanvas\.com/],
    ['ftp://playcanvas.com', /must use https \(or http for a local mock\); got ftp:/],
    ['http://playcanvas.com', /uses plain HTTP to another machine, which would send the API token in clear: use https/],
    ['https://user:pw@playcanvas.com', /must not contain credentials/],
  ])('refuses the base URL %s', (baseUrl, message) => {
    expect(() => createClient({ token: TOKEN, baseUrl })).toThrow(message);
  });

  it('allows plain HTTP to loopback, and elsewhere only when told', () => {
    for (const host of ['localhost', '127.0.0.1', '[::1]'])
      expect(createClient({ token: TOKEN, baseUrl: `http://${host}:8080` }).origin).toBe(`http://${host}:8080`);
    expect(createClient({ token: TOKEN, baseUrl: 'http://10.0.0.5', allowInsecureHttp: true }).origin).toBe(
      'http://10.0.0.5',
    );
  });

  it.each([
    [{ requestTimeout: -1 }, /Option requestTimeout must be a positive number of milliseconds; got -1/],
    [{ retry: { retries: 'x' } }, /Option retry\.retries must be a non-negative integer; got "x"/],
    [{ retry: { tries: 3 } }, /Option retry\.tries is unknown; use retries, baseDelayMs/],
    [{ poll: { factor: 0.5 } }, /Option poll\.factor must be at least 1/],
    [{ onProgress: 'yes' }, /Option onProgress must be a function/],
    [
      { token: 'has space' },
      /The API token must be printable ASCII without spaces or control characters \(it was not shown here\)/,
    ],
  ])('refuses client option %j', (options, message) => {
    expect(() => createClient({ token: TOKEN, ...(options as object) })).toThrow(message);
  });

  it('never shows the token when the client is inspected or serialized', () => {
    const client = createClient({ token: TOKEN });
    expect(inspect(client, { showHidden: true, depth: 10 })).not.toContain(TOKEN);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });
});

describe('build options', () => {
  it.each([
    [{ name: 'x', scenes: [1] }, 'Option projectId is required'],
    [{ ...BUILD, projectId: '1000' }, 'Option projectId must be a positive integer; got "1000"'],
    [{ ...BUILD, name: '' }, 'Option name must be a non-empty string'],
    [{ ...BUILD, name: 'n'.repeat(1000) }, 'Option name is 1000 characters long; it must be under 1000'],
    [{ ...BUILD, scenes: [] }, 'Option scenes must be a non-empty array of scene ids or names'],
    [{ ...BUILD, scenes: [1.5] }, 'Option scenes must hold scene ids (positive integers) or names; got 1.5'],
    [{ ...BUILD, version: '123456789012345678901' }, 'Option version is 21 characters long; it must be at most 20'],
    [
      { ...BUILD, description: 'd'.repeat(10_000) },
      'Option description is 10000 characters long; it must be under 10000',
    ],
    [
      { ...BUILD, releaseNotes: 'r'.repeat(10_001) },
      'Option releaseNotes is 10001 characters long; it must be at most 10000',
    ],
    [{ ...BUILD, format: 'zip' }, 'Option format must be "static" or "npm"; got "zip"'],
    [{ ...BUILD, scriptsMinify: 'true' }, 'Option scriptsMinify must be true or false; got "true"'],
    [{ ...BUILD, branch: 'main', branchId: 'b-main' }, 'Option branch and branchId were both given: give one'],
    [
      { ...BUILD, scripts_minify: true },
      'Option scripts_minify is not a build option (options are camelCase: scriptsMinify)',
    ],
  ])('refuses %j before any request', (options, message) => {
    let error: unknown;
    try {
      validateBuildOptions(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
  });

  it('maps camelCase options to the API names in one place', () => {
    const body = toDownloadBody(
      {
        ...BUILD,
        description: 'd',
        version: '1.0.0',
        releaseNotes: 'notes',
        scriptsConcatenate: true,
        scriptsMinify: false,
        scriptsSourcemaps: true,
        optimizeSceneFormat: true,
        format: 'npm',
        engineVersion: '2.7.4',
        preloadBundle: true,
      },
      [2000],
      'b-main',
    );
    expect(body).toEqual({
      project_id: 1000,
      name: 'Space Race',
      scenes: [2000],
      branch_id: 'b-main',
      description: 'd',
      version: '1.0.0',
      release_notes: 'notes',
      scripts_concatenate: true,
      scripts_minify: false,
      scripts_sourcemaps: true,
      optimize_scene_format: true,
      format: 'npm',
      engine_version: '2.7.4',
      preload_bundle: true,
    });
  });
});

describe('raw options and the resolved config', () => {
  const RAW = { token: TOKEN, baseUrl: 'http://127.0.0.1:9' };

  it('a ClientConfig from the resolver is frozen and used as it is; a copy of one is raw options, and refused', () => {
    const config = resolveClientConfig(RAW);
    expect(config).toBeInstanceOf(ClientConfig);
    expect(Object.isFrozen(config)).toBe(true);
    expect(createClient(config).origin).toBe('http://127.0.0.1:9');
    expect(() => createClient({ ...config } as never)).toThrow(/^Options connection and words are not client options/);
  });

  it('takes defaults given to the resolver for what the input leaves out, checked as given values are', () => {
    expect(resolveClientConfig(RAW, OPTION_WORDS, { timeout: 400 }).timeout).toBe(400);
    expect(resolveClientConfig({ ...RAW, timeout: 5 }, OPTION_WORDS, { timeout: 400 }).timeout).toBe(5);
    expect(resolveClientConfig({ ...RAW, timeout: undefined }, OPTION_WORDS, { timeout: 400 }).timeout).toBe(400);
    expect(() => resolveClientConfig(RAW, OPTION_WORDS, { timeout: -1 })).toThrow(
      /^Option timeout must be a positive number/,
    );
    expect(() => resolveClientConfig(RAW, OPTION_WORDS, { timout: 1 } as never)).toThrow(/did you mean timeout\?/);
    // the table itself is left alone
    expect(resolveClientConfig(RAW).timeout).toBe(CLIENT_OPTIONS.timeout.default);
  });

  it('resolved build options resolve to the same again: no marker needed to pass them on', () => {
    const once = resolveBuildOptions({ ...BUILD, branch: 'main' });
    expect(resolveBuildOptions(once)).toEqual(once);
    expect(() => resolveBuildOptions({ ...once, branchId: 'b-1' })).toThrow(
      /^Option branch and branchId were both given/,
    );
  });
});
