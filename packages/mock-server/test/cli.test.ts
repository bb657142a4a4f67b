import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultFixtures } from '../src/index.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

interface Running {
  url: string;
  lines: string[];
  exited: Promise<number | null>;
}

async function startCli(args: string[]): Promise<Running> {
  child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) =>
    child!.on('exit', (code, signal) => resolve(code ?? (signal as unknown as number))),
  );
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    rl.on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) resolve(line.replace(/^listening on /, ''));
    });
    child!.on('exit', () => reject(new Error('the CLI exited before printing its URL')));
  });
  return { url, lines, exited };
}

function runToEnd(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('pnpm mock (the CLI)', () => {
  it('prints its URL first, serves a whole build flow, logs a line per request and stops on SIGTERM', async () => {
    const cli = await startCli(['--port', '0', '--polls', '1']);
    expect(cli.lines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const auth = { authorization: 'Bearer mock-dev-token' };
    const started = await fetch(`${cli.url}/api/apps/download`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ project_id: 1000, name: 'CLI', scenes: [2000] }),
    }).then((r) => r.json());
    const job = await fetch(`${cli.url}/api/jobs/${started.id}`, { headers: auth }).then((r) => r.json());
    expect(job.status).toBe('complete');
    const zip = await fetch(job.data.download_url);
    expect(zip.status).toBe(200);
    await zip.arrayBuffer();
    child!.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const log = cli.lines.join('\n');
    expect(log).toMatch(/POST \/api\/apps\/download 201/);
    expect(log).toMatch(/GET \/api\/jobs\/\d+ 200/);
    expect(log).toMatch(/GET \/downloads\/apps\/\d+\/cli\.zip 200/);
    expect(log).toMatch(/received SIGTERM, stopping/);
    expect(log).not.toMatch(/Bearer/);
  });

  it.each([
    ['pnpm --silent mock', ['--silent', 'mock'], true],
    ['pnpm mock', ['mock'], false],
  ] as const)(
    'under `%s`, a script finds the URL on the line that starts "listening on "',
    async (_name, args, silent) => {
      const root = fileURLToPath(new URL('../..', import.meta.url));
      const run = spawn('pnpm', [...args, '--port', '0', '--quiet'], {
        cwd: root,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        // Both streams, in order of arrival, as a script reading `2>&1` sees them.
        const lines: string[] = [];
        const line = await new Promise<string>((resolve, reject) => {
          for (const stream of [run.stdout, run.stderr])
            createInterface({ input: stream }).on('line', (l) => {
              lines.push(l);
              if (l.startsWith('listening on ')) resolve(l);
            });
          run.on('exit', () => reject(new Error(`pnpm exited first: ${lines.join('\n')}`)));
        });
        if (silent) {
          expect(lines[0]).toBe(line); // the very first line, with nothing of pnpm's before it
        } else {
          // pnpm's own echo, on stderr
          expect(lines.slice(0, 1)).toEqual(['$ node packages/mock-server/dist/cli.js --port 0 --quiet']);
        }
        const url = line.replace(/^listening on /, '');
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(
          (await fetch(`${url}/api/ratelimits`, { headers: { authorization: 'Bearer mock-dev-token' } })).status,
        ).toBe(200);
      } finally {
        process.kill(-(run.pid as number), 'SIGTERM');
      }
    },
  );

  it('stops cleanly on SIGINT', async () => {
    const cli = await startCli(['--quiet']);
    child!.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('serves the projects of a fixtures file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-cli-'));
    const fixtures = defaultFixtures();
    fixtures.projects[0]!.scenes.push({ id: 2999, name: 'From File' });
    const file = join(dir, 'fixtures.json');
    await writeFile(file, JSON.stringify(fixtures));
    const cli = await startCli(['--fixtures', file, '--quiet']);
    const scenes = await fetch(`${cli.url}/api/projects/1000/scenes`, {
      headers: { authorization: 'Bearer mock-dev-token' },
    }).then((r) => r.json());
    expect(scenes.result.map((s: { name: string }) => s.name)).toContain('From File');
    child!.kill('SIGTERM');
    await cli.exited;
  });

  it.each([
    [['--port', 'abc'], /--port must be an integer from 0 to 65535; got abc/],
    [['--fixtures', '/nonexistent/fixtures.json'], /Cannot read fixtures file \/nonexistent\/fixtures\.json/],
    [['--clock', 'slow'], /--clock must be realtime or frozen; got slow/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with a message and exit code 2', async (args, message) => {
    const { code, stderr } = await runToEnd(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Usage: playcanvas-mock-server/);
  });

  it('names the bad field of an invalid fixtures file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-cli-'));
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({ users: [], tokens: [], projects: [{ id: 1, name: 'x', ownerId: 1, branches: [], scenes: [] }] }),
    );
    const { code, stderr } = await runToEnd(['--fixtures', file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Invalid fixtures: projects\[0\]\.branches must list at least one branch/);
  });

  it('says when the port is taken', async () => {
    const first = await startCli(['--quiet']);
    const port = new URL(first.url).port;
    const { code, stderr } = await runToEnd(['--port', port]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot listen: .*EADDRINUSE/);
  });
});
