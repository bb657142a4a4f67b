import { createServer, type Server, type Socket } from 'node:net';
import { unusedPort } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_ARGS, runCli } from './run-cli.js';

/** A real TCP server that takes every connection and never says a word (or, with `hangUp`, closes it at once). */
async function silentServer(hangUp: boolean): Promise<{ server: Server; url: string; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    if (hangUp) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}`, sockets };
}

const servers: Array<Awaited<ReturnType<typeof silentServer>>> = [];
beforeAll(async () => {
  servers.push(await silentServer(false), await silentServer(true));
});
afterAll(async () => {
  for (const { server, sockets } of servers) {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('the CLI exits once it has said how it ended, whatever sockets are still open', () => {
  it.each([
    ['accepts CONNECT and never answers', 0],
    ['closes every connection at once', 1],
  ])(
    'through a proxy that %s: the error and the JSON, then the process ends within seconds',
    async (_what, which) => {
      const proxy = servers[which] as Awaited<ReturnType<typeof silentServer>>;
      const run = await runCli([...BUILD_ARGS, '--out', 'build', '--request-timeout', '300', '--retry-retries', '0', '--json'], {
        env: { PLAYCANVAS_BASE_URL: `https://127.0.0.1:${await unusedPort()}`, HTTPS_PROXY: proxy.url },
        killAfterMs: 8000,
      });
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/^playcanvas-build: error: .*(no answer within 300 ms|proxy)/m);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, exitCode: 3 });
      expect(run.errorAtMs).toBeDefined();
      // before: the hung CONNECT kept the process up for undici's 300 s headers timeout after the error line
      expect(run.endedAtMs - (run.errorAtMs as number)).toBeLessThan(3000);
    },
    20_000,
  );
});
