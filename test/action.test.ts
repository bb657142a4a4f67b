import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { browserTest } from 'test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_OUTPUTS, actionInputs } from '../packages/cli/src/action-inputs.js';
import { allFlags } from '../packages/cli/src/cli-flags.js';
import {
  downloadUrlOf,
  expectSameFiles,
  filesUnder,
  OUTSIDER_TOKEN,
  servedFiles,
  startMock,
  TOKEN,
  tempDir,
} from './helpers.js';

/**
 * The Action's entry point, run as the runner runs it: INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 */
const ENTRY = fileURLToPath(new URL('../action/index.mjs', import.meta.url));
const ACTION_YML = fileURLToPath(new URL('../action.yml', import.meta.url));
const REDIS_PASSWORD = 'action-redis-pw-4b1c';

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());

interface Step {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

/** `name<<DELIMITER ... DELIMITER` blocks, as the runner reads GITHUB_OUTPUT. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1] as string] = m[3] as string;
  return out;
}

async function runStep(inputs: Record<string, string>): Promise<Step> {
  const workspace = await tempDir('action-');
  const outputFile = join(workspace, '..', `${workspace.split('/').pop()}-output`);
  const summaryFile = `${outputFile}-summary`;
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  // every input the action declares is set, empty unless given or defaulted, as the runner does
  for (const input of actionInputs())
    env[`INPUT_${input.name.toUpperCase()}`] = inputs[input.name] ?? input.default ?? '';
  const child = spawn(process.execPath, [ENTRY], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    workspace,
  };
}

const BUILD_INPUTS = {
  'project-id': '1000',
  name: 'Space Race',
  scenes: 'Main, Level 2',
  'poll-initial-delay-ms': '5',
  'poll-max-delay-ms': '20',
};

it('action.yml declares an input for every flag of build and export, runs on node24, names the outputs', async () => {
  const action = parse(await readFile(ACTION_YML, 'utf8')) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    runs: unknown;
  };
  const flags = new Set([...allFlags('build'), ...allFlags('export')].map((f) => f.name));
  flags.delete('json');
  flags.delete('quiet');
  expect(Object.keys(action.inputs).sort()).toEqual([...flags, 'token', 'command'].sort());
  expect(Object.keys(action.outputs)).toEqual(['job-id', 'checkpoint-id', 'engine-version', 'out', 'files', 'bytes']);
  expect(action.runs).toEqual({ using: 'node24', main: 'action/index.mjs' });
});

/** docs/ci.md's workflow: its action step's inputs, the expressions given test values, and the steps after it. */
async function readmeWorkflow(redisUrl: string): Promise<{ inputs: Record<string, string>; after: string }> {
  const readme = await readFile(fileURLToPath(new URL('../docs/ci.md', import.meta.url)), 'utf8');
  const block = /### Or as one step: the action in this repository[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('docs/ci.md has lost its action workflow');
  const values: Record<string, string> = {
    'secrets.PLAYCANVAS_API_KEY': TOKEN,
    'vars.PLAYCANVAS_PROJECT_ID': '1000',
    'secrets.PLAYCANVAS_RATE_REDIS': redisUrl,
  };
  const steps = (
    parse(block) as {
      jobs: { build: { steps: Array<{ id?: string; uses?: string; with?: Record<string, unknown> }> } };
    }
  ).jobs.build.steps;
  const index = steps.findIndex((step) => step.id === 'playcanvas');
  const step = steps[index];
  expect(step?.uses).toMatch(/^gulp-playcanvas\/gulp-playcanvas@/);
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(step?.with ?? {})) {
    inputs[name] = String(value).replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_m, expression: string) => {
      const known = values[expression];
      if (known === undefined)
        throw new Error(`the README's step uses \${{ ${expression} }}, which the test does not know`);
      return known;
    });
  }
  return { inputs, after: JSON.stringify(steps.slice(index + 1)) };
}

browserTest(
  "the README's step builds, checks and writes from a simulated runner: outputs, a summary, " +
    'the token and a Redis password masked',
  async () => {
    const port = 1; // nothing listens there: the shared budget warns and the build goes on
    const { inputs, after } = await readmeWorkflow(`redis://:${REDIS_PASSWORD}@127.0.0.1:${port}`);
    // the steps after it use outputs the action has
    for (const [, output] of after.matchAll(/steps\.playcanvas\.outputs\.([\w-]+)/g))
      expect(Object.keys(ACTION_OUTPUTS)).toContain(output);
    // the mock, and polls in milliseconds: the only inputs the README's step does not have
    const step = await runStep({
      ...inputs,
      'base-url': server.url,
      'poll-initial-delay-ms': '5',
      'poll-max-delay-ms': '20',
    });
    expect(step.code, step.stderr).toBe(0);
    const lines = step.stdout.split('\n');
    expect(lines[0]).toBe(`::add-mask::${TOKEN}`);
    expect(lines).toContain(`::add-mask::${REDIS_PASSWORD}`);
    const masked = (text: string) => text.replace(/^::add-mask::.*$/gm, '');
    for (const secret of [TOKEN, REDIS_PASSWORD]) expect(masked(step.stdout) + step.stderr).not.toContain(secret);
    expect(step.stderr).toMatch(/warning: the shared rate budget at redis:\/\/127\.0\.0\.1:1 is unreachable/);
    const out = join(step.workspace, 'build');
    expect(step.outputs).toMatchObject({
      'job-id': '500001',
      out,
      'engine-version': expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    expect(Number(step.outputs.files)).toBeGreaterThan(0);
    expect(Number(step.outputs.bytes)).toBeGreaterThan(0);
    expectSameFiles(await filesUnder(out), await servedFiles(downloadUrlOf(server)));
    expect(step.summary).toMatch(/^## PlayCanvas build\n/);
    expect(step.summary).toContain('| job | 500001 |');
    expect(step.summary).toMatch(
      new RegExp(`\\| written \\| ${step.outputs.files} files, [\\d.]+ [KM]B, to \`build\` \\|`),
    );
    expect(step.summary).toMatch(/\| check \| booted in \d+ ms, \d+ frames rendered/);
  },
);

it('a failed build: exit code, an error annotation, the summary says why, no outputs', async () => {
  server.reset();
  const step = await runStep({ ...BUILD_INPUTS, token: OUTSIDER_TOKEN, 'base-url': server.url });
  expect(step.code).toBe(3);
  expect(step.stdout).toMatch(/^::error::PlayCanvas API: .*403/m);
  expect(step.summary).toMatch(/^## PlayCanvas build failed\n\n> PlayCanvas API: .*403/);
  expect(step.outputs).toEqual({});
});

it('an input the CLI would refuse: exit code 2, naming the input', async () => {
  const step = await runStep({ ...BUILD_INPUTS, token: TOKEN, 'base-url': server.url, check: 'yes' });
  expect(step.code).toBe(2);
  expect(step.stdout).toContain('::error::The check input must be true or false; got "yes"');
});
