import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { trustCaForTests } from '@gulp-playcanvas/playcanvas-rest-client/testing';
import gulp from 'gulp';
import {
  makeCertificates,
  runProcess,
  startProxy,
  type TestCertificates,
  type TestProxy,
  unusedPort,
} from 'test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILD, expectNoToken, FAST, filesUnder, logLines, startMock, TOKEN, tempDir } from './helpers.js';

// A CI runner behind an authenticating proxy with a private CA, for real: the gulp CLI in a child process
// (NODE_EXTRA_CA_CERTS is read only when Node starts), the mock over HTTPS, a real proxy on loopback.

const here = dirname(fileURLToPath(import.meta.url));
const gulpBin = join(dirname(createRequire(import.meta.url).resolve('gulp')), 'bin', 'gulp.js');
const mockCli = join(here, '..', 'packages', 'mock-server', 'dist', 'cli.js');
const USER = 'build-bot';
const PASSWORD = 'proxy-secret-5ae1';

let certs: TestCertificates;
let caFile: string;
let proxy: TestProxy;
beforeAll(async () => {
  certs = await makeCertificates();
  const dir = await tempDir('corporate-');
  caFile = join(dir, 'private-ca.pem');
  await writeFile(caFile, certs.ca);
  proxy = await startProxy({ credentials: { user: USER, password: PASSWORD } });
});
afterAll(() => proxy.close());

const servers: MockServer[] = [];
afterEach(async () => {
  proxy.log.length = 0;
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * The mock over HTTPS, its API on 127.0.0.1 and its download URLs on localhost: two origins for NO_PROXY to tell apart.
 */
async function httpsMock(cert = certs.server): Promise<MockServer> {
  const port = await unusedPort();
  const server = await startMock({ port, tls: cert, downloadBaseUrl: `https://localhost:${port}` });
  servers.push(server);
  return server;
}

/** The real gulp CLI on the ESM fixture gulpfile, with only the environment given here. */
async function gulpBuild(
  server: MockServer,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string; out: string }> {
  const out = await tempDir('corporate-out-');
  const gulpfile = join(here, 'fixtures', 'esm', 'gulpfile.mjs');
  const run = await runProcess(
    process.execPath,
    [gulpBin, '--gulpfile', gulpfile, '--cwd', dirname(gulpfile), 'build', '--no-color'],
    {
      env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url, OUT_DIR: out, ...env },
    },
  );
  return { code: run.code, output: run.output, out };
}

function expectNoCredentials(output: string): void {
  for (const secret of [PASSWORD, USER, TOKEN]) expect(output).not.toContain(secret);
}

describe('gulp on a CI runner behind a proxy, with a private CA', () => {
  it(
    'builds over HTTPS through the authenticating proxy, ' +
      'the NO_PROXY download host direct, trusting NODE_EXTRA_CA_CERTS',
    async () => {
      const server = await httpsMock();
      const run = await gulpBuild(server, {
        HTTPS_PROXY: proxy.urlWithCredentials,
        NO_PROXY: 'localhost',
        NODE_EXTRA_CA_CERTS: caFile,
      });
      expect(run.output).toMatch(/Finished 'build'/);
      expect(run.code).toBe(0);
      const files = await filesUnder(run.out);
      expect(files.has('index.html')).toBe(true);
      // The proxy's own record: the API calls went through it, with the credentials; the download did not.
      expect(new Set(proxy.tunnels())).toEqual(new Set([`127.0.0.1:${server.port}`]));
      expect(proxy.log.every((entry) => entry.credentials === 'right')).toBe(true);
      const download = server.journal().find((entry) => entry.route === 'download');
      // a range (the archive's end first): the archive is read while it arrives
      expect(download).toMatchObject({ status: 206, headers: { host: `localhost:${server.port}` } });
      expectNoCredentials(run.output);
    },
  );

  it('without NODE_EXTRA_CA_CERTS the same build fails and says to set it', async () => {
    const server = await httpsMock();
    const run = await gulpBuild(server, { HTTPS_PROXY: proxy.urlWithCredentials, NO_PROXY: 'localhost' });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      new RegExp(
        String.raw`GET https:\/\/127\.0\.0\.1:\d+\/api\/projects\/1000\/scenes failed the TLS check: ` +
          'the server’s certificate is signed by a CA not trusted here ' +
          String.raw`\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): .*start Node with NODE_EXTRA_CA_CERTS set to a ` +
          String.raw`file holding that CA’s certificate \(PEM\)`,
      ),
    );
    expect(proxy.tunnels()).toEqual([`127.0.0.1:${server.port}`]);
    expectNoCredentials(run.output);
  });

  it('a certificate for another host name fails, even with the CA trusted, naming the names it is for', async () => {
    const server = await httpsMock(certs.wrongHost);
    const run = await gulpBuild(server, { HTTPS_PROXY: proxy.urlWithCredentials, NODE_EXTRA_CA_CERTS: caFile });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      new RegExp(
        String.raw`failed the TLS check: the server’s certificate is for another host name \(it names ` +
          String.raw`wrong\.example\.test\) \(ERR_TLS_CERT_ALTNAME_INVALID\)`,
      ),
    );
    expectNoCredentials(run.output);
  });
});

