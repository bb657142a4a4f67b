import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { startRedis, type TestRedis } from 'test-support';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { REDIS_COMMAND_TIMEOUT_MS } from '../src/budget/budget-store.js';
import { ConfigError, closeConnections, createClient, type ProgressEvent, resolveClientConfig } from '../src/index.js';
import { forgetBudgets, forgetBudgetWarning } from '../src/testing.js';
import { BUILD, clientFor, expectNoSecret, startMock, TOKEN } from './helpers.js';

const PASSWORD = 'budget-pw-3e9d';
let server: MockServer;
let redis: TestRedis;

beforeAll(async () => {
  server = await startMock();
  redis = await startRedis({ password: PASSWORD });
});
afterAll(async () => {
  await redis?.kill();
  await server?.close();
});
afterEach(() => {
  server.reset();
  forgetBudgets();
  forgetBudgetWarning();
});

/** A TCP server that takes connections and never answers: a Redis that hangs. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  tcp.listen(0, '127.0.0.1');
  await once(tcp, 'listening');
  return {
    url: `redis://:${PASSWORD}@127.0.0.1:${(tcp.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => tcp.close(resolve));
    },
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const tcp = createServer().listen(0, '127.0.0.1');
  await once(tcp, 'listening');
  const { port } = tcp.address() as AddressInfo;
  await new Promise((resolve) => tcp.close(resolve));
  return port;
}

/** The error a synchronous call throws. */
function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('it did not throw');
}

const warningsIn = (events: ProgressEvent[]) => events.filter((e) => e.type === 'warning');

it('a build with a shared budget connects to Redis only while it runs', async () => {
  const { client } = clientFor(server, { rateBudget: { redis: redis.url } });
  const result = await client.build(BUILD);
  await result.archive.dispose();
  const keys = await redis.cli('--scan', '--pattern', 'playcanvas:rate:*');
  expect(keys).toMatch(/playcanvas:rate:[0-9a-f]{32}:strict/);
  // the only client left is the redis-cli asking
  await expect.poll(async () => (await redis.cli('CLIENT', 'LIST')).trim().split('\n').length).toBe(1);
});

it(
  'an unreachable Redis: the build goes on with its own budget, ' +
    'and one warning per process says so without the password',
  async () => {
    const url = `redis://:${PASSWORD}@127.0.0.1:${await closedPort()}`;
    const { client, events } = clientFor(server, { rateBudget: { redis: url } });
    for (let i = 0; i < 2; i++) await (await client.build(BUILD)).archive.dispose();
    const warnings = warningsIn(events);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      message: expect.stringMatching(/^the shared rate budget at redis:\/\/127\.0\.0\.1:\d+ is unreachable \(/),
    });
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
    expectNoSecret(JSON.stringify(events));
  },
);

it('a Redis that never answers costs one command timeout, then the process keeps its own budget', async () => {
  const silent = await silentServer();
  try {
    const { client, events } = clientFor(server, { rateBudget: { redis: silent.url } });
    const started = performance.now();
    await (await client.build(BUILD)).archive.dispose();
    const ms = performance.now() - started;
    expect(warningsIn(events)).toHaveLength(1);
    expect(ms).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS + 3000);
  } finally {
    await closeConnections();
    await silent.close();
  }
});

it('a Redis URL is checked up front, from the option or PLAYCANVAS_RATE_REDIS, never showing a password', () => {
  const fromOption = thrown(() =>
    resolveClientConfig({ token: TOKEN, rateBudget: { redis: `http://:${PASSWORD}@cache:6379` } }),
  );
  expect(fromOption).toBeInstanceOf(ConfigError);
  expect(fromOption.message).toMatch(
    /^Option rateBudget\.redis must be a Redis URL such as redis:\/\/localhost:6379.*got the scheme http:/,
  );
  const fromEnv = thrown(() =>
    resolveClientConfig({ token: TOKEN, env: { PLAYCANVAS_RATE_REDIS: `cache:${PASSWORD}@6379` } }),
  );
  expect(fromEnv.message).toMatch(/^PLAYCANVAS_RATE_REDIS must be a Redis URL/);
  for (const error of [fromOption, fromEnv]) expect(error.message).not.toContain(PASSWORD);
  const unknown = thrown(() => resolveClientConfig({ token: TOKEN, rateBudget: { redis: redis.url, prefix: 'x' } }));
  expect(unknown.message).toMatch(/^Option rateBudget\.prefix is unknown; use redis, key/);
  // the variable applies when the option is absent; an empty one counts as unset
  expect(resolveClientConfig({ token: TOKEN, env: { PLAYCANVAS_RATE_REDIS: redis.url } }).rateBudget).toEqual({
    redis: redis.url,
    key: 'playcanvas:rate',
  });
  expect(resolveClientConfig({ token: TOKEN, env: { PLAYCANVAS_RATE_REDIS: '' } }).rateBudget).toBeUndefined();
  expect(createClient({ token: TOKEN, env: {}, rateBudget: { redis: redis.url, key: 'staging' } })).toBeDefined();
});
