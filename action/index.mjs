// The GitHub Action's entry point (action.yml: runs.main). It runs the CLI's build from this repository's
// packages: built already (as in this repository's tests), or installed and built here on the runner's first
// use of this action version (pnpm through npx; about a minute), since the packages are not published yet.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = new URL('../packages/cli/dist/action.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  const pnpm = (...args) =>
    execFileSync('npx', ['--yes', 'pnpm@12.4.2', ...args], { cwd: root, stdio: ['ignore', 2, 2] });
  process.stderr.write('Setting up the action: installing and building its packages (once per runner and version)\n');
  pnpm('install', '--frozen-lockfile');
  pnpm('build');
}
const { runAction } = await import(entry.href);
const { exitWhenDone } = await import(new URL('../packages/cli/dist/exit.js', import.meta.url).href);
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort(Object.assign(new Error('received SIGTERM'), { exitCode: 143 })));
process.on('SIGINT', () => controller.abort(Object.assign(new Error('received SIGINT'), { exitCode: 130 })));
const io = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
await exitWhenDone(await runAction(process.env, io, controller.signal));