describe('the plugin’s proxy option', () => {
  let untrust: () => void;
  beforeAll(() => {
    untrust = trustCaForTests(certs.ca);
  });
  afterAll(() => untrust());

  it('sends the build through the proxy it names', async () => {
    const server = await httpsMock();
    const out = await tempDir('corporate-out-');
    const { error } = await logLines(() =>
      pipeline(
        playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, ...BUILD, proxy: proxy.urlWithCredentials }),
        gulp.dest(out),
      ),
    );
    expect(error).toBeUndefined();
    expect(new Set(proxy.tunnels())).toEqual(new Set([`127.0.0.1:${server.port}`, `localhost:${server.port}`]));
    expect((await filesUnder(out)).has('index.html')).toBe(true);
  });

  it('a wrong password fails the stream: a PluginError naming the proxy; no credentials in it or the log', async () => {
    const server = await httpsMock();
    const wrong = proxy.urlWithCredentials.replace(encodeURIComponent(PASSWORD), 'not-the-password');
    const out = await tempDir('corporate-out-');
    const { lines, error } = await logLines(() =>
      pipeline(playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, ...BUILD, proxy: wrong }), gulp.dest(out)),
    );
    expect((error as Error).message).toMatch(
      new RegExp(
        String.raw`^The proxy http:\/\/127\.0\.0\.1:\d+ \(from the proxy option\) ` +
          String.raw`refused the user name and password in its URL \(407 Proxy Authentication Required\)`,
      ),
    );
    expect((error as { plugin?: string }).plugin).toBe('gulp-playcanvas');
    for (const secret of [PASSWORD, USER, 'not-the-password']) {
      expectNoToken(error, secret);
      expect(lines.join('\n')).not.toContain(secret);
    }
  });
});

describe('the mock over HTTPS', () => {
  it('serves with --tls-cert and --tls-key, its URLs in https', async () => {
    const dir = await tempDir('mock-tls-');
    await writeFile(join(dir, 'cert.pem'), certs.server.cert);
    await writeFile(join(dir, 'key.pem'), certs.server.key);
    const child = spawn(
      process.execPath,
      [
        mockCli,
        '--port',
        '0',
        '--quiet',
        '--polls',
        '1',
        '--tls-cert',
        join(dir, 'cert.pem'),
        '--tls-key',
        join(dir, 'key.pem'),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const first = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve),
      );
      expect(first).toMatch(/^listening on https:\/\/127\.0\.0\.1:\d+$/);
      const base = first.replace('listening on ', '');
      const request = (path: string, method = 'GET', body?: string) =>
        new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
          const req = httpsRequest(
            `${base}${path}`,
            {
              method,
              ca: certs.ca,
              headers: { authorization: 'Bearer mock-dev-token', 'content-type': 'application/json' },
            },
            (res) => {
              let text = '';
              res.on('data', (chunk) => {
                text += chunk;
              });
              res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      const started = await request(
        '/api/apps/download',
        'POST',
        JSON.stringify({ project_id: 1000, name: 'TLS', scenes: [2000] }),
      );
      expect(started.status).toBe(201);
      const job = await request(`/api/jobs/${started.json.id}`);
      expect((job.json.data as { download_url: string }).download_url).toMatch(
        new RegExp(`^${base.replace(/\./g, '\\.')}/downloads/`),
      );
    } finally {
      child.kill();
    }
  });

  it('refuses --tls-cert without --tls-key', async () => {
    const child = spawn(process.execPath, [mockCli, '--tls-cert', caFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10_000,
    });
    let stderr = '';
    child.stderr.on('data', (data) => {
      stderr += data;
    });
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(2);
    expect(stderr).toMatch(/--tls-cert and --tls-key go together: give both, or neither for plain HTTP/);
  });
});
