import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import { formatBytes } from '@gulp-playcanvas/playcanvas-pipeline';
import { ACTION_OUTPUTS, actionInputs } from './action-inputs.js';
import type { BuildOutcome } from './commands.js';
import { EXIT } from './errors.js';
import { main } from './main.js';
import type { Io } from './reporter.js';

/**
 * The GitHub Action (action.yml at the repository's root): the inputs, read from INPUT_* as the runner sets
 * them, become the CLI's flags; the build runs as `playcanvas-build build ... --json` would, in this process;
 * the result becomes the step's outputs (GITHUB_OUTPUT) and a summary (GITHUB_STEP_SUMMARY).
 */

type Env = Record<string, string | undefined>;

/** An input as the runner passes it: INPUT_ and the name in capitals (hyphens kept), '' when not given. */
const inputOf = (env: Env, name: string) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();

/** Text in a workflow command (::error::...) is escaped so that it stays one command. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

class InputError extends Error {}

/** The command line the inputs stand for: given inputs only, so that the CLI's defaults apply to the rest. */
export function argvFromInputs(env: Env): string[] {
  const command = inputOf(env, 'command') || 'build';
  if (command !== 'build' && command !== 'export')
    throw new InputError(`The command input must be build or export; got ${JSON.stringify(command)}`);
  const argv = [command];
  for (const { name, flag } of actionInputs()) {
    const value = inputOf(env, name);
    if (!flag || value === '') continue;
    if (flag.read === 'boolean') {
      if (value !== 'true' && value !== 'false')
        throw new InputError(`The ${name} input must be true or false; got ${JSON.stringify(value)}`);
      argv.push(value === 'true' ? `--${name}` : `--no-${name}`);
    } else if (flag.read === 'boolean-or-text') {
      if (value === 'true') argv.push(`--${name}`);
      else if (value !== 'false') argv.push(`--${name}`, value);
    } else {
      argv.push(`--${name}`, value);
    }
  }
  return [...argv, '--json'];
}

/** What must never reach the log: the token, and the password of a Redis URL. */
function secretsIn(env: Env, token: string): string[] {
  const secrets = token ? [token] : [];
  const redis = inputOf(env, 'rate-redis') || env.PLAYCANVAS_RATE_REDIS || '';
  try {
    const password = redis ? new URL(redis).password : '';
    if (password) secrets.push(password, decodeURIComponent(password));
  } catch {
    // not a URL: the CLI says so, without showing it
  }
  return secrets;
}

function writeOutputs(file: string | undefined, values: Record<string, string>): void {
  if (!file) return;
  let text = '';
  for (const [name, value] of Object.entries(values)) {
    const delimiter = `playcanvas_${Math.random().toString(36).slice(2)}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text);
}

/** The step summary: what was built, its size, and the check's result (or why it failed). */
export function summaryOf(
  command: string,
  outcome: BuildOutcome | undefined,
  error: string | undefined,
  cwd: string,
): string {
  const title = command === 'export' ? 'PlayCanvas export' : 'PlayCanvas build';
  if (!outcome) return `## ${title} failed\n\n> ${(error ?? 'no result').replace(/\n/g, '\n> ')}\n`;
  const m = outcome.metadata as Record<string, unknown>;
  const files = `${outcome.files} file${outcome.files === 1 ? '' : 's'}`;
  const engine = outcome.check?.engineVersion ? ` (engine ${outcome.check.engineVersion})` : '';
  const rows: Array<[string, unknown]> = [
    ['project', m.projectId],
    ['job', m.jobId],
    ['engine', m.engineVersion],
    ['branch', m.branchId],
    ['checkpoint', m.checkpointId],
    ['format', m.format],
    ['written', `${files}, ${formatBytes(outcome.bytes)}, to \`${relative(cwd, outcome.out) || '.'}\``],
    [
      'check',
      outcome.check
        ? `booted in ${outcome.check.bootMs} ms, ${outcome.check.frames} frames rendered${engine}`
        : 'not run (set `check: true`)',
    ],
  ];
  const table = rows
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([name, value]) => `| ${name} | ${String(value).replace(/\|/g, '\\|')} |`);
  const warnings = outcome.warnings.map((w) => `- ${w}`);
  return [
    `## ${title}`,
    '',
    '| | |',
    '| --- | --- |',
    ...table,
    '',
    ...(warnings.length ? ['Warnings:', '', ...warnings, ''] : []),
  ].join('\n');
}

/** Runs the Action once; resolves to the exit code. `io` is the runner's log. */
export async function runAction(env: Env, io: Io, signal?: AbortSignal): Promise<number> {
  const token = inputOf(env, 'token');
  for (const secret of secretsIn(env, token || env.PLAYCANVAS_API_KEY || '')) io.stdout(`::add-mask::${secret}\n`);
  if (token) process.env.PLAYCANVAS_API_KEY = token;
  const command = inputOf(env, 'command') || 'build';
  let argv: string[];
  try {
    argv = argvFromInputs(env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stdout(`::error::${escapeData(error.message)}\n`);
    return EXIT.usage;
  }
  let json = '';
  const code = await main(argv, { stdout: (text) => (json += text), stderr: io.stderr }, signal);
  let outcome: BuildOutcome | undefined;
  let error: string | undefined;
  try {
    const result = JSON.parse(json) as BuildOutcome | { ok: false; error: { message: string } };
    if (result.ok) outcome = result;
    else error = result.error.message;
  } catch {
    error = `the build printed no result (exit code ${code})`;
  }
  if (outcome) {
    const m = outcome.metadata as Record<string, unknown>;
    const values: Record<string, unknown> = {
      'job-id': m.jobId,
      'checkpoint-id': m.checkpointId,
      'engine-version': m.engineVersion,
      out: outcome.out,
      files: outcome.files,
      bytes: outcome.bytes,
    };
    writeOutputs(
      env.GITHUB_OUTPUT,
      Object.fromEntries(
        Object.keys(ACTION_OUTPUTS).map((name) => [name, values[name] === undefined ? '' : String(values[name])]),
      ),
    );
    for (const warning of outcome.warnings) io.stdout(`::warning::${escapeData(warning)}\n`);
  } else {
    io.stdout(`::error::${escapeData(error ?? 'failed')}\n`);
  }
  if (env.GITHUB_STEP_SUMMARY)
    appendFileSync(env.GITHUB_STEP_SUMMARY, summaryOf(command, outcome, error, process.cwd()));
  return code;
}
