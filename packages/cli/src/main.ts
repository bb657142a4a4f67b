import { readFileSync } from 'node:fs';
import { allFlags, COMMAND_FLAGS, type Command } from './cli-flags.js';
import { buildOrExport, check, checkpoint } from './commands.js';
import { EXIT, exitCodeFor, UsageError } from './errors.js';
import { type Flag, flagNameFor, parseFlags } from './flags.js';
import { commandHelp, mainHelp } from './help.js';
import { type Io, processIo, Reporter } from './reporter.js';

export { EXIT } from './errors.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/**
 * Option names in messages ("Option projectId must be ...") as the flags the user typed ("--project-id must be ...").
 */
function inFlagWords(message: string, flags: Flag[]): string {
  return message
    .replace(/^Option ([\w.]+)/, (_m, option: string) => flagNameFor(option, flags))
    .replace(/^(\w+) options must be an object/, 'The flags must be');
}

/**
 * Runs one command line and returns the exit code (bin.ts sets it). Ctrl-C and SIGTERM abort what is in flight;
 * the staging folder and the client's spool are removed before the process ends.
 */
export async function main(argv: string[], io: Io = processIo, signal?: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(mainHelp(VERSION));
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const json = rest.includes('--json');
  const quiet = rest.includes('--quiet');
  const reporter = new Reporter(io, quiet);
  if (!(command in COMMAND_FLAGS)) {
    const error = new UsageError(
      `Unknown command ${JSON.stringify(command)}: use ${Object.keys(COMMAND_FLAGS).join(', ')} (see --help)`,
    );
    reporter.error(error.message);
    if (json) reporter.json({ ok: false, exitCode: EXIT.usage, error: { code: error.code, message: error.message } });
    return EXIT.usage;
  }
  const name = command as Command;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(name));
    return EXIT.ok;
  }
  const flags = allFlags(name);
  try {
    const { options, positionals } = parseFlags(rest, flags);
    const controller = new AbortController();
    const aborted = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    let result: unknown;
    if (name === 'check') {
      if (positionals.length !== 1)
        throw new UsageError(`check takes one build folder: ${'playcanvas-build'} check <dir>`);
      result = await check(positionals[0] as string, options, reporter);
    } else {
      if (positionals.length > 0)
        throw new UsageError(
          `${name} takes no arguments besides flags; got ${positionals.map((p) => JSON.stringify(p)).join(' ')} ` +
            '(values with spaces need quotes)',
        );
      result =
        name === 'checkpoint'
          ? await checkpoint(options, reporter, aborted)
          : await buildOrExport(name, options, reporter, aborted);
    }
    if (json) reporter.json(result);
    // what `checkpoint` makes is its result: the id on stdout, for ID=$(playcanvas-build checkpoint ...)
    else if (name === 'checkpoint') io.stdout(`${(result as { checkpoint: { id: string } }).checkpoint.id}\n`);
    return EXIT.ok;
  } catch (caught) {
    const interrupted = signal?.aborted === true;
    const code = interrupted
      ? ((signal?.reason as { exitCode?: number })?.exitCode ?? EXIT.interrupted)
      : exitCodeFor(caught);
    const error = caught as Error & { code?: string };
    const message = interrupted
      ? `stopped (${(signal?.reason as Error)?.message ?? 'interrupted'}); nothing was written`
      : inFlagWords(error.message, flags);
    reporter.error(message);
    if (json)
      reporter.json({
        ok: false,
        exitCode: code,
        error: { code: interrupted ? 'INTERRUPTED' : (error.code ?? error.name), message },
      });
    return code;
  }
}
