import { describe, expect, it } from 'vitest';
import { OptionsError, type StartOptions, startMockServer } from '../src/index.js';
import { call, completeBuild, withServer } from './helpers.js';

describe('startMockServer options', () => {
  it('log: false means no log, and the mock answers and goes on answering', async () => {
    await withServer({ log: false }, async (server) => {
      for (let i = 0; i < 3; i++) expect((await call(server, 'GET', '/api/ratelimits')).status).toBe(200);
      // the log line is written once the answer is sent: give a crash the time to happen
      await new Promise((r) => setTimeout(r, 20));
      expect((await completeBuild(server)).status).toBe('complete');
    });
  });

  it('log: a function gets one line per request', async () => {
    const lines: string[] = [];
    await withServer({ log: (line) => lines.push(line) }, async (server) => {
      await call(server, 'GET', '/api/ratelimits');
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(lines).toEqual([expect.stringMatching(/^GET \/api\/ratelimits 200 \d+ms$/)]);
  });

  it.each<[string, unknown, RegExp]>([
    ['log', 'yes', /^startMockServer: log must be a function taking one line, or false for no log; got "yes"$/],
    ['port', 70_000, /^startMockServer: port must be an integer from 0 to 65535; got 70000$/],
    ['port', '3000', /^startMockServer: port must be an integer from 0 to 65535; got "3000"$/],
    ['host', '', /^startMockServer: host must be an address such as 127\.0\.0\.1; got ""$/],
    ['tls', { cert: 'x' }, /^startMockServer: tls\.key must be PEM text \(a string or a Buffer\); got undefined$/],
    ['tls', 'cert.pem', /^startMockServer: tls must be an object with cert, key; got "cert\.pem"$/],
    ['clock', { mode: 'fast' }, /^startMockServer: clock\.mode must be 'frozen' or 'realtime'; got "fast"$/],
    ['clock', { start: 'soon' }, /^startMockServer: clock\.start: not a date: soon/],
    ['clock', { begin: 0 }, /^startMockServer: unknown clock option "begin"; use start, mode$/],
    ['pollsToComplete', 0, /^startMockServer: pollsToComplete must be an integer from 1 to 1000000; got 0$/],
    [
      'rateLimits',
      { strict: -1 },
      /^startMockServer: rateLimits\.strict must be an integer from 0 to 1000000000; got -1$/,
    ],
    [
      'rateLimits',
      { fast: 1 },
      /^startMockServer: unknown rateLimits option "fast"; use normal, strict, assets, post, download$/,
    ],
    ['rateWindowMs', 10, /^startMockServer: rateWindowMs must be an integer from 1000 to 86400000; got 10$/],
    ['branchPageSize', 0, /^startMockServer: branchPageSize must be an integer from 1 to 1000; got 0$/],
    [
      'downloadBaseUrl',
      'cdn.example',
      /^startMockServer: downloadBaseUrl must be an http\(s\) origin such as https:\/\/cdn\.example\.com/,
    ],
    [
      'downloadBaseUrl',
      'http://cdn.example/',
      new RegExp(
        String.raw`^startMockServer: downloadBaseUrl must be an http\(s\) origin .* no trailing slash; ` +
          String.raw`got "http:\/\/cdn\.example\/"$`,
      ),
    ],
    [
      'bodyLimit',
      'lots',
      /^startMockServer: bodyLimit must be a byte count or a size such as '256kb' or '1mb'; got "lots"$/,
    ],
    [
      'journal',
      { maxEntries: 0 },
      /^startMockServer: journal\.maxEntries must be an integer from 1 to 10000000; got 0$/,
    ],
    ['resetRestartsJobIds', 'no', /^startMockServer: resetRestartsJobIds must be true or false; got "no"$/],
    ['namespaces', { max: 0 }, /^startMockServer: namespaces\.max must be an integer from 1 to 100000; got 0$/],
  ])('refuses %s = %j, naming the option and what it takes', async (name, value, message) => {
    await expect(startMockServer({ [name]: value } as StartOptions)).rejects.toThrow(message);
  });

  it('refuses an option it does not know (a typo would otherwise be ignored)', async () => {
    const typo = startMockServer({ pollToComplete: 1 } as StartOptions);
    await expect(typo).rejects.toThrow(OptionsError);
    await expect(startMockServer({ pollToComplete: 1 } as StartOptions)).rejects.toThrow(
      new RegExp(
        '^startMockServer: unknown option "pollToComplete"; the options are port, host, tls, ' +
          'fixtures, clock, pollsToComplete',
      ),
    );
  });

  it('takes every documented option with a good value', async () => {
    await withServer(
      {
        port: 0,
        host: '127.0.0.1',
        clock: { start: '2027-01-01T00:00:00Z', mode: 'frozen' },
        pollsToComplete: 1,
        defaultScenario: { outcome: 'complete', polls: 1 },
        rateLimits: { strict: 5 },
        rateWindowMs: 1000,
        branchPageSize: 10,
        downloadBaseUrl: 'http://127.0.0.1:9',
        bodyLimit: '1mb',
        journal: { maxEntries: 10, maxBodyBytes: 1000 },
        log: false,
        resetRestartsJobIds: true,
        namespaces: { max: 5, idleMs: 1000 },
      },
      async (server) => {
        expect((await completeBuild(server)).data.download_url).toMatch(
          /^http:\/\/127\.0\.0\.1:9\/downloads\/apps\/500001\//,
        );
      },
    );
  });

  it('resetRestartsJobIds: true restarts the ids after a reset, for a mock one sequential test file owns', async () => {
    await withServer({ resetRestartsJobIds: true, pollsToComplete: 1 }, async (server) => {
      expect((await completeBuild(server)).id).toBe(500001);
      server.reset();
      expect((await completeBuild(server)).id).toBe(500001);
    });
    await withServer({ pollsToComplete: 1 }, async (server) => {
      expect((await completeBuild(server)).id).toBe(500001);
      server.reset();
      expect((await completeBuild(server)).id).toBe(500002);
    });
  });
});
