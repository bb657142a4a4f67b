import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Context } from '../src/api/context.js';
import { listBranches, MAX_PAGES } from '../src/api/lookups.js';
import { ApiError, ConfigError, createClient, DownloadError } from '../src/index.js';
import { liveTempDirs } from '../src/testing.js';
import { BUILD, caught, clientFor, expectNoSecret, startMock, TOKEN } from './helpers.js';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  expect(liveTempDirs()).toEqual([]);
});

describe('no secret in any message', () => {
  it.each([
    ['a NUL', `${TOKEN}\u0000`],
    ['a newline (a stray one from a variable)', `${TOKEN}\n`],
    ['a space', `${TOKEN} x`],
    ['a character outside ASCII', `${TOKEN}é`],
  ])('a token with %s is refused up front, without showing it', (_what, token) => {
    let error: unknown;
    try {
      createClient({ token, baseUrl: 'http://127.0.0.1:9' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'The API token must be printable ASCII without spaces or control characters (it was not shown here): ' +
        'paste the token as PlayCanvas showed it, and check the variable for a stray newline',
    );
    expectNoSecret(error);
  });

  it('an unparseable base URL is shown without its credentials', () => {
    const error = (() => {
      try {
        createClient({ token: TOKEN, baseUrl: 'https://builder:hunter2@play canvas.com/?key=s3cr3t' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toBe(
      'The base URL "https://play canvas.com/" is not a URL: ' +
        'give an origin such as https://playcanvas.com (set by the baseUrl option)',
    );
    for (const secret of ['hunter2', 'builder', 's3cr3t']) expectNoSecret(error, secret);
  });

  it("a signed download URL's query is shown in no error, event or message", async () => {
    server = await startMock();
    server.addFault({ route: 'download', fault: { type: 'status', status: 503 } });
    const { client, events } = clientFor(server);
    const error = await caught(client.build(BUILD));
    expect(error).toBeInstanceOf(DownloadError);
    const signature = new URL(server.jobs()[0]?.archiveUrl ?? '').searchParams.get('X-Amz-Signature') as string;
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expectNoSecret(error, signature);
    expectNoSecret(events, signature);
    expectNoSecret(error, 'X-Amz');
  });
});

describe('downloads', () => {
  it('asks for the archive as it is (identity), never a re-encoded one', async () => {
    server = await startMock();
    const { client } = clientFor(server);
    await (await client.build(BUILD)).archive.dispose();
    const download = server.journal().find((e) => e.route === 'download');
    expect(download?.headers['accept-encoding']).toBe('identity');
  });

  it('refuses a download URL on plain HTTP to another machine, unless allowInsecureHttp', async () => {
    server = await startMock({ downloadBaseUrl: 'http://archives.example.invalid' });
    const { client } = clientFor(server);
    const error = await caught(client.build(BUILD));
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toBe(
      'The download URL http://archives.example.invalid/downloads/apps/500001/space-race.zip uses plain HTTP ' +
        'to another machine, so the build could be altered on the way: ask for an https URL, ' +
        'or set allowInsecureHttp: true for a trusted network',
    );
    server.reset();
    const trusting = clientFor(server, { allowInsecureHttp: true, retry: { retries: 0 } }).client;
    const attempt = await caught(trusting.build(BUILD));
    expect(attempt.message).toMatch(
      /^Download of http:\/\/archives\.example\.invalid\/downloads\/apps\/500001\/space-race\.zip failed after 1 try: /,
    );
  });
});

describe('malformed answers fail clearly', () => {
  it.each([
    [
      'scenes.list',
      { scenes: 'none' },
      'PlayCanvas API: GET /api/projects/1000/scenes answered something that is not a scene ' +
        'list (result with ids and names)',
    ],
    [
      'scenes.list',
      { result: [{ id: 2000 }] },
      'PlayCanvas API: GET /api/projects/1000/scenes answered something that is not a scene ' +
        'list (result with ids and names)',
    ],
    [
      'branches.list',
      { result: [{ id: 'b-x' }], pagination: { hasMore: false } },
      'PlayCanvas API: GET /api/projects/1000/branches answered something that is not a branch ' +
        'list (result with ids and names)',
    ],
    [
      'apps.download',
      { ok: true },
      'PlayCanvas API: POST /api/apps/download answered something that is not a job (an id and a status): ' +
        'the API may have changed; report it',
    ],
  ] as const)('%s answering %j', async (route, body, message) => {
    server = await startMock();
    server.addFault({ route, fault: { type: 'body', body } });
    const { client } = clientFor(server);
    const error = await caught(client.startBuild({ ...BUILD, scenes: ['Main'], branch: 'main' }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message.startsWith(message)).toBe(true);
  });

  it('a branch list whose pages repeat ends, instead of paging forever', async () => {
    server = await startMock();
    server.addFault({
      route: 'branches.list',
      fault: { type: 'body', body: { result: [{ id: 'b-loop', name: 'loop' }], pagination: { hasMore: true } } },
    });
    const { client } = clientFor(server);
    expect((await client.listBranches(1000)).map((b) => b.name)).toEqual(['loop']);
    expect(server.journal().filter((e) => e.route === 'branches.list')).toHaveLength(2);
  });

  it(`a branch list that never ends fails after ${MAX_PAGES} pages`, async () => {
    let page = 0;
    const ctx = {
      api: async () => ({ result: [{ id: `b-${page++}`, name: `branch ${page}` }], pagination: { hasMore: true } }),
    } as unknown as Context;
    const error = await caught(listBranches(ctx, 1000));
    expect(error.message).toBe(
      'PlayCanvas API: GET /api/projects/1000/branches answered something that is not a branch list that ends ' +
        '(still more after 1000 pages): the API may have changed; report it',
    );
    expect(page).toBe(MAX_PAGES);
  });

  it('API text is printed without control characters and cut to a sane length', async () => {
    server = await startMock();
    server.addFault({
      route: 'apps.download',
      fault: { type: 'status', status: 400, error: `bad\u001b[2J\r\nthing ${'x'.repeat(1000)}` },
    });
    const { client } = clientFor(server);
    const error = (await caught(client.startBuild(BUILD))) as ApiError;
    expect(error.apiMessage).toBe(`bad[2J thing ${'x'.repeat(287)}…`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
  });
});
