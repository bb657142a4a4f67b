import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { filesUnder, tempDir } from './helpers.js';

const demo = fileURLToPath(new URL('../examples/demo.mjs', import.meta.url));

it('pnpm demo builds from the embedded mock into ./build, post-processed, and says where', async () => {
  const cwd = await tempDir('e2e-demo-');
  const env = { ...process.env };
  delete env.PLAYCANVAS_API_KEY;
  delete env.PLAYCANVAS_BASE_URL;
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [demo], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (c) => resolve({ code: c, output }));
  });
  expect(code, output).toBe(0);
  expect(output).toMatch(/PLAYCANVAS_API_KEY is not set: using the embedded PlayCanvas mock at http:\/\/127\.0\.0\.1:\d+/);
  expect(output).toMatch(/Finished 'build'/);
  expect(output).toMatch(/Wrote 15 files \([\d.]+ KB\) to \.\/build/);
  const files = await filesUnder(join(cwd, 'build'));
  expect(files.has('__game-scripts.js')).toBe(true);
  const html = await readFile(join(cwd, 'build', 'index.html'), 'utf8');
  expect(html).toContain('<meta http-equiv="Content-Security-Policy"');
  expect(html).toContain('<meta name="version" content="1.0.0">');
});
