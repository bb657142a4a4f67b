import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserTest, descendants, stillRunning, tempDir } from 'test-support';
import { expect } from 'vitest';

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
    expect(run.stderr).toContain(`The build folder ${missing} does not exist: give the folder that holds the extracted build (its index.html)\n`);
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
