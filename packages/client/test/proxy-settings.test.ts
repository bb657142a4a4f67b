import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, createClient, resolveClientConfig } from '../src/index.js';
import { resolveProxySettings } from '../src/network/proxy.js';
import { caught, expectNoSecret, TOKEN } from './helpers.js';

const PROXY = 'http://proxy.corp.test:3128';
const via = (env: Record<string, string>, url: string, option?: string | false) =>
  resolveProxySettings(option, env).routeFor(new URL(url));

describe('NO_PROXY', () => {
  // [NO_PROXY, URL, goes direct]: the forms curl reads, and where we are more forgiving (noted).
  it.each([
    ['', 'https://api.example.test/', false],
    ['example.test', 'https://example.test/', true],
    ['example.test', 'https://api.example.test/', true],
    ['example.test', 'https://notexample.test/', false],
    ['.example.test', 'https://example.test/', true],
    ['.example.test', 'https://dl.s3.example.test/', true],
    ['*.example.test', 'https://api.example.test/', true], // curl ignores this form; undici and Go read it as a suffix
    ['EXAMPLE.TEST', 'https://api.example.test/', true],
    ['example.test.', 'https://api.example.test/', true],
    [' s3.example.test ,localhost', 'https://dl.s3.example.test/', true],
    [' s3.example.test ,localhost', 'http://localhost:8080/', true],
    ['xample.test', 'https://example.test/', false],
    ['*', 'https://anything.test/', true],
    ['*,other.test', 'https://anything.test/', false], // as curl: `*` counts only on its own
    ['localhost', 'https://127.0.0.1/', false],
    ['127.0.0.1', 'https://127.0.0.1:8443/', true],
    ['127.0.0.0/8', 'https://127.1.2.3/', true],
    ['127.0.0.0/8', 'https://128.0.0.1/', false],
    ['127.0.0.0/x', 'https://127.0.0.1/', false], // not a prefix length: ignored
    ['::1', 'https://[::1]/', true],
    ['[::1]', 'https://[::1]/', true],
    ['0:0:0:0:0:0:0:1', 'https://[::1]/', true],
    ['fd00::/8', 'https://[fd12::5]/', true],
    // a port limits the entry to it (curl ignores ports)
    ['api.example.test:8443', 'https://api.example.test:8443/', true],
    ['api.example.test:8443', 'https://api.example.test/', false],
    ['127.0.0.1:443', 'https://127.0.0.1/', true],
    ['[::1]:8080', 'http://[::1]:8080/', true],
    ['[::1]:8080', 'http://[::1]:9090/', false],
  ])('NO_PROXY=%j, %s: direct %s', (noProxy, url, direct) => {
    const route = via({ HTTPS_PROXY: PROXY, HTTP_PROXY: PROXY, NO_PROXY: noProxy }, url);
    expect(route === undefined).toBe(direct);
  });
});

