import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runProcess, TOKEN, tempDir } from 'test-support';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  cwd: string;
  /** Milliseconds from the start to the first error line, and to the process's end. */
  errorAtMs: number | undefined;
  endedAtMs: number;
}

/** The CLI as a user's shell runs it: a child process, the token in the environment, in a folder of its own. */
export async function runCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    onOutput?: (output: string, child: ChildProcess) => void;
    /** Kill the process this long after its first output: a test of its exit fails, rather than leaving it running. */
    killAfterMs?: number;
  } = {},
): Promise<CliRun> {
  const cwd = options.cwd ?? (await tempDir('cli-'));
  const started = performance.now();
  let errorAtMs: number | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const run = await runProcess(process.execPath, [BIN, ...args], {
    cwd,
    env: { PLAYCANVAS_API_KEY: TOKEN, ...options.env },
    onOutput: (output, child) => {
      if (errorAtMs === undefined && output.includes('playcanvas-build: error:'))
        errorAtMs = performance.now() - started;
      if (options.killAfterMs !== undefined) deadline ??= setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
      options.onOutput?.(output, child);
    },
  });
  clearTimeout(deadline);
  return {
    code: run.code,
    stdout: run.stdout,
    stderr: run.stderr,
    cwd,
    errorAtMs,
    endedAtMs: performance.now() - started,
  };
}

export const BUILD_ARGS = [
  'build',
  '--project',
  '1000',
  '--name',
  'Space Race',
  '--scenes',
  '2000',
  '--engine-version',
  '2.23.3',
];
