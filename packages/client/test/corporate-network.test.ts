import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import {
  FAST,
  makeCertificates,
  startProxy,
  type TestCertificates,
  type TestProxy,
  TOKEN,
  unusedPort,
} from 'test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, NetworkError } from '../src/index.js';
import { trustCaForTests } from '../src/testing.js';
import { BUILD, caught, clientFor, expectNoSecret, startMock } from './helpers.js';

// Real things on loopback: the mock over HTTPS (certificates from a test CA), a real forward proxy.
const USER = 'build-bot';
const PASSWORD = 'proxy-secret-5ae1';

let certs: TestCertificates;
let proxy: TestProxy;
beforeAll(async () => {
  certs = await makeCertificates();
  proxy = await startProxy({ credentials: { user: USER, password: PASSWORD } });
});
afterAll(() => proxy.close());

const servers: MockServer[] = [];
let untrust: (() => void) | undefined;
afterEach(async () => {
  untrust?.();
  untrust = undefined;
  proxy.log.length = 0;
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function httpsMock(cert = certs.server, options: Parameters<typeof startMock>[0] = {}): Promise<MockServer> {
  const server = await startMock({ tls: cert, ...options });
  servers.push(server);
  return server;
}

/** The API on 127.0.0.1 and its download URLs on localhost: two origins of one server, for NO_PROXY to tell apart. */
async function mockWithDownloadHost(): Promise<MockServer> {
  const port = await unusedPort();
  return httpsMock(certs.server, { port, downloadBaseUrl: `https://localhost:${port}` });
}

/** Nothing of the proxy's credentials anywhere in the error: message, stack, properties, cause. */
function expectNoCredentials(error: unknown): void {
  expectNoSecret(error, PASSWORD);
  expectNoSecret(error, USER);
  expectNoSecret(error, encodeURIComponent(PASSWORD));
}

describe('through a proxy', () => {
  it('builds over HTTPS via the proxy (CONNECT with credentials); the NO_PROXY download host goes direct', async () => {
    untrust = trustCaForTests(certs.ca);
    const server = await mockWithDownloadHost();
    const { client } = clientFor(server, {
      env: { HTTPS_PROXY: proxy.urlWithCredentials, NO_PROXY: 'example.test,localhost' },
    });
    const { archive } = await client.build(BUILD);
    expect(archive.size).toBeGreaterThan(0);
    await archive.dispose();
    // The proxy's own record: every API call tunnelled to 127.0.0.1 with the right credentials, none to localhost.
    expect(proxy.tunnels().length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels())).toEqual(new Set([`127.0.0.1:${server.port}`]));
    expect(proxy.log.every((entry) => entry.credentials === 'right')).toBe(true);
    // ...and the download reached the server all the same, on the other origin.
    const download = server.journal().find((entry) => entry.route === 'download');
    expect(download?.status).toBe(206); // a range: the archive is read while it arrives
    expect(download?.headers.host).toBe(`localhost:${server.port}`);
  });

  it('takes the proxy option over the environment, and with proxy: false ignores the environment', async () => {
    untrust = trustCaForTests(certs.ca);
    const server = await httpsMock();
    const other = await startProxy();
    try {
      const { client } = clientFor(server, { proxy: other.url, env: { HTTPS_PROXY: proxy.urlWithCredentials } });
      await client.listBranches(1000);
      expect(other.tunnels()).toContain(`127.0.0.1:${server.port}`);
      expect(proxy.log).toEqual([]);
      other.log.length = 0;
      const { client: direct } = clientFor(server, { proxy: false, env: { HTTPS_PROXY: proxy.urlWithCredentials } });
      expect(await direct.listBranches(1000)).not.toEqual([]);
      expect([...other.log, ...proxy.log]).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('a wrong proxy password fails at once: a 407 error that names the proxy, without the credentials', async () => {
    const server = await httpsMock();
    const wrong = proxy.urlWithCredentials.replace(encodeURIComponent(PASSWORD), 'not-the-password');
    const { client } = clientFor(server, { env: { HTTPS_PROXY: wrong } });
    const error = (await caught(client.startBuild(BUILD))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('NETWORK');
    expect(error.causeCode).toBe('PROXY_AUTH_REQUIRED');
    expect(error.message).toMatch(
      new RegExp(
        `^The proxy ${proxy.url.replace(/\./g, '\\.')} \\(from HTTPS_PROXY\\) ` +
          `refused the user name and password in its URL \\(407 Proxy Authentication Required\\), ` +
          `for POST https://127\\.0\\.0\\.1:\\d+/api/apps/download: correct them in HTTPS_PROXY`,
      ),
    );
    expect(error.message).not.toMatch(/PlayCanvas API|base URL/);
    expectNoCredentials(error);
    expectNoSecret(error, 'not-the-password');
    expect(proxy.log).toEqual([{ method: 'CONNECT', target: `127.0.0.1:${server.port}`, credentials: 'wrong' }]);
  });

  it('a proxy that asks for credentials when none were given says so', async () => {
    const server = await httpsMock();
    const { client } = clientFor(server, { proxy: proxy.url });
    const error = (await caught(client.listBranches(1000))) as NetworkError;
    expect(error.causeCode).toBe('PROXY_AUTH_REQUIRED');
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^The proxy http:\/\/127\.0\.0\.1:\d+ \(from the proxy option\) ` +
          String.raw`asks for a user name and password \(407 Proxy Authentication Required\), ` +
          'and its URL has none, for GET ' +
          String.raw`https:\/\/127\.0\.0\.1:\d+\/api\/projects\/1000\/branches: ` +
          String.raw`put them in the proxy option, as http:\/\/user:password@host:port$`,
      ),
    );
  });

  it('a dead proxy gives an error that names the proxy, not the API, after the retries', async () => {
    const server = await httpsMock();
    const dead = `http://${USER}:${PASSWORD}@127.0.0.1:${await unusedPort()}`;
    const { client, events } = clientFor(server, { env: { HTTPS_PROXY: dead } });
    const error = (await caught(client.startBuild(BUILD))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.causeCode).toBe('ECONNREFUSED');
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^The proxy http:\/\/127\.0\.0\.1:\d+ \(from HTTPS_PROXY\) cannot be reached: ` +
          String.raw`the connection was refused \(ECONNREFUSED\), for POST ` +
          String.raw`https:\/\/127\.0\.0\.1:\d+\/api\/apps\/download \(4 tries\): ` +
          'check the proxy URL in HTTPS_PROXY and that the proxy is running$',
      ),
    );
    expect(events.filter((event) => event.type === 'retry')).toHaveLength(3);
    expect(server.journal()).toEqual([]);
    expectNoCredentials(error);
    expectNoCredentials(events);
  });

  it('tunnels a plain-http URL through HTTP_PROXY, and leaves it alone when only HTTPS_PROXY is set', async () => {
    const server = await startMock();
    servers.push(server);
    const { client } = clientFor(server, { env: { HTTP_PROXY: proxy.urlWithCredentials } });
    await client.listBranches(1000);
    expect(new Set(proxy.tunnels())).toEqual(new Set([`127.0.0.1:${server.port}`]));
    proxy.log.length = 0;
    const { client: direct } = clientFor(server, { env: { HTTPS_PROXY: proxy.urlWithCredentials } });
    expect(await direct.listBranches(1000)).not.toEqual([]);
    expect(proxy.log).toEqual([]);
  });

  it(
    'a proxy that cannot reach the server says so, naming both, ' +
      'after the retries (the POST too: it was never sent)',
    async () => {
      const port = await unusedPort();
      const client = createClient({
        token: TOKEN,
        baseUrl: `https://127.0.0.1:${port}`,
        ...FAST,
        env: { HTTPS_PROXY: proxy.urlWithCredentials },
      });
      const error = (await caught(client.startBuild(BUILD))) as NetworkError;
      expect(error.causeCode).toBe('PROXY_TUNNEL_FAILED');
      expect(error.message).toBe(
        `The proxy ${proxy.url} (from HTTPS_PROXY) could not open a connection to 127.0.0.1:${port} (it ` +
          `answered 500), for POST https://127.0.0.1:${port}/api/apps/download (4 tries): ` +
          `check that 127.0.0.1:${port} is up and that the proxy can reach it`,
      );
      expect(proxy.tunnels()).toHaveLength(4);
      expectNoCredentials(error);
    },
  );

  it('a proxy that refuses the host says so at once, and what to change', async () => {
    const server = await httpsMock();
    const denying = await startProxy({ deny: [`127.0.0.1:${server.port}`] });
    try {
      const { client, events } = clientFor(server, { proxy: denying.url });
      const error = (await caught(client.startBuild(BUILD))) as NetworkError;
      expect(error.causeCode).toBe('PROXY_TUNNEL_REFUSED');
      expect(error.message).toBe(
        `The proxy ${denying.url} (from the proxy option) ` +
          `could not open a connection to 127.0.0.1:${server.port} (it answered 403), ` +
          `for POST https://127.0.0.1:${server.port}/api/apps/download: ` +
          `check the host name, and that the proxy allows 127.0.0.1:${server.port} (or ` +
          `list it in NO_PROXY if it can be reached directly)`,
      );
      expect(events.filter((event) => event.type === 'retry')).toEqual([]);
      expect(server.journal()).toEqual([]);
    } finally {
      await denying.close();
    }
  });

  it('goes through an https:// proxy too, checking its certificate as any other', async () => {
    untrust = trustCaForTests(certs.ca);
    const server = await httpsMock();
    const secure = await startProxy({ tls: certs.server, credentials: { user: USER, password: PASSWORD } });
    try {
      const { client } = clientFor(server, { env: { HTTPS_PROXY: secure.urlWithCredentials } });
      expect(await client.listBranches(1000)).not.toEqual([]);
      expect(secure.url).toMatch(/^https:/);
      expect(new Set(secure.tunnels())).toEqual(new Set([`127.0.0.1:${server.port}`]));
      expect(secure.log.every((entry) => entry.credentials === 'right')).toBe(true);
    } finally {
      await secure.close();
    }
  });

  it('a server failing behind the proxy is the API’s failure, the proxy named only as the way there', async () => {
    const server = await startMock();
    servers.push(server);
    server.addFault({ route: 'branches.list', fault: { type: 'reset' } });
    const { client } = clientFor(server, { env: { HTTP_PROXY: proxy.urlWithCredentials } });
    const error = (await caught(client.listBranches(1000))) as NetworkError;
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot reach the PlayCanvas API: GET ` +
          `http://127\\.0\\.0\\.1:${server.port}/api/projects/1000/branches through the proxy ` +
          `http://127\\.0\\.0\\.1:\\d+ \\(from HTTP_PROXY\\) failed: .* after 4 tries; check the base URL`,
      ),
    );
    expect(server.journal().filter((entry) => entry.route === 'branches.list')).toHaveLength(4);
    expectNoCredentials(error);
  });

  it('a proxy refusing credentials for the download host fails the download at once, naming the proxy', async () => {
    untrust = trustCaForTests(certs.ca);
    const server = await mockWithDownloadHost();
    const wrong = proxy.urlWithCredentials.replace(encodeURIComponent(PASSWORD), 'not-the-password');
    // The API goes direct (NO_PROXY), the download host through the proxy.
    const { client } = clientFor(server, { env: { HTTPS_PROXY: wrong, NO_PROXY: '127.0.0.1' } });
    const error = (await caught(client.build(BUILD))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^The proxy http:\/\/127\.0\.0\.1:\d+ \(from HTTPS_PROXY\) ` +
          String.raw`refused the user name and password in its URL \(407 Proxy Authentication ` +
          String.raw`Required\), for the download of https:\/\/localhost:\d+\/downloads\/[^ ` +
          String.raw`]+\.zip: correct them in HTTPS_PROXY`,
      ),
    );
    expect(proxy.tunnels()).toEqual([`localhost:${server.port}`]);
    expectNoCredentials(error);
    expectNoSecret(error, 'not-the-password');
  });
});

const NO_WEAKENING = /NODE_TLS_REJECT_UNAUTHORIZED|rejectUnauthorized|insecure|--no-check|disable/i;

describe('certificates', () => {
  it.each([
    {
      what: 'a self-signed certificate',
      cert: () => certs.selfSigned,
      trustCa: false,
      message: new RegExp(
        String.raw`^GET https:\/\/127\.0\.0\.1:\d+\/api\/projects\/1000\/branches failed the TLS ` +
          'check: the server’s certificate is self-signed and not trusted here ' +
          String.raw`\(DEPTH_ZERO_SELF_SIGNED_CERT\): if your network uses a private CA .*start Node ` +
          String.raw`with NODE_EXTRA_CA_CERTS set to a file holding that CA’s certificate \(PEM\)$`,
      ),
    },
    {
      what: 'a certificate from a CA not trusted here',
      cert: () => certs.server,
      trustCa: false,
      message: new RegExp(
        'the server’s certificate is signed by a CA not trusted here ' +
          String.raw`\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): .*NODE_EXTRA_CA_CERTS`,
      ),
    },
    {
      what: 'an expired certificate',
      cert: () => certs.expired,
      trustCa: true,
      message: new RegExp(
        String.raw`the server’s certificate has expired \(CERT_HAS_EXPIRED\): ` +
          'the server must renew it; if it has, check this machine’s clock$',
      ),
    },
    {
      what: 'a certificate for another host name',
      cert: () => certs.wrongHost,
      trustCa: true,
      message: new RegExp(
        String.raw`the server’s certificate is for another host name \(it names wrong\.example\.test\) ` +
          String.raw`\(ERR_TLS_CERT_ALTNAME_INVALID\): use a URL with a host name the certificate names, ` +
          'or have the certificate reissued for this one$',
      ),
    },
  ])('$what fails at once with its own message and fix', async ({ cert, trustCa, message }) => {
    if (trustCa) untrust = trustCaForTests(certs.ca);
    const server = await httpsMock(cert());
    const { client, events } = clientFor(server);
    const error = (await caught(client.listBranches(1000))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(NO_WEAKENING);
    expect(events.filter((event) => event.type === 'retry')).toEqual([]);
  });

  it('says the same through the proxy, where a TLS-inspecting proxy would show its own certificate', async () => {
    const server = await httpsMock(certs.server);
    const { client } = clientFor(server, { env: { HTTPS_PROXY: proxy.urlWithCredentials } });
    const error = (await caught(client.listBranches(1000))) as NetworkError;
    expect(error.message).toMatch(
      /failed the TLS check: the server’s certificate is signed by a CA not trusted here .*NODE_EXTRA_CA_CERTS/,
    );
    expect(proxy.tunnels()).toEqual([`127.0.0.1:${server.port}`]);
    expectNoCredentials(error);
  });

  it('a download host with a bad certificate fails at once, not after the retries', async () => {
    untrust = trustCaForTests(certs.ca);
    const expired = await httpsMock(certs.expired);
    const server = await httpsMock(certs.server, { downloadBaseUrl: `https://localhost:${expired.port}` });
    const { client, events } = clientFor(server);
    const error = (await caught(client.build(BUILD))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^Download of https:\/\/localhost:\d+\/downloads\/[^ ]+\.zip failed the TLS check: ` +
          String.raw`the server’s certificate has expired \(CERT_HAS_EXPIRED\)`,
      ),
    );
    expect(events.filter((event) => event.type === 'retry')).toEqual([]);
  });
});
