import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
// the light entry: the browser driver, slow to load, stays out of the many tests that never start a browser
import { findBrowser, INSTALL_HINT } from '@gulp-playcanvas/playcanvas-build-check/options';
import { type MockServer, type StartOptions, startMockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import JSZip from 'jszip';
import { expect, it } from 'vitest';
import { fixtures, TOKEN } from './projects.js';

export {
  EDITOR_LAYOUTS,
  fixtures,
  fixturesWith,
  fixturesWithBrokenProject,
  LAYOUT_ENGINE,
  layoutFixtures,
  OUTSIDER_TOKEN,
  STATIC_VARIANTS,
  TOKEN,
} from './projects.js';

/**
 * The mock with the test project: jobs complete on their second poll, branch lists come one branch a page.
 * Each test file owns its mock and runs its tests one after another, so a reset may start the job ids again
 * (every test sees job 500001); a mock shared by concurrent runs must not (the mock's default).
 */
export function startMock(options: StartOptions = {}): Promise<MockServer> {
  return startMockServer({
    fixtures: fixtures(),
    pollsToComplete: 2,
    branchPageSize: 1,
    resetRestartsJobIds: true,
    ...options,
  });
}

/** Retries and polls in milliseconds, not seconds: failure tests stay fast. */
export const FAST = {
  retry: { baseDelayMs: 10, maxDelayMs: 40, retries: 3 },
  poll: { initialDelayMs: 5, maxDelayMs: 20 },
};

export const BUILD = { projectId: 1000, name: 'Space Race', scenes: [2000] };

export async function tempDir(prefix = 'test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export { expectSameFiles, type FileFacts, filesUnder, servedFiles } from './file-facts.js';

/** Where the last job's archive is served. */
export function lastArchiveUrl(server: MockServer): string {
  const url = server.jobs().at(-1)?.archiveUrl;
  if (!url) throw new Error('no job with an archive');
  return url;
}

/** Fails when the token (or another secret) shows in an error's message, stack, properties, cause or inspection. */
export function expectNoSecret(value: unknown, secret: string = TOKEN): void {
  const texts = [inspect(value, { depth: 8, showHidden: true })];
  if (value instanceof Error) texts.push(value.message, value.stack ?? '', String(value));
  try {
    texts.push(JSON.stringify(value, Object.getOwnPropertyNames(value ?? {})));
  } catch {
    // circular: the inspection covers it
  }
  for (const text of texts) expect(text).not.toContain(secret);
}

/** The rejection of a promise, checked for the token; fails when it resolves. */
export async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expectNoSecret(error);
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** gulplog is an event emitter (glogg) whose typings leave out on/off: what the tests listen with. */
export const gulpLog = (await import('gulplog')).default as unknown as {
  on(level: 'info' | 'warn', listener: (line: string) => void): void;
  off(level: 'info' | 'warn', listener: (line: string) => void): void;
};

/** Lines gulplog printed while `run` ran. */
export async function logLines<T>(
  run: () => Promise<T>,
): Promise<{ lines: string[]; result: T | undefined; error: unknown }> {
  const lines: string[] = [];
  const capture = (line: string) => lines.push(line);
  gulpLog.on('info', capture);
  gulpLog.on('warn', capture);
  try {
    return { lines, result: await run(), error: undefined };
  } catch (error) {
    return { lines, result: undefined, error };
  } finally {
    gulpLog.off('info', capture);
    gulpLog.off('warn', capture);
  }
}

// --- builds on disk, and the browser tests

/** Starts a build on the mock, waits for it and unpacks its archive into a fresh folder; returns the folder. */
/** The files of a build the mock makes (POST /api/apps/download with `body`, then its archive), in memory. */
export async function buildFiles(
  server: MockServer,
  body: Record<string, unknown> = {},
  token = TOKEN,
): Promise<Map<string, Buffer>> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const res = await fetch(`${server.url}/api/apps/download`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ project_id: 1000, name: 'Space Race', scenes: [2000, 2001], ...body }),
  });
  if (res.status !== 201) throw new Error(`the mock did not start the build: ${res.status} ${await res.text()}`);
  const started = (await res.json()) as { id: number };
  for (let poll = 0; poll < 50; poll++) {
    const job = (await (await fetch(`${server.url}/api/jobs/${started.id}`, { headers })).json()) as {
      status: string;
      data: { download_url?: string };
    };
    if (job.status === 'error') throw new Error(`the mock's job failed: ${JSON.stringify(job)}`);
    if (job.status !== 'complete' || !job.data.download_url) continue;
    const zip = await JSZip.loadAsync(Buffer.from(await (await fetch(job.data.download_url)).arrayBuffer()));
    const files = new Map<string, Buffer>();
    for (const file of Object.values(zip.files)) if (!file.dir) files.set(file.name, await file.async('nodebuffer'));
    return files;
  }
  throw new Error(`job ${started.id} did not complete`);
}

