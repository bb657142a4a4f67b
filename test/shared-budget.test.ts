import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FREE_LIMITS,
  type MockNamespace,
  type MockServer,
  startMockServer,
} from '@gulp-playcanvas/playcanvas-mock-server';
import { startRedis, type TestRedis } from 'test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtures, TOKEN, tempDir } from './helpers.js';

/**
 * The rate budget shared through a real Redis by separate OS processes: the real CLI, five at once, against one
 * mock whose strict class allows STRICT build starts a window. The journal of the mock is the witness. The
 * processes start together behind a barrier, but a loaded machine may still spread their first requests over
 * two windows: five starts in at most two windows of 2 are at least one too many, so the run without Redis
 * always shows a 429, whichever way they fall.
 */
const BIN = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const BARRIER = fileURLToPath(new URL('./fixtures/budget/barrier.mjs', import.meta.url));
const SECOND_TOKEN = 'test-second-token-5c2a9e';
const PASSWORD = 'redis-secret-pw-71f0';
const PROCESSES = 5;
const STRICT = 2;
const WINDOW_MS = 3000;

let server: MockServer;
let redis: TestRedis;
let namespaces = 0;

beforeAll(async () => {
  const f = fixtures();
  f.tokens.push({ token: SECOND_TOKEN, userId: 100, projects: [1000] });
  server = await startMockServer({ fixtures: f, pollsToComplete: 3, clock: { mode: 'realtime' } });
  redis = await startRedis({ password: PASSWORD });
});
afterAll(async () => {
  await redis?.kill();
  await server?.close();
});

/**
 * A namespace of its own per test (its own journal and windows), at the free plan's limits but STRICT starts a window.
 */
function freshMock(): MockNamespace {
  namespaces += 1;
  const ns = server.namespace(`budget-${namespaces}`);
  ns.setRateLimits({ ...FREE_LIMITS, strict: STRICT }, WINDOW_MS);
  return ns;
}

/** Waits for the start of the mock's next window. */
async function nextWindow(ns: MockNamespace): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS - (ns.now() % WINDOW_MS) + 20));
}

interface Run {
  code: number | null;
  stderr: string;
  /** From the barrier's opening to the process's end. */
  ms: number;
}

/**
 * Builds by the real CLI, each in a process of its own. Each process loads, then waits at a barrier (a preload
 * that waits for a file): the barrier opens at the start of one of the mock's windows, so their first requests
 * land in one window however long each took to start.
 */
async function builds(
  ns: MockNamespace,
  each: Array<{ token?: string; redis?: string; key?: string }>,
): Promise<Run[]> {
  const dir = await tempDir('budget-');
  const barrier = join(dir, 'go');
  let opened = 0;
  const ready: Array<Promise<void>> = [];
  const runs = each.map(async (options, i) => {
    const cwd = join(dir, `p${i}`);
    await mkdir(cwd);
    const args = [
      '--import',
      BARRIER,
      BIN,
      'build',
      '--project-id',
      '1000',
      '--name',
      'Space Race',
      '--scenes',
      '2000',
      '--out',
      'build',
    ];
    args.push('--base-url', ns.url, '--poll-initial-delay-ms', '50', '--poll-max-delay-ms', '100');
    if (options.redis) args.push('--rate-redis', options.redis);
    if (options.key) args.push('--rate-key', options.key);
    const child = spawn(process.execPath, args, {
      cwd,
      env: {
        ...process.env,
        PLAYCANVAS_API_KEY: options.token ?? TOKEN,
        PLAYCANVAS_RATE_REDIS: '',
        BUDGET_BARRIER: barrier,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    ready.push(
      new Promise((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
          if (stderr.includes('barrier: ready\n')) resolve();
        });
      }),
    );
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stderr: stderr.replace('barrier: ready\n', ''), ms: Math.round(performance.now() - opened) };
  });
  await Promise.all(ready);
  await nextWindow(ns);
  opened = performance.now();
  await writeFile(barrier, '');
  return Promise.all(runs);
}

const tooMany = (ns: MockNamespace) => ns.journal().filter((e) => e.status === 429);
const starts = (ns: MockNamespace) => ns.journal().filter((e) => e.route === 'apps.download' && e.status < 300);
const warnings = (run: Run) => run.stderr.split('\n').filter((l) => l.includes('shared rate budget'));

