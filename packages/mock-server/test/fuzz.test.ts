import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_TOKEN, type MockServer, startMockServer } from '../src/index.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ pollsToComplete: 1, rateLimits: { normal: 1_000_000, strict: 1_000_000 } });
});
afterAll(() => server.close());

interface RawResponse {
  status: number;
  contentType: string;
  body: string;
}

function send(method: string, path: string, h: Record<string, string>, body: string | undefined): Promise<RawResponse> {
  const url = new URL(server.url);
  // Node's client frames a DELETE, OPTIONS or HEAD body with no length at all; the server would then read the
  // body as a second request on the connection. Real clients send Content-Length, so this one does too.
  const headers = body === undefined ? h : { ...h, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: text }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const VALID_BODY = {
  project_id: 1000,
  name: 'Space Race',
  scenes: [2000, 2001],
  branch_id: '8f5a0c3e-0000-4000-8000-000000000002',
  format: 'static',
};
const segment = fc.oneof(
  fc.constantFrom(
    'api',
    'apps',
    'download',
    'jobs',
    'projects',
    '1000',
    '1001',
    'export',
    'branches',
    'scenes',
    'app',
    'apps',
    'ratelimits',
    'downloads',
    '__mock',
    '500001',
    ':1234',
    '..',
    '.',
    '%00',
    '%2e%2e',
    '',
  ),
  fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)),
  fc.integer().map(String),
);
const path = fc
  .tuple(
    fc.array(segment, { minLength: 0, maxLength: 5 }),
    fc.option(
      fc.string({ maxLength: 20 }).map((q) => `?${encodeURIComponent(q).replace(/%3D/g, '=').replace(/%26/g, '&')}`),
    ),
  )
  .map(([segments, query]) => `/${segments.join('/')}${query ?? ''}`);
const apiPath = fc.oneof(
  path,
  fc.constantFrom(
    '/api/apps/download',
    '/api/jobs/500001',
    '/api/projects/1000/export',
    '/api/projects/1000/branches?skip=x&limit=abc',
    '/api/projects/1000/scenes?branchId=',
    '/api/projects/1000/app',
    '/api/projects/1000/apps?limit=-1&skip=1e9',
    '/api/ratelimits',
    '/api/projects/1000/branches?limit=1&limit=2',
  ),
);
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const mutatedBody = fc
  .record({
    key: fc.constantFrom(
      ...Object.keys(VALID_BODY),
      'description',
      'version',
      'release_notes',
      'scripts_minify',
      'engine_version',
      'preload_bundle',
      '__proto__',
      'constructor',
    ),
    value: jsonValue,
  })
  .map(({ key, value }) => JSON.stringify({ ...VALID_BODY, [key]: value }));
const body = fc.option(
  fc.oneof(
    jsonValue.map((v) => JSON.stringify(v)),
    mutatedBody,
    fc.string({ maxLength: 200 }),
    fc.constant('{"project_id": 1000,'),
  ),
  { nil: undefined },
);
const headers = fc.record(
  {
    authorization: fc.oneof(
      fc.constant(`Bearer ${DEFAULT_TOKEN}`),
      fc.constant('Bearer mock-other-token'),
      fc.string({ maxLength: 30 }).map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, 'x')}`),
      fc.constant('Basic abc'),
    ),
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
    ),
    'content-encoding': fc.constantFrom('identity', 'gzip', 'br'),
  },
  { requiredKeys: [] },
);

it('random and mutated requests never crash the mock, never get a 500, always get a JSON error body', async () => {
  let ran = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      apiPath,
      headers,
      body,
      async (method, p, h, b) => {
        ran += 1;
        const res = await send(method, p, h, ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? b : undefined);
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).not.toBe(500);
        expect(res.status).toBeLessThan(600);
        if (method === 'HEAD' || res.contentType.includes('application/zip')) return;
        expect(res.contentType).toMatch(/^application\/json/);
        const parsed = JSON.parse(res.body);
        if (res.status >= 400) expect(typeof parsed.error).toBe('string');
      },
    ),
    { numRuns: 600, interruptAfterTimeLimit: 20_000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
  );
  // the server still answers afterwards
  expect((await send('GET', '/api/ratelimits', { authorization: `Bearer ${DEFAULT_TOKEN}` }, undefined)).status).toBe(
    200,
  );
  console.log(`mock fuzzing: ${ran} requests`);
  expect(ran).toBeGreaterThan(100);
}, 60_000);

it('answers a JSON 400 to bytes that are not HTTP at all', async () => {
  const { connect } = await import('node:net');
  const url = new URL(server.url);
  const answer = await new Promise<string>((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
    let text = '';
    socket.on('data', (d) => {
      text += d;
    });
    socket.on('close', () => resolve(text));
  });
  expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\nContent-Type: application\/json/);
  expect(JSON.parse(answer.split('\r\n\r\n')[1] as string).error).toMatch(/^Malformed HTTP request \(HPE_/);
});
