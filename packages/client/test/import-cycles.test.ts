import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT_SOURCE = 'packages/client/src';
const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome', { paths: [root] });

/**
 * Biome's noImportCycles, set in biome.json for packages/client/src to count type-only imports too: a file that
 * reaches itself again through its imports (directly, or through the folders' indexes) fails this test.
 */
describe('the client source', () => {
  it('has no import circle', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [biome, 'lint', '--only=suspicious/noImportCycles', '--colors=off', '--max-diagnostics=50', CLIENT_SOURCE],
      { cwd: root },
    );
    const { stdout, stderr } = await run.catch((error: { stdout: string; stderr: string }) => error);
    const circles = `${stdout}${stderr}`.split('\n').filter((line) => line.includes('noImportCycles'));
    expect(circles).toEqual([]);
    expect(`${stdout}${stderr}`).toMatch(/Checked \d+ files/);
  });
});