it(`${PROCESSES} processes on one Redis start builds at the strict limit with no 429; ` +
  `without Redis the same builds meet 429s`, async () => {
  const shared = freshMock();
  const withRedis = await builds(shared, Array(PROCESSES).fill({ redis: redis.url }));
  for (const run of withRedis) expect(run.code, run.stderr).toBe(0);
  expect(tooMany(shared)).toEqual([]);
  expect(starts(shared)).toHaveLength(PROCESSES);
  // never more than STRICT starts in one window of the mock's clock; the builds past it waited, and said so
  const perWindow = new Map<number, number>();
  for (const start of starts(shared)) {
    const window = Math.floor(Date.parse(start.at) / WINDOW_MS);
    perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
  }
  expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(STRICT);
  expect(
    withRedis.filter((run) => /waiting [\d.]+ s for the API's strict rate-limit window/.test(run.stderr)).length,
  ).toBeGreaterThanOrEqual(1);

  const alone = freshMock();
  const withoutRedis = await builds(alone, Array(PROCESSES).fill({}));
  for (const run of withoutRedis) expect(run.code, run.stderr).toBe(0);
  // each process first sends its start unannounced: the mock refuses those past the STRICT a window it allows
  expect(tooMany(alone).length).toBeGreaterThanOrEqual(1);
  console.info(
    `shared budget: 429s with Redis ${tooMany(shared).length}, without ${tooMany(alone).length}; ` +
      `ms per process with Redis ${withRedis.map((r) => r.ms).join(', ')}, ` +
      `without ${withoutRedis.map((r) => r.ms).join(', ')}`,
  );
}, 30_000);

it('two tokens draw from two budgets, keyed by a digest: ' +
  'the token never reaches Redis, and the keys expire', async () => {
  const ns = freshMock();
  const watch = await redis.monitor();
  const first = { redis: redis.url, key: 'two-tokens' };
  const second = { redis: redis.url, key: 'two-tokens', token: SECOND_TOKEN };
  const runs = await builds(ns, [first, first, second, second]);
  const seen = await watch.stop();
  for (const run of runs) expect(run.code, run.stderr).toBe(0);
  // STRICT starts a window for each token: nobody had to wait, and nobody was refused
  for (const run of runs) expect(run.stderr).not.toMatch(/strict rate-limit window/);
  expect(tooMany(ns)).toEqual([]);
  const keys = (await redis.cli('--scan', '--pattern', 'two-tokens:*')).split('\n').filter(Boolean);
  // one budget per token and class, under the --rate-key prefix
  const strict = keys.filter((k) => /^two-tokens:[0-9a-f]{32}:strict$/.test(k));
  expect(strict).toHaveLength(2);
  expect(keys.filter((k) => /^two-tokens:[0-9a-f]{32}:normal$/.test(k))).toHaveLength(2);
  for (const key of keys) {
    const ttl = Number(await redis.cli('PTTL', key));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
  }
  expect(seen).toMatch(/"evalsha"/i);
  for (const secret of [TOKEN, SECOND_TOKEN]) expect(seen).not.toContain(secret);
  for (const run of runs) expect(run.stderr).not.toContain(PASSWORD);
}, 30_000);

it('Redis killed mid-run: every build still finishes, ' +
  'each process warns once, and the password is never shown', async () => {
  const ns = freshMock();
  const doomed = await startRedis({ password: PASSWORD });
  const runs = builds(ns, Array(PROCESSES).fill({ redis: doomed.url }));
  // once the first builds have started, the rest wait for the next window: Redis dies meanwhile
  while (starts(ns).length < STRICT) await new Promise((resolve) => setTimeout(resolve, 20));
  await doomed.kill();
  const done = await runs;
  for (const run of done) expect(run.code, run.stderr).toBe(0);
  expect(starts(ns)).toHaveLength(PROCESSES);
  for (const run of done) {
    expect(warnings(run).length, run.stderr).toBeLessThanOrEqual(1);
    expect(run.stderr).not.toContain(PASSWORD);
  }
  // the processes still waiting for the window met the dead Redis, and said so
  expect(done.filter((run) => warnings(run).length === 1).length).toBeGreaterThanOrEqual(PROCESSES - STRICT);
  expect(warnings(done.find((run) => warnings(run).length === 1) as Run)[0]).toMatch(
    new RegExp(
      String.raw`^playcanvas-build: warning: the shared rate budget at redis:\/\/127\.0\.0\.1:\d+ is ` +
        String.raw`unreachable \(.+\): this process keeps its own budget`,
    ),
  );
}, 30_000);
