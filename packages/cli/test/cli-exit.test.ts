import { createServer, type Socket } from 'node:net';
import { unusedPort } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_ARGS, runCli } from './run-cli.js';

// A real TCP server that takes every connection and never says a word: a proxy that accepts CONNECT and hangs.
const sockets: Socket[] = [];
const silent = createServer((socket) => {
  sockets.push(socket);
  socket.on('error', () => undefined);
});
let proxyUrl: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('the CLI exits once it has said how it ended, whatever sockets are still open', () => {
  it('through a proxy that accepts CONNECT and never answers: ' +
    'the error and the JSON, then the process ends within seconds', async () => {
    const run = await runCli(
      [...BUILD_ARGS, '--out', 'build', '--request-timeout', '300', '--retry-retries', '0', '--json'],
      {
        env: { PLAYCANVAS_BASE_URL: `https://127.0.0.1:${await unusedPort()}`, HTTPS_PROXY: proxyUrl },
        killAfterMs: 8000,
      },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/^playcanvas-build: error: .*no answer within 300 ms/m);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, exitCode: 3 });
    expect(run.errorAtMs).toBeDefined();
    // before: the hung CONNECT kept the process up for undici's 300 s headers timeout after the error line
    expect(run.endedAtMs - (run.errorAtMs as number)).toBeLessThan(3000);
  }, 20_000);
});
