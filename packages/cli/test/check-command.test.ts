import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { browserTest, buildFolder, descendants, drawNothing, startMock, stillRunning, tempDir } from 'test-support';
import { afterAll, beforeAll, expect } from 'vitest';

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
});
afterAll(() => server.close());

const QUICK = ['--viewport', '320x180', '--frames', '5'];

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The processes seen under the CLI as it ran (Chromium's, when it started one). */
  seen: number[];
}

/** Runs `playcanvas-build check ...` as a shell would, noting the processes it starts. */
function check(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'check', ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { code: null, stdout: '', stderr: '', ms: 0, seen: [] };
    child.stdout.on('data', (chunk) => {
      run.stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      run.stderr += chunk;
    });
    // a command that never ends is stopped as a CI runner's cancel would (SIGTERM): its browser goes with it
    const stop = setTimeout(() => child.kill('SIGTERM'), 45_000);
    const seen = new Set<number>();
    const watch = setInterval(async () => {
      if (child.pid !== undefined) for (const pid of await descendants(child.pid)) seen.add(pid);
    }, 300);
    child.on('close', (code) => {
      clearInterval(watch);
      clearTimeout(stop);
      resolve({ ...run, code, ms: performance.now() - started, seen: [...seen] });
    });
  });
}

browserTest(
  'check on a folder that does not exist: exit 2 (usage) at once, naming the folder',
  async () => {
    const missing = join(await tempDir('cli-check-'), 'no-such-build');
    const run = await check([missing, '--timeout', '30000']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      `The build folder ${missing} does not exist: give the folder that holds the extracted build (its index.html)\n`,
    );
    // no browser, no waiting: node and the check's modules load (seconds on a loaded machine), well before the 30 s
    // the check would have waited on a page that never came
    expect(run.ms).toBeLessThan(15_000);
  },
  60_000,
);

browserTest(
  'check on a page whose main thread never yields: exit 1 by the timeout, no Chromium left',
  async () => {
    const dir = await tempDir('cli-spin-');
    await writeFile(join(dir, 'index.html'), '<html><body><script>while (true) {}</script></body></html>');
    const run = await check([dir, '--timeout', '2000', '--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, exitCode: 1, error: { code: 'BUILD_CHECK' } });
    expect(run.stderr).toMatch(/timed out after \d+ ms: the page stopped answering, its main thread kept busy/);
    // launching Chromium takes seconds on a loaded machine; before, the command never ended
    expect(run.ms).toBeLessThan(30_000);
    expect(run.seen.length).toBeGreaterThan(0);
    expect(await stillRunning(run.seen)).toEqual([]);
  },
  60_000,
);

browserTest(
  'check on a build that draws nothing: exit 1, the blank frame told in words naming --allow-blank, which lets it pass',
  async () => {
    const dir = await buildFolder(server);
    await drawNothing(dir);
    const blank = await check([dir, ...QUICK]);
    expect(blank.code, blank.stderr).toBe(1);
    expect(blank.stderr).toContain(
      '- blank first frame: the canvas (320×180) shows one colour, rgb(41, 51, 66), everywhere: ' +
        'nothing was drawn (nothing in view of a camera?) or WebGL drew nothing; ' +
        'if the game starts blank on purpose, allow it with --allow-blank\n',
    );
    const allowed = await check([dir, ...QUICK, '--allow-blank']);
    expect(allowed.code, allowed.stderr).toBe(0);
  },
  90_000,
);

browserTest(
  'check on a build without its engine: exit 1 at once, not after --timeout, saying where it stopped',
  async () => {
    const dir = await buildFolder(server);
    await rm(join(dir, 'playcanvas-stable.min.js'));
    const run = await check([dir, ...QUICK, '--timeout', '30000']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('- uncaught exception: pc is not defined\n');
    expect(run.stderr).toMatch(
      /- stopped after \d+ ms: the engine \(pc\) never loaded; after the errors above nothing was left loading/,
    );
    // node, the check's modules and Chromium start in seconds on a loaded machine; before, it waited the 30 s
    expect(run.ms).toBeLessThan(15_000);
  },
  60_000,
);