describe('proxy variables', () => {
  it('uses HTTPS_PROXY for https origins and HTTP_PROXY for http ones, never one for the other', () => {
    const env = { HTTPS_PROXY: 'http://secure.test:1', HTTP_PROXY: 'http://plain.test:2' };
    expect(via(env, 'https://api.test/')?.shown).toBe('http://secure.test:1');
    expect(via(env, 'http://api.test/')?.shown).toBe('http://plain.test:2');
    expect(via({ HTTP_PROXY: PROXY }, 'https://api.test/')).toBeUndefined();
    expect(via({ HTTPS_PROXY: PROXY }, 'http://api.test/')).toBeUndefined();
  });

  it('reads the lowercase variable first, falls through an empty one, and says which it read', () => {
    expect(via({ https_proxy: 'http://lower.test:1', HTTPS_PROXY: 'http://upper.test:2' }, 'https://a.test/')).toEqual({
      shown: 'http://lower.test:1',
      source: 'https_proxy',
      hasCredentials: false,
    });
    expect(via({ https_proxy: ' ', HTTPS_PROXY: 'http://upper.test:2' }, 'https://a.test/')?.source).toBe(
      'HTTPS_PROXY',
    );
    expect(via({ HTTPS_PROXY: PROXY, no_proxy: 'a.test', NO_PROXY: 'b.test' }, 'https://a.test/')).toBeUndefined();
    expect(via({ HTTPS_PROXY: PROXY, no_proxy: 'a.test', NO_PROXY: 'b.test' }, 'https://b.test/')).toBeDefined();
  });

  it('takes a bare host:port as an http proxy, as curl does', () => {
    expect(via({ HTTPS_PROXY: 'proxy.corp.test:3128' }, 'https://a.test/')?.shown).toBe('http://proxy.corp.test:3128');
  });

  it('lets the proxy option win over the variables (NO_PROXY still applies), and proxy: false drop them', () => {
    const env = { HTTPS_PROXY: 'http://env.test:1', NO_PROXY: 'internal.test' };
    expect(via(env, 'https://a.test/', 'http://option.test:2')).toEqual({
      shown: 'http://option.test:2',
      source: 'the proxy option',
      hasCredentials: false,
    });
    expect(via(env, 'http://a.test/', 'http://option.test:2')?.shown).toBe('http://option.test:2');
    expect(via(env, 'https://internal.test/', 'http://option.test:2')).toBeUndefined();
    expect(via(env, 'https://a.test/', false)).toBeUndefined();
  });

  it.each([
    [
      { HTTPS_PROXY: 'socks5://user:hunter2@proxy.test:1080' },
      /^The HTTPS_PROXY variable uses socks5, which is not supported: give an http:\/\/ or https:\/\/ proxy URL$/,
    ],
    [
      { http_proxy: 'http://user:hunter2@[bad' },
      new RegExp(
        String.raw`^The http_proxy variable "http:\/\/\[bad" is not a proxy URL: ` +
          String.raw`give one such as http:\/\/proxy\.example\.com:3128 \(its user name and ` +
          'password are not shown; percent-encode',
      ),
    ],
  ])('refuses %j before any request, without its credentials', (env, message) => {
    let error: unknown;
    try {
      createClient({ token: TOKEN, env });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expectNoSecret(error, 'hunter2');
  });
});

describe('the proxy option', () => {
  it.each([
    [
      true,
      new RegExp(
        String.raw`^Option proxy must be a proxy URL such as http:\/\/proxy\.example\.com:3128, ` +
          'or false to ignore the proxy variables; got true$',
      ),
    ],
    ['', /^Option proxy must be a proxy URL/],
    ['ftp://proxy.test', /^The proxy option uses ftp, which is not supported/],
  ])('refuses %j', (proxy, message) => {
    expect(() => createClient({ token: TOKEN, proxy: proxy as string })).toThrow(message);
  });

  it('keeps the credentials out of the client and its config, whatever inspects them', () => {
    const options = { token: TOKEN, proxy: 'http://builder:hunter2@proxy.corp.test:3128' };
    expectNoSecret(createClient(options), 'hunter2');
    const config = resolveClientConfig(options);
    expectNoSecret(config, 'hunter2');
    expect(inspect(config, { showHidden: true, depth: 10 })).toContain('http://proxy.corp.test:3128');
  });

  it('is refused next to a fetch of your own, which is in charge of its routing', () => {
    expect(() => createClient({ token: TOKEN, proxy: PROXY, fetch })).toThrow(
      new RegExp(
        '^The proxy option applies to the built-in fetch, and a fetch option was given too: ' +
          'route your fetch through the proxy itself',
      ),
    );
  });
});

describe('a fetch of your own', () => {
  it('is called as it is: no dispatcher forced on it, the proxy variables not applied', async () => {
    const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
    const own: typeof fetch = async (input, init) => {
      calls.push({ url: String(input), init });
      return new Response(JSON.stringify({ limits: { normal: 240 } }), {
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = createClient({
      token: TOKEN,
      baseUrl: 'https://api.example.test',
      fetch: own,
      env: { HTTPS_PROXY: 'http://127.0.0.1:9' },
    });
    expect(await client.getRateLimits()).toEqual({ normal: 240 });
    expect(calls.map((call) => call.url)).toEqual(['https://api.example.test/api/ratelimits']);
    expect(calls[0]?.init).not.toHaveProperty('dispatcher');
  });

  it('gets its failures worded as the API’s, with no proxy named', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }),
      });
    };
    const client = createClient({
      token: TOKEN,
      baseUrl: 'https://api.example.test',
      fetch: refused,
      retry: { retries: 0 },
      env: { HTTPS_PROXY: PROXY },
    });
    const error = await caught(client.getRateLimits());
    expect(error.message).toBe(
      'Cannot reach the PlayCanvas API: GET https://api.example.test/api/ratelimits failed: ' +
        'the connection was refused (ECONNREFUSED) after 1 try; ' +
        'check the base URL (PLAYCANVAS_BASE_URL) and the network',
    );
  });
});
