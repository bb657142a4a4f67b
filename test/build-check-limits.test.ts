import { chmod, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  BuildCheckError,
  CheckSetupError,
  checkBuild,
  openChecker,
  PathPattern,
  parseHeadersFile,
  serveBuild,
} from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { browserTest, buildFolder, descendants, startMock, stillRunning, tempDir } from 'test-support';
import { describe, expect, it } from 'vitest';

const CHECK_MODULE = pathToFileURL(
  createRequire(import.meta.url).resolve('@gulp-playcanvas/playcanvas-build-check'),
).href;

/** A folder holding one page. */
async function pageFolder(html: string): Promise<string> {
  const dir = await tempDir('page-');
  await writeFile(join(dir, 'index.html'), html);
  return dir;
}

/**
 * Runs a check, noting the processes started under this one since `before` was taken (by default: as it starts);
 * not those running before (in a worker shared with other test files, a Redis, say). The error it ended with, and
 * how long it took.
 */
async function watchedCheck(run: () => Promise<unknown>, earlier?: Set<number>) {
  const before = earlier ?? new Set(await descendants());
  const seen = new Set<number>();
  let running = true;
  const watching = (async () => {
    while (running) {
      for (const pid of await descendants()) if (!before.has(pid)) seen.add(pid);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })();
  const started = performance.now();
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - started;
  running = false;
  await watching;
  return { error, ms, seen: [...seen] };
}

/** The check ended by its own clock: the timeout, then the grace the page gets to answer (GRACE_MS, 5 s). */
function expectBusy(error: unknown, timeout: number): void {
  expect(error).toBeInstanceOf(BuildCheckError);
  const problems = (error as BuildCheckError).problems;
  // a page slower to load than the timeout (a loaded machine) answers how far it got first, then stops answering
  const busy = problems.at(-1) as { kind: string; stage: string; waitedMs: number };
  expect(busy).toEqual({ kind: 'timeout', stage: 'busy', waitedMs: expect.any(Number) });
  expect(problems.slice(0, -1)).toEqual(problems.length > 1 ? [expect.objectContaining({ kind: 'timeout' })] : []);
  expect(busy.waitedMs).toBeGreaterThanOrEqual(timeout);
  // timers fire late on a loaded machine: a second of slack
  expect(busy.waitedMs).toBeLessThan(timeout + 5000 + 1000);
  expect((error as BuildCheckError).message).toMatch(
    /timed out after \d+ ms: the page stopped answering, its main thread kept busy/,
  );
}

describe('the timeout holds whatever the page does', () => {
  const SPIN_WHILE_PARSED = '<html><body><script>while (true) {}</script></body></html>';
  const SPIN_AFTER_LOAD = '<html><body><script>setTimeout(() => { while (true) {} }, 200)</script></body></html>';

  // Launching Chromium and opening a page take seconds on a loaded machine, outside the timeout (which runs from
  // the navigation): the bound on the whole check is loose; before, the check never ended at all.
  browserTest(
    'a page whose main thread never yields: ended at the timeout plus the grace, Chromium gone',
    async () => {
      const dir = await pageFolder(SPIN_WHILE_PARSED);
      const { error, ms, seen } = await watchedCheck(() => checkBuild(dir, { timeout: 2000 }));
      expectBusy(error, 2000);
      expect(ms).toBeLessThan(30_000);
      expect(seen.length).toBeGreaterThan(0);
      expect(await stillRunning(seen)).toEqual([]);
    },
    60_000,
  );

  browserTest(
    'a page that spins once loaded, in a shared checker: its browser killed, the next check gets another',
    async () => {
      const server: MockServer = await startMock({ pollsToComplete: 1 });
      // the checker's browser counts, whenever it starts
      const before = new Set(await descendants());
      const checker = await openChecker();
      try {
        const dir = await pageFolder(SPIN_AFTER_LOAD);
        const { error, ms, seen } = await watchedCheck(() => checker.check(dir, { timeout: 2000 }), before);
        expectBusy(error, 2000);
        expect(ms).toBeLessThan(30_000);
        // the page's renderer went with its browser; the next check starts another
        expect(seen.length).toBeGreaterThan(0);
        expect(await stillRunning(seen)).toEqual([]);
        const result = await checker.check(await buildFolder(server), {
          frames: 5,
          viewport: { width: 320, height: 180 },
        });
        expect(result.ok).toBe(true);
      } finally {
        await checker.close();
        await server.close();
      }
    },
    90_000,
  );
});

/** GETs a path of the server with the Host header given; resolves to the status and body. */
function get(
  url: string,
  path: string,
  host?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const req = request(target, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the server serves the build folder and nothing else', () => {
  it('refuses symbolic links, whether they lead out of the folder or stay inside', async () => {
    const dir = await pageFolder('<html></html>');
    await mkdir(join(dir, 'files'));
    await writeFile(join(dir, 'files/app.js'), 'ok');
    await symlink('/etc', join(dir, 'etc-link'));
    await symlink('/etc/passwd', join(dir, 'passwd-link'));
    await symlink(join(dir, 'files'), join(dir, 'files-link'));
    await symlink(join(dir, 'index.html'), join(dir, 'page-link.html'));
    const served = await serveBuild(dir);
    try {
      expect((await get(served.url, '/files/app.js')).status).toBe(200);
      for (const path of [
        '/etc-link/passwd',
        '/passwd-link',
        '/files-link/app.js',
        '/page-link.html',
        '/%2e%2e/%2e%2e/etc/passwd',
      ])
        expect([path, (await get(served.url, path)).status]).toEqual([path, 404]);
    } finally {
      await served.close();
    }
  });

  it('answers only requests that name it as Host (a rebound DNS name is refused)', async () => {
    const served = await serveBuild(await pageFolder('<html>page</html>'));
    const port = new URL(served.url).port;
    try {
      expect(await get(served.url, '/', `127.0.0.1:${port}`)).toMatchObject({ status: 200, body: '<html>page</html>' });
      expect((await get(served.url, '/', `localhost:${port}`)).status).toBe(200);
      expect(await get(served.url, '/', `attacker.example:${port}`)).toMatchObject({
        status: 403,
        body: 'Forbidden: unknown Host',
      });
      expect((await get(served.url, '/', '127.0.0.1')).status).toBe(403);
    } finally {
      await served.close();
    }
  });
});

/** Runs `source` (a function body given `check`, the package, and `data`) in a worker; fails when it runs past `ms`. */
async function inWorker(source: string, data: unknown, ms: number): Promise<unknown> {
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     import(workerData.module).then(async (check) => { const data = workerData.data; ${source} })
       .then((answer) => parentPort.postMessage(answer));`,
    { eval: true, workerData: { module: CHECK_MODULE, data } },
  );
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
      worker.once('message', (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } finally {
    await worker.terminate();
  }
}

describe('_headers patterns are matched in linear time', () => {
  const PATHOLOGICAL = `/${'*'.repeat(35)}a`;

  it(
    'a line of stars: matched at once, rightly (in a worker, ' +
      'so that a backtracking matcher cannot stall the tests)',
    async () => {
      const answer = await inWorker(
        `const pattern = check.parseHeadersFile(data.line + '\\n  X-Test: yes\\n')[0].pattern;
       return ['/index.html', '/files/a', '/a', '/' + 'b'.repeat(5000)].map((path) => pattern.test(path));`,
        { line: PATHOLOGICAL },
        15_000,
      );
      expect(answer).toEqual([false, true, true, false]);
    },
  );

  it('the server answers at once with such a file in the build', async () => {
    const dir = await pageFolder('<html></html>');
    await writeFile(join(dir, '_headers'), `${PATHOLOGICAL}\n  X-Test: yes\n/*\n  X-All: 1\n`);
    const answer = await inWorker(
      `const served = await check.serveBuild(data.dir);
       const res = await fetch(served.url + 'index.html');
       await served.close();
       return [res.status, res.headers.get('x-all'), res.headers.get('x-test')];`,
      { dir },
      15_000,
    );
    expect(answer).toEqual([200, '1', null]);
  });

  it('splats match anything, placeholders one path segment', () => {
    const cases: Array<[string, string, boolean]> = [
      ['/*', '/', true],
      ['/*', '/a/b/c.js', true],
      ['/files/*', '/files/assets/1/a.png', true],
      ['/files/*', '/other/a.png', false],
      ['/*.js', '/a/b.js', true],
      ['/*.js', '/a/b.json', false],
      ['/index.html', '/index.html', true],
      ['/index.html', '/index.htm', false],
      ['/:page.html', '/index.html', true],
      ['/:page.html', '/a/index.html', false],
      ['/:page.html', '/.html', false],
      ['/files/:id/*', '/files/3000/2/player.js', true],
      ['/files/:id/*', '/files//x', false],
      ['/a.b+c(d)?', '/a.b+c(d)?', true],
      ['/a.b', '/axb', false],
      ['/:', '/:', true],
    ];
    expect(cases.map(([pattern, path]) => [pattern, path, new PathPattern(pattern).test(path)])).toEqual(cases);
    expect(parseHeadersFile('/:year/*\n  X: 1\n')[0]?.pattern.source).toBe('/:year/*');
  });
});

describe('a folder or page that does not exist is a usage error, before any browser starts', () => {
  /** A stand-in for Chromium that leaves a mark when it is started. */
  async function markingBrowser(): Promise<{ path: string; started: () => Promise<boolean> }> {
    const dir = await tempDir('browser-');
    const path = join(dir, 'chromium');
    await writeFile(path, `#!/bin/sh\ntouch "${join(dir, 'started')}"\nexit 1\n`);
    await chmod(path, 0o755);
    return { path, started: async () => (await readdir(dir)).includes('started') };
  }

  async function setupError(files: string, options: { page?: string } = {}): Promise<Error> {
    const browser = await markingBrowser();
    const started = performance.now();
    const error = (await checkBuild(files, { browser: browser.path, ...options }).catch((e: unknown) => e)) as Error;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await browser.started()).toBe(false);
    expect(error).toBeInstanceOf(CheckSetupError);
    expect((error as CheckSetupError).code).toBe('CHECK_SETUP');
    return error;
  }

  it('a folder that does not exist', async () => {
    expect((await setupError('/no/such/dir')).message).toBe(
      'The build folder /no/such/dir does not exist: give the folder that holds the extracted build (its index.html)',
    );
  });

  it('a file given for the folder', async () => {
    const dir = await pageFolder('<html></html>');
    expect((await setupError(join(dir, 'index.html'))).message).toBe(
      `The build folder ${join(dir, 'index.html')} is a file, not a folder: give the folder that holds it (${dir})`,
    );
  });

  it('a folder without the page, or whose page is a link', async () => {
    const dir = await pageFolder('<html></html>');
    expect((await setupError(dir, { page: 'game.html' })).message).toMatch(
      new RegExp(
        `^The build folder ${dir} has no game\\.html to open .*name the page to open \\(page option, --page\\)$`,
      ),
    );
    await symlink(join(dir, 'index.html'), join(dir, 'linked.html'));
    expect((await setupError(dir, { page: 'linked.html' })).message).toMatch(
      /has no linked\.html to open \(or it is a symbolic link/,
    );
  });

  browserTest('the same through a shared checker', async () => {
    const checker = await openChecker();
    try {
      await expect(checker.check('/no/such/dir')).rejects.toThrow(/^The build folder \/no\/such\/dir does not exist/);
    } finally {
      await checker.close();
    }
  });
});
