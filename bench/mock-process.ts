import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../packages/mock-server/dist/cli.js', import.meta.url));

export interface MockProcess {
  url: string;
  child: ChildProcess;
  admin(method: string, path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** The mock in a process of its own, so that what is measured here is the client's and the plugin's. */
export async function startMockProcess(args: string[] = []): Promise<MockProcess> {
  const child = spawn(process.execPath, [CLI, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (d) => {
    errors += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    // the CLI's first line is "listening on <url>"
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) =>
      resolve(line.replace(/^listening on /, '')),
    );
    child.once('exit', (code) => reject(new Error(`the mock exited with ${code}: ${errors}`)));
  });
  return {
    url,
    child,
    async admin(method, path, body) {
      const res = await fetch(`${url}/__mock${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