/** Writes files (paths as in a build) under a new temp folder, and returns it. */
export async function writeFolder(files: ReadonlyMap<string, Buffer | string>): Promise<string> {
  const dir = await tempDir('build-');
  for (const [name, contents] of files) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), contents);
  }
  return dir;
}

/** A build the mock makes, extracted into a temp folder. */
export async function buildFolder(
  server: MockServer,
  body: Record<string, unknown> = {},
  token = TOKEN,
): Promise<string> {
  return writeFolder(await buildFiles(server, body, token));
}

/** Every script of the test project ran (each pushes its name when initialized). */
export const SCRIPTS_RAN = "Array.isArray(window.__scriptsRan) && window.__scriptsRan.includes('player')";

/** Chromium for the browser tests, if this machine has one. */
export const BROWSER = findBrowser();
/** Set to 1 to skip the browser tests on a machine without Chromium; the summary line then says they were skipped. */
export const SKIP_BROWSER_VARIABLE = 'PLAYCANVAS_SKIP_BROWSER_TESTS';

/**
 * A test that needs a real browser: it runs where Chromium is; where it is not, it fails with the install
 * hint, unless PLAYCANVAS_SKIP_BROWSER_TESTS=1 says to skip it (and the run's summary line reports that).
 */
export function browserTest(name: string, fn: () => Promise<void>, timeout = 60_000): void {
  if (BROWSER) it(name, fn, timeout);
  else if (process.env[SKIP_BROWSER_VARIABLE] === '1') it.skipIf(true)(name, fn);
  else
    it(name, () => {
      throw new Error(
        `This test boots a build in Chromium, and there is none: ${INSTALL_HINT}; ` +
          `or set ${SKIP_BROWSER_VARIABLE}=1 to skip the browser tests`,
      );
    });
}

// --- corporate networks: certificates and a proxy

export { type KeyPair, makeCertificates, type TestCertificates } from './certificates.js';
export { type ProxyLogEntry, type ProxyOptions, startProxy, type TestProxy } from './proxy.js';
export { eventually, settled } from './settle.js';

/** A loopback port nothing listens on (just closed): a dead server or proxy. */
export async function unusedPort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, in the order they came. */
  output: string;
}

/**
 * Runs a program as a user's shell would: a child process with only the environment given (plus PATH and
 * HOME, so nothing of the test runner's leaks in), its output collected. `onOutput` sees the output so far
 * after each chunk (to interrupt it at a moment, say).
 */
export function runProcess(
  command: string,
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string>;
    onOutput?: (output: string, child: ChildProcess) => void;
  } = {},
): Promise<ProcessRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: ProcessRun = { code: null, signal: null, stdout: '', stderr: '', output: '' };
    const collect = (to: 'stdout' | 'stderr') => (chunk: Buffer) => {
      run[to] += chunk;
      run.output += chunk;
      options.onOutput?.(run.output, child);
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    child.on('close', (code, signal) => resolve({ ...run, code, signal }));
  });
}

export { BLANK_PROJECT, DRAW_NOTHING_SCRIPT, drawNothing } from './blank.js';
export { flagsAndVariablesIn, type HostNames, type Named, namesIn, namesMissing, optionsInReadme } from './names.js';
export { plantedCode } from './planted-code.js';
export { descendants, stillRunning } from './processes.js';
export { REDIS_INSTALL_HINT, startRedis, type TestRedis } from './redis.js';
export { openSharedChecker } from './shared-browser.js';
