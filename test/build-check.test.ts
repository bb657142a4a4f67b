import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BuildCheckError,
  type Checker,
  CheckSetupError,
  checkBuild,
  type Problem,
  parseHeadersFile,
} from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { cspStep, processFiles } from '@gulp-playcanvas/playcanvas-postprocess';
import {
  BROWSER,
  browserTest,
  buildFiles,
  buildFolder,
  openSharedChecker,
  SCRIPTS_RAN,
  STATIC_VARIANTS,
  startMock,
  tempDir,
  writeFolder,
} from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1, rateLimits: { strict: 1000 } });
});
afterAll(() => server.close());

// the run's one browser for the variants and the broken builds; the tests of checkBuild() launch their own
let checker: Checker;
beforeAll(async () => {
  if (BROWSER) checker = await openSharedChecker();
});
afterAll(() => checker?.close());

/** Small and quick: SwiftShader renders a 320×180 frame in a few milliseconds. */
const FAST = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 20_000 };

/**
 * The problems the check finds in a broken build, in the file's one browser (checkBuild's own launch is tested too).
 */
async function problemsOf(dir: string, options = {}): Promise<Problem[]> {
  try {
    await checker.check(dir, { ...FAST, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(BuildCheckError);
    return (error as BuildCheckError).problems;
  }
  throw new Error('the check passed');
}

// Each variant booted once for both packages: given its csp() first, so the boot also proves its policy lets it run
// (packages/postprocess/test/csp.test.ts tests the policy without a browser, and on the builds it changes).
describe('every static build of the mock boots in Chromium, under its csp() policy', () => {
  for (const [name, body] of STATIC_VARIANTS) {
    browserTest(name, async () => {
      const dir = await writeFolder((await processFiles(cspStep(), await buildFiles(server, body))).files);
      const result = await checker.check(dir, { ...FAST, until: SCRIPTS_RAN });
      expect(result).toMatchObject({ ok: true, problems: [], engineVersion: '2.23.3' });
      expect(result.frames).toBeGreaterThanOrEqual(5);
      const paths = result.requests.map((r) => new URL(r.url).pathname);
      expect(paths).toEqual(
        expect.arrayContaining(['/index.html', '/playcanvas-stable.min.js', '/config.json', '/2000.json']),
      );
      expect(result.requests.every((r) => r.status === 200 || new URL(r.url).pathname === '/favicon.ico')).toBe(true);
    });
  }

  browserTest('takes a screenshot of the running app', async () => {
    const dir = await buildFolder(server);
    const shot = join(await tempDir('shot-'), 'boot.png');
    const result = await checkBuild(dir, { screenshot: shot });
    expect(result.screenshot).toBe(shot);
    expect((await readFile(shot)).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('a build broken on purpose fails with the problem that broke it', () => {
  browserTest(
    'a secret in a URL the page uses (a key in a query, credentials, a signature) is in no problem and no message',
    async () => {
      const dir = await buildFolder(server);
      const start = join(dir, '__start__.js');
      await writeFile(
        start,
        `${await readFile(start, 'utf8')}\nfetch('missing.json?api-key=KEY-SECRET-1');\nconsole.error('see ` +
          `https://user:PASS-SECRET-2@example.invalid/a?sig=SIG-SECRET-3');\n`,
      );
      let error: unknown;
      await checkBuild(dir, FAST).catch((e: unknown) => {
        error = e;
      });
      expect(error).toBeInstanceOf(BuildCheckError);
      const { problems, message } = error as BuildCheckError;
      expect(problems).toContainEqual(
        expect.objectContaining({
          kind: 'failed-request',
          status: 404,
          url: expect.stringMatching(/\/missing\.json$/),
        }),
      );
      expect(message).toContain('see https://example.invalid/a');
      expect(JSON.stringify(problems) + message).not.toMatch(/SECRET/);
    },
  );

  browserTest('a missing script file: a failed request', async () => {
    const dir = await buildFolder(server);
    await rm(join(dir, 'files/assets/3000/2/player.js'));
    const problems = await problemsOf(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({
        kind: 'failed-request',
        status: 404,
        url: expect.stringMatching(/\/files\/assets\/3000\/2\/player\.js$/),
      }),
    );
  });

  browserTest('a script that throws: an uncaught exception', async () => {
    const dir = await buildFolder(server);
    await writeFile(join(dir, 'files/assets/3000/2/player.js'), "throw new Error('boom in player.js');\n");
    const problems = await problemsOf(dir);
    expect(problems).toContainEqual({ kind: 'exception', message: 'boom in player.js' });
  });

  browserTest('a Content-Security-Policy without the inline styles the build adds: violations, named', async () => {
    const dir = await buildFolder(server);
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    await writeFile(
      join(dir, 'index.html'),
      html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="default-src 'self'">`),
    );
    const problems = await problemsOf(dir);
    const violations = problems.filter((p) => p.kind === 'csp-violation');
    expect(violations).toContainEqual(expect.objectContaining({ directive: 'style-src-elem', blocked: 'inline' }));
  });

  browserTest('a policy from a _headers file (as static hosts apply it) is enforced too', async () => {
    const dir = await buildFolder(server);
    await writeFile(
      join(dir, '_headers'),
      "/*\n  Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'none'\n",
    );
    const problems = await problemsOf(dir, { timeout: 8000 });
    expect(problems).toContainEqual(
      expect.objectContaining({
        kind: 'csp-violation',
        directive: 'connect-src',
        blocked: expect.stringMatching(/\/config\.json$/),
      }),
    );
    // the app was created, but without its config it never loaded a scene
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'timeout', stage: 'scene' }));
  });

  browserTest(
    'the web app manifest is fetched as a phone would: a missing one, or one the policy refuses, is reported',
    async () => {
      const dir = await buildFolder(server);
      await rm(join(dir, 'manifest.json'));
      expect(await problemsOf(dir)).toContainEqual(
        expect.objectContaining({
          kind: 'failed-request',
          url: expect.stringMatching(/\/manifest\.json$/),
          status: 404,
        }),
      );
      const refused = await buildFolder(server);
      const policy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; connect-src 'self'";
      await writeFile(join(refused, '_headers'), `/*\n  Content-Security-Policy: ${policy}\n`);
      expect(await problemsOf(refused)).toEqual([
        { kind: 'csp-violation', directive: 'manifest-src', blocked: expect.stringMatching(/\/manifest\.json$/) },
      ]);
    },
  );

  browserTest('a page that never starts: a timeout naming how far it got', async () => {
    const dir = await buildFolder(server);
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    await writeFile(
      join(dir, 'index.html'),
      html.replace('<script src="__start__.js"></script>', '').replace('<script src="__loading__.js"></script>', ''),
    );
    const problems = await problemsOf(dir, { timeout: 3000 });
    expect(problems[0]).toEqual({ kind: 'timeout', stage: 'app', waitedMs: expect.any(Number) });
    expect((problems[0] as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(3000);
    // on a loaded machine the reads after the timeout may outlast the grace: then the page is also said to be busy
    expect(problems.slice(1)).toEqual(
      problems.length > 1 ? [expect.objectContaining({ kind: 'timeout', stage: 'busy' })] : [],
    );
  });

  browserTest('the error lists every problem in words', async () => {
    const dir = await buildFolder(server);
    await rm(join(dir, 'config.json'));
    const error = await checkBuild(dir, { ...FAST, timeout: 4000 }).catch((e: unknown) => e as BuildCheckError);
    expect(error).toBeInstanceOf(BuildCheckError);
    expect((error as BuildCheckError).message).toMatch(
      new RegExp(
        String.raw`^The build did not boot cleanly \(\d+ problems?\):\n {2}- request failed: ` +
          String.raw`http:\/\/127\.0\.0\.1:\d+\/config\.json \(404 Not Found\)`,
      ),
    );
    expect((error as BuildCheckError).result.ok).toBe(false);
  });
});

describe('when the check cannot run, it says why and what to do', () => {
  it('no browser where one is named', async () => {
    const error = (await checkBuild('.', { browser: '/nonexistent/chromium' }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CheckSetupError);
    expect(error.message).toBe(
      'The browser /nonexistent/chromium does not exist or cannot be run: install Chromium (Debian/Ubuntu: ' +
        'sudo apt-get install -y chromium; macOS: install Google Chrome) ' +
        'or give its path with the browser option or the CHROME_PATH environment variable',
    );
  });

  it.runIf(BROWSER)('no page to open', async () => {
    const error = (await checkBuild(new Map([['game.html', Buffer.from('<html></html>')]])).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(CheckSetupError);
    expect(error.message).toBe('The build has no index.html to open: check the files passed to the check');
  });

  it.runIf(BROWSER)('a wrong option', async () => {
    await expect(checkBuild('.', { frames: 0 })).rejects.toThrow(
      /^Check option frames must be a positive number; got 0$/,
    );
    await expect(checkBuild('.', { wait: 5 } as never)).rejects.toThrow(
      /^Check option wait is unknown; use browser, frames/,
    );
  });
});

describe('_headers files', () => {
  it('apply their headers by path pattern', () => {
    const rules = parseHeadersFile(
      "# comment\n/*\n  X-Frame-Options: DENY\n/index.html\n  Content-Security-Policy: default-src 'self'\n",
    );
    expect(rules.map((r) => [r.pattern.test('/index.html'), r.pattern.test('/a/b.js'), r.headers])).toEqual([
      [true, true, [['X-Frame-Options', 'DENY']]],
      [true, false, [['Content-Security-Policy', "default-src 'self'"]]],
    ]);
  });
});
