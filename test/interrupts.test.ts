import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, fixturesWith, servedFiles, startMock, TOKEN, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const gulpBin = join(dirname(createRequire(import.meta.url).resolve('gulp')), 'bin', 'gulp.js');
const gulpfile = join(here, 'fixtures', 'interrupt', 'gulpfile.mjs');
const MiB = 1024 * 1024;

let server: MockServer;
beforeAll(async () => {
  // 1101: random bytes, served slowly (a download to interrupt); 1102: a few large files (an extraction to interrupt)
  const f = fixturesWith(
    { id: 1101, synthetic: { files: 12, totalBytes: 12 * MiB, incompressibleRatio: 1 } },
    { id: 1102, synthetic: { files: 4, totalBytes: 16 * MiB, incompressibleRatio: 0 } },
  );
  server = await startMock({ fixtures: f, pollsToComplete: 1 });
});
afterAll(() => server.close());

interface Interrupted {
  signal: NodeJS.Signals | null;
  code: number | null;
  output: string;
  out: string;
  temp: string;
}

/** Runs the gulpfile in a real gulp process and sends it `signal` once `when` says so. */
async function interrupt(
  projectId: number,
  signal: NodeJS.Signals,
  when: (output: string, out: string) => Promise<boolean>,
  env: Record<string, string> = {},
): Promise<Interrupted> {
  const out = join(await tempDir('interrupt-out-'), 'site');
  const temp = await tempDir('interrupt-tmp-');
  const child: ChildProcess = spawn(
    process.execPath,
    [gulpBin, '--gulpfile', gulpfile, '--cwd', dirname(gulpfile), 'build', '--no-color'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        PLAYCANVAS_API_KEY: TOKEN,
        PLAYCANVAS_BASE_URL: server.url,
        OUT_DIR: out,
        TEMP_DIR: temp,
        PROJECT_ID: String(projectId),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, s) => resolve({ code, signal: s })),
  );
  let sent = false;
  while (!sent && child.exitCode === null) {
    if (await when(output, out)) {
      child.kill(signal);
      sent = true;
    } else await new Promise((r) => setTimeout(r, 2));
  }
  expect(sent, `the build of project ${projectId} ended before it could be interrupted:\n${output}`).toBe(true);
  const { code, signal: got } = await exited;
  return { signal: got, code, output, out, temp };
}

const present = async (dir: string, part = '') =>
  (await readdir(dir, { recursive: true }).catch(() => [])).some((name) => name.includes(part));

describe('Ctrl-C and SIGTERM leave nothing behind', () => {
  it('SIGINT mid-download (a host without ranges: the whole file first): ' +
    'the process dies of the signal, the spool is removed, nothing is written', async () => {
    server.reset();
    server.addFault({ route: 'download', fault: { type: 'bandwidth', bytesPerSecond: 2 * MiB } });
    server.addFault({ route: 'download', fault: { type: 'no-ranges' } });
    const run = await interrupt(1101, 'SIGINT', async (output) => /downloaded \d+% of/.test(output));
    expect(run.signal).toBe('SIGINT');
    expect(await readdir(run.temp)).toEqual([]);
    expect(await present(run.out)).toBe(false);
    expect(run.output).not.toContain(TOKEN);
  }, 60_000);

  it('SIGINT mid-download while files are written as they arrive (ranges served): ' +
    'the spool is removed, every file left is whole', async () => {
    server.reset();
    server.addFault({ route: 'download', fault: { type: 'bandwidth', bytesPerSecond: 2 * MiB } });
    const run = await interrupt(1101, 'SIGINT', async (output) => /downloaded \d+% of/.test(output));
    expect(run.signal).toBe('SIGINT');
    expect(await readdir(run.temp)).toEqual([]);
    const served = await servedFiles(server.jobs()[0]?.archiveUrl as string);
    const written = await filesUnder(run.out).catch(() => new Map());
    for (const [name, facts] of written)
      expect(facts.bytes.equals(served.get(name)?.bytes ?? Buffer.alloc(0)), `${name} is whole`).toBe(true);
    expect(written.size).toBeLessThan(served.size);
    expect(run.output).not.toContain(TOKEN);
  }, 60_000);

  it('SIGTERM mid-extract: the spool is removed, and every file left in the output is whole', async () => {
    server.reset();
    // killed as soon as gulp.dest has begun one of the large files
    const run = await interrupt(1102, 'SIGTERM', async (_output, out) => present(out, 'text-'), {
      SLOW_BYTES_PER_SECOND: String(8 * MiB),
    });
    expect(run.signal).toBe('SIGTERM');
    expect(await readdir(run.temp)).toEqual([]);
    const served = await servedFiles(server.jobs()[0]?.archiveUrl as string);
    const written = await filesUnder(run.out).catch(() => new Map());
    for (const [name, facts] of written)
      expect(facts.bytes.equals(served.get(name)?.bytes ?? Buffer.alloc(0)), `${name} is whole`).toBe(true);
    expect(written.size).toBeLessThan(served.size);
  }, 60_000);
});
