import JSZip from 'jszip';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAULT_LIMITS, type FaultRule, type MockServer, startMockServer } from '../src/index.js';
import { call, completeBuild, fetchBytes } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ pollsToComplete: 1 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const script = (rule: unknown) => call(server, 'POST', '/__mock/faults', { token: null, body: rule });

describe('fault rules are bounded when scripted, so none can break the answers that follow', () => {
  it(
    'refuses a hostile entry named with 70,000 characters (400 naming the field and the limit); ' +
      'downloads go on working',
    async () => {
      const job = await completeBuild(server);
      const refused = await script({
        route: 'download',
        fault: { type: 'hostile-entry', entry: { kind: 'file', name: 'x'.repeat(70_000) } },
      });
      expect(refused).toMatchObject({
        status: 400,
        json: { error: 'Invalid fault rule: fault.entry.name is 70000 bytes long; at most 4096 (UTF-8)' },
      });
      expect((await call(server, 'GET', '/__mock/faults', { token: null })).json.faults).toEqual([]);
      const res = await fetch(job.data.download_url);
      expect(res.status).toBe(200);
      expect(Object.keys((await JSZip.loadAsync(await res.arrayBuffer())).files).length).toBeGreaterThan(3);
    },
  );

  it('serves a hostile entry whose name is exactly at the limit, multi-byte characters counted in bytes', async () => {
    const job = await completeBuild(server);
    const name = `${'é'.repeat(2047)}xy`;
    expect(Buffer.byteLength(name)).toBe(FAULT_LIMITS.nameBytes);
    expect(
      (await script({ route: 'download', fault: { type: 'hostile-entry', entry: { kind: 'file', name } }, times: 1 }))
        .status,
    ).toBe(201);
    const zip = await JSZip.loadAsync(await fetchBytes(job.data.download_url));
    expect(Object.keys(zip.files)).toContain(name);
    const over = await script({
      route: 'download',
      fault: { type: 'hostile-entry', entry: { kind: 'file', name: `${name}z` } },
    });
    expect(over.json.error).toBe('Invalid fault rule: fault.entry.name is 4097 bytes long; at most 4096 (UTF-8)');
  });

  it.each<[string, FaultRule, string]>([
    [
      'a symlink target',
      {
        route: 'download',
        fault: { type: 'hostile-entry', entry: { kind: 'symlink', name: 'l', target: '/'.repeat(5000) } },
      },
      'fault.entry.target is 5000 bytes long; at most 4096 (UTF-8)',
    ],
    [
      'a corrupt-entry name',
      { route: 'download', fault: { type: 'corrupt-entry', entry: 'n'.repeat(5000) } },
      'fault.entry is 5000 bytes long; at most 4096 (UTF-8)',
    ],
    [
      'a latency',
      { route: 'jobs.get', fault: { type: 'latency', ms: 3_600_001 } },
      'latency needs ms, a non-negative integer up to 3600000',
    ],
    [
      'a count',
      { route: 'jobs.get', fault: { type: 'reset' }, times: 1e12 },
      'times must be an integer from 0 to 1000000000',
    ],
    [
      'an error message',
      { route: 'jobs.get', fault: { type: 'status', status: 500, error: 'e'.repeat(10_001) } },
      'fault.error is 10001 characters long; at most 10000',
    ],
    [
      'a gzip bomb',
      { route: 'download', fault: { type: 'gzip-bomb', bytes: 2 ** 33 } },
      'gzip-bomb needs bytes, the size of the decoded body, from 1 to 4294967296',
    ],
    [
      'a truncation',
      { route: 'download', fault: { type: 'truncate', bytes: 2 ** 41 } },
      'truncate bytes must be an integer from 0 to 1099511627776',
    ],
    [
      'a Retry-After',
      { route: 'jobs.get', fault: { type: 'status', status: 429, retryAfter: 1e10 } },
      'retryAfter must be whole seconds, at most 1000000000',
    ],
    [
      'a body fault',
      { route: 'jobs.get', fault: { type: 'body', body: 'b'.repeat(1024 * 1024) } },
      'fault.body is 1048578 bytes as JSON; at most 1048576',
    ],
  ])('refuses %s past its bound', (_what, rule, message) => {
    expect(() => server.addFault(rule)).toThrow(`Invalid fault rule: ${message}`);
  });

  it('refuses a body fault that cannot be sent as JSON, instead of answering 500 on every request', async () => {
    const body: Record<string, unknown> = {};
    body.self = body;
    expect(() => server.addFault({ route: 'jobs.get', fault: { type: 'body', body } })).toThrow(
      /^Invalid fault rule: fault\.body cannot be sent as JSON: Converting circular structure to JSON/,
    );
    expect(() => server.addFault({ route: 'jobs.get', fault: { type: 'body', body: 10n } })).toThrow(
      /fault\.body cannot be sent as JSON/,
    );
    expect(server.journal()).toEqual([]);
    expect((await call(server, 'GET', '/api/ratelimits')).status).toBe(200);
  });
});
