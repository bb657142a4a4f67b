import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { browserTest, runProcess, startMock, TOKEN, tempDir } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const CLI = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
/** A GitHub Actions expression, as the workflow writes it. */
const expression = (inside: string) => `$${'{'}{ ${inside} }}`;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

async function workflow(): Promise<{ jobs: { build: { 'runs-on': string; steps: Step[] } } }> {
  const readme = await readFile(new URL('../docs/ci.md', import.meta.url), 'utf8');
  const block = /## In CI: GitHub Actions[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('no workflow in docs/ci.md');
  return parse(block);
}

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
});
afterAll(() => server.close());

describe("docs/ci.md's GitHub Actions workflow", () => {
  it('is a workflow whose secrets only ever reach a step through env, never a command line', async () => {
    const steps = (await workflow()).jobs.build.steps;
    expect(steps.map((s) => s.uses ?? s.name)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'Install the CLI',
      'Build, post-process, check',
      'actions/upload-artifact@v4',
    ]);
    for (const step of steps) expect(step.run ?? '', step.name).not.toMatch(/secrets\./);
    expect(steps[3]?.env?.PLAYCANVAS_API_KEY).toBe(expression('secrets.PLAYCANVAS_API_KEY'));
  });

  browserTest('its build step, run here against the mock, writes what the upload step keeps', async () => {
    const steps = (await workflow()).jobs.build.steps;
    const build = steps.find((s) => s.name === 'Build, post-process, check') as Step;
    const command = (build.run as string)
      .replace('npx playcanvas-build', `"${process.execPath}" "${CLI}"`)
      .replace(expression('vars.PLAYCANVAS_PROJECT_ID'), '1000')
      .replace(expression('github.sha'), 'abc1234');
    expect(command).not.toMatch(/\$\{\{/);
    const cwd = await tempDir('ci-');
    const { code, stderr } = await runProcess('bash', ['-c', command], {
      cwd,
      env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url },
    });
    expect(code, stderr).toBe(0);
    const kept = (steps.at(-1)?.with?.path ?? '').trim().split('\n');
    expect((await readdir(cwd)).sort()).toEqual([...kept].sort());
    const result = JSON.parse(await readFile(join(cwd, 'build.json'), 'utf8'));
    expect(result).toMatchObject({
      ok: true,
      metadata: { projectId: 1000, engineVersion: '2.23.3' },
      check: { engineVersion: '2.23.3' },
    });
    expect(await readFile(join(cwd, 'build', 'index.html'), 'utf8')).toContain(
      '<meta name="version" content="abc1234">',
    );
  });
});
