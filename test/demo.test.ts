import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserTest, runProcess } from 'test-support';
import { expect } from 'vitest';
import { filesUnder, tempDir } from './helpers.js';

const demo = fileURLToPath(new URL('../examples/demo.mjs', import.meta.url));

async function runDemo(args: string[]): Promise<{ code: number | null; output: string; cwd: string }> {
  const cwd = await tempDir('e2e-demo-');
  // the demo decides between the mock and the real API by these: the test must not inherit them
  const { PLAYCANVAS_API_KEY: _key, PLAYCANVAS_BASE_URL: _url, ...env } = process.env as Record<string, string>;
  const run = await runProcess(process.execPath, [demo, ...args], { cwd, env });
  return { code: run.code, output: run.output, cwd };
}

browserTest('pnpm demo: download, stampVersion, csp, check, then ./build, each step in the log', async () => {
  const { code, output, cwd } = await runDemo([]);
  expect(code, output).toBe(0);
  expect(output).toMatch(
    /PLAYCANVAS_API_KEY is not set: using the embedded PlayCanvas mock at http:\/\/127\.0\.0\.1:\d+/,
  );
  expect(output).toMatch(/gulp-playcanvas: emitted 15 files/);
  expect(output).toMatch(/gulp-playcanvas: csp\(\): default-src 'none'; script-src 'self'; style-src 'self' 'sha256-/);
  expect(output).toMatch(/gulp-playcanvas: check: the build booted in [\d.]+ s \(\d+ frames, engine 2\.23\.3\)/);
  expect(output).toMatch(/Finished 'build'/);
  expect(output).toMatch(/Wrote 15 files \([\d.]+ KB\) to \.\/build: open build\/index\.html through a web server/);
  const files = await filesUnder(join(cwd, 'build'));
  expect(files.has('__game-scripts.js')).toBe(true);
  const html = await readFile(join(cwd, 'build', 'index.html'), 'utf8');
  expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  expect(html).toContain('<meta name="version" content="1.0.0">');
  expect(html).toContain('src="__start__.js?v=1.0.0"');
});

browserTest('pnpm demo playable: one HTML file under 5 MB, checked, in ./playable', async () => {
  const { code, output, cwd } = await runDemo(['playable']);
  expect(code, output).toBe(0);
  expect(output).toMatch(/gulp-playcanvas: single file: [\d.]+ KB\n/);
  expect(output).toMatch(/Wrote 1 file \([\d.]+ KB\) to \.\/playable/);
  expect([...(await filesUnder(join(cwd, 'playable'))).keys()]).toEqual(['index.html']);
});
