import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { startMock, tempDir } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_ARGS, runCli } from './run-cli.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());

const FAST = ['--poll-initial-delay-ms', '5', '--poll-max-delay-ms', '20', '--retry-base-delay-ms', '10'];

describe('the summary counts what is in --out once post-processed', () => {
  it('--single-file: one file, its bytes, on stderr and in --json', async () => {
    const cwd = await tempDir('cli-summary-');
    const run = await runCli([...BUILD_ARGS, ...FAST, '--single-file', '--json', '--out', 'build'], {
      cwd,
      env: { PLAYCANVAS_BASE_URL: server.url },
    });
    expect(run.code, run.stderr).toBe(0);
    const written = await readdir(join(cwd, 'build'));
    expect(written).toEqual(['index.html']);
    const size = (await stat(join(cwd, 'build', 'index.html'))).size;
    expect(JSON.parse(run.stdout)).toMatchObject({ files: 1, bytes: size });
    expect(run.stderr).toMatch(/wrote 1 file \([\d.]+ [kM]B\) to build: job \d+/);
  });
});
