import { COMMAND_FLAGS, type Command } from './cli-flags.js';
import type { Flag } from './flags.js';
import { PROGRAM } from './reporter.js';

const USAGE: Record<Command, { line: string; what: string; example: string }> = {
  build: {
    line: `${PROGRAM} build --project <id> --name <name> --scenes <ids or names> --out <dir> [flags]`,
    what:
      'Builds the app (POST /api/apps/download), waits for the job, downloads and checks the archive, ' +
      'writes its files to --out; optionally post-processes them and boots them in Chromium first.',
    example:
      `${PROGRAM} build --project 1000 --name "Space Race" --scenes Main,"Level 2" --branch main ` +
      '--engine-version 2.23.3 --csp --check --out build',
  },
  export: {
    line: `${PROGRAM} export --project <id> [--branch <name>] --out <dir> [--zip]`,
    what:
      'Exports the project archive (POST /api/projects/:id/export) and writes its files ' +
      '(or, with --zip, the archive) to --out.',
    example: `${PROGRAM} export --project 1000 --branch main --zip --out backups`,
  },
  checkpoint: {
    line: `${PROGRAM} checkpoint --project <id> [--branch <name>] --description <text>`,
    what:
      'Creates a checkpoint of a branch (the one named main, unless --branch or --branch-id says) ' +
      'and prints its id on stdout (with --json, the whole checkpoint).',
    example: `${PROGRAM} checkpoint --project 1000 --description "Release 1.4.2" --json`,
  },
  check: {
    line: `${PROGRAM} check <dir> [flags]`,
    what:
      'Boots a build folder in headless Chromium and reports console errors, exceptions, failed requests ' +
      'and CSP violations (exit 1 when there are any).',
    example: `${PROGRAM} check build --screenshot boot.png`,
  },
};

/** What the footer of --help says, each part for the commands it applies to. */
const ENVIRONMENT = {
  api: [
    '  PLAYCANVAS_API_KEY    the API token (Organization Account → API Tokens). ' +
      'There is no token flag: a value on the',
    '                        command line lands in the shell history and the process list.',
    '  PLAYCANVAS_BASE_URL   the API origin (default https://playcanvas.com)',
    '  HTTPS_PROXY, HTTP_PROXY, NO_PROXY, NODE_EXTRA_CA_CERTS   ' +
      `as curl reads them (see the README's "Corporate networks")`,
  ].join('\n'),
  browser: (flag: string) => `  CHROME_PATH           the browser for ${flag}, unless --browser names one`,
};

const EXIT_LINES = {
  ok: '  0    done',
  build: '  1    the build failed: the job failed, the check found problems, or post-processing found the build wrong',
  job: '  1    the job failed',
  check: '  1    the check found problems',
  usage: (what: string) => `  2    usage: ${what}`,
  network: '  3    the API or the network failed: errors, rate limits, time-outs, broken or corrupt downloads',
  interrupted: '  130  interrupted (Ctrl-C); 143 terminated (SIGTERM). Nothing is left half-written either way.',
};

/** Environment and exit codes, as they apply to one command (or, for the main help, to all). */
function footer(command: Command | 'all'): string {
  const flags = command === 'all' ? [] : COMMAND_FLAGS[command].flatMap((group) => group.flags);
  const switchOn = flags.find((flag) => flag.read === 'boolean' && /\btrue\b/.test(flag.defaultText ?? ''));
  const env = [
    ...(command !== 'check' ? [ENVIRONMENT.api] : []),
    ...(command === 'all' || command === 'build'
      ? [ENVIRONMENT.browser('--check')]
      : command === 'check'
        ? [ENVIRONMENT.browser('check')]
        : []),
  ];
  const exits = [
    EXIT_LINES.ok,
    command === 'check'
      ? EXIT_LINES.check
      : command === 'export' || command === 'checkpoint'
        ? EXIT_LINES.job
        : EXIT_LINES.build,
    EXIT_LINES.usage(
      command === 'check'
        ? 'a wrong flag, no browser'
        : command === 'build' || command === 'all'
          ? 'a wrong flag or option, no token, no browser for --check'
          : 'a wrong flag or option, no token',
    ),
    ...(command !== 'check' ? [EXIT_LINES.network] : []),
    EXIT_LINES.interrupted,
  ];
  const switches =
    command === 'all'
      ? 'Switches take --no-<flag> to turn off what is on by default, e.g. build --no-scripts-minify.\n\n'
      : switchOn
        ? `Switches take --no-<flag> to turn off what is on by default, e.g. --no-${switchOn.name}.\n\n`
        : '';
  return `${switches}Environment:\n${env.join('\n')}\n\nExit codes:\n${exits.join('\n')}`;
}

function placeholderOf(flag: Flag): string {
  return flag.read === 'number' ? 'n' : flag.read === 'scenes' || flag.read === 'list' ? 'a,b' : 'value';
}

function flagLine(flag: Flag): string {
  const names = [flag.name, ...flag.aliases].map((n) => `--${n}`).join(', ');
  const value =
    flag.read === 'boolean'
      ? ''
      : flag.read === 'boolean-or-text'
        ? ' [description]'
        : ` <${flag.placeholder ?? placeholderOf(flag)}>`;
  const left = `  ${names}${value}`;
  const defaultText = flag.defaultText !== undefined ? ` (default: ${flag.defaultText})` : '';
  const turnOff = flag.read === 'boolean' && flag.defaultText === 'true' ? ` Turn off with --no-${flag.name}.` : '';
  const right = `${flag.doc}${defaultText}${turnOff}`;
  return left.length >= 34 ? `${left}\n${' '.repeat(36)}${right}` : `${left.padEnd(36)}${right}`;
}

export function commandHelp(command: Command): string {
  const usage = USAGE[command];
  const groups = COMMAND_FLAGS[command].map((group) => `${group.title}:\n${group.flags.map(flagLine).join('\n')}`);
  return (
    `Usage: ${usage.line}\n\n${usage.what}\n\nExample:\n  ${usage.example}\n\n` +
    `${groups.join('\n\n')}\n\n${footer(command)}\n`
  );
}

export function mainHelp(version: string): string {
  const commands = (Object.keys(USAGE) as Command[])
    .map((c) => `  ${c.padEnd(12)}${USAGE[c].what.split(': ')[0]?.split(' (')[0]}`)
    .join('\n');
  return `${PROGRAM} ${version}: PlayCanvas builds from the command line, for CI jobs without a gulpfile.

Usage: ${PROGRAM} <command> [flags]

Commands:
${commands}

Run "${PROGRAM} <command> --help" for a command's flags. First steps:
  export PLAYCANVAS_API_KEY=...        # from Organization Account → API Tokens
  ${USAGE.build.example}

${footer('all')}
`;
}
