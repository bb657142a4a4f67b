import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REDIS_INSTALL_HINT =
  'redis-server is not installed: run `sh scripts/install-redis.sh` (Debian/Ubuntu: ' +
  'apt-get install redis-server), or put redis-server on the PATH';

export interface TestRedis {
  /** redis://127.0.0.1:PORT, with the password when one is asked for. */
  url: string;
  port: number;
  /** Runs redis-cli against it (authenticated); resolves to its output. */
  cli(...args: string[]): Promise<string>;
  /** Everything the server is asked from now on, as MONITOR prints it; stop() ends the watch and returns the lines. */
  monitor(): Promise<{ stop(): Promise<string> }>;
  /** Ends the server at once (SIGKILL), as a crash or a lost network would; safe to call twice. */
  kill(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}

/**
 * A real redis-server on a free loopback port, with nothing saved to disk. A machine without redis-server fails
 * with the install hint (never a skip). `password` makes it ask for one (requirepass).
 */
export async function startRedis(options: { password?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--loglevel',
    'warning',
  ];
  if (options.password) args.push('--requirepass', options.password);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const failed = once(child, 'error').then(([error]) => {
    throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(REDIS_INSTALL_HINT) : error;
  });
  const auth = options.password ? ['-a', options.password, '--no-auth-warning'] : [];
  const cli = async (...command: string[]) =>
    (await run('redis-cli', ['-p', String(port), ...auth, ...command])).stdout;
  const ready = (async () => {
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} at start`);
      const answer = await cli('PING').catch(() => '');
      if (answer.trim() === 'PONG') return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('redis-server did not answer PING within 5 s');
  })();
  await Promise.race([ready, failed]);
  const password = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `redis://${password}127.0.0.1:${port}`,
    port,
    cli,
    monitor: async () => {
      const watcher = spawn('redis-cli', ['-p', String(port), ...auth, 'MONITOR'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let text = '';
      watcher.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      // MONITOR answers OK once it is watching
      while (!text.includes('OK')) await new Promise((resolve) => setTimeout(resolve, 10));
      return {
        stop: async () => {
          watcher.kill('SIGKILL');
          await ended(watcher);
          return text;
        },
      };
    },
    kill: async () => {
      child.kill('SIGKILL');
      await ended(child);
    },
  };
}
