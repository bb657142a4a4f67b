// The download-and-extract contenders, each a command run in a process of its own.
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const CLI = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));

/** What a contender is read against: its own kind of floor. */
export type Kind = 'plugin-buffer' | 'plugin-stream' | 'direct' | 'floor' | 'gulp-buffer' | 'gulp-stream' | 'other';

export interface Contender {
  /** What --contenders calls it: plugin-buffer, plugin-stream, cli, cli-base, unzip, gulp-buffer, ... */
  key: string;
  name: string;
  kind: Kind;
  /** The command that writes every file of the build below `out`. */
  command(out: string): string[];
  /** An environment of its own (the CLI's token and origin), over the bench's. */
  env?: NodeJS.ProcessEnv;
}

export interface Target {
  /** The mock's origin and a token that may build `projectId`. */
  baseUrl: string;
  token: string;
  projectId: number;
  /** A finished job's archive URL (for the contenders that only download). */
  url: string;
  /** The build, extracted once beforehand: what gulp's own copy reads. */
  tree: string;
}

/** The plugin into gulp.dest, as a gulpfile would run it. */
export const plugin = (t: Target, mode: 'buffer' | 'stream') => (out: string) => [
  'node',
  `${here}contenders/plugin.mjs`,
  t.baseUrl,
  t.token,
  String(t.projectId),
  out,
  mode,
];

/** The direct writer (extractArchive, no gulp): the playcanvas-build CLI (or another build of it: `cli`). */
export const direct =
  (t: Target, cli = CLI) =>
  (out: string) => [
    'node',
    cli,
    'build',
    '--project',
    String(t.projectId),
    '--name',
    'Bench',
    '--scenes',
    '2000',
    '--poll-initial-delay-ms',
    '10',
    '--out',
    out,
  ];

export const cliEnv = (t: Target): NodeJS.ProcessEnv => ({
  ...process.env,
  PLAYCANVAS_API_KEY: t.token,
  PLAYCANVAS_BASE_URL: t.baseUrl,
});

export const curlThenUnzip = (url: string) => (out: string) => [
  'sh',
  '-c',
  `curl -sf -o "${out}.zip" "${url}" && unzip -q "${out}.zip" -d "${out}" && rm "${out}.zip"`,
];

/** Every contender, or those `keys` name; `baseCli` adds another build of the CLI beside ours. */
export function downloadContenders(t: Target, keys: string[] = [], baseCli?: string): Contender[] {
  const all: Contender[] = [
    {
      key: 'plugin-buffer',
      name: 'gulp-playcanvas, buffer contents',
      kind: 'plugin-buffer',
      command: plugin(t, 'buffer'),
    },
    {
      key: 'plugin-stream',
      name: 'gulp-playcanvas, streaming contents',
      kind: 'plugin-stream',
      command: plugin(t, 'stream'),
    },
    {
      key: 'cli',
      name: 'direct writer: playcanvas-build CLI (extractArchive)',
      kind: 'direct',
      command: direct(t),
      env: cliEnv(t),
    },
    ...(baseCli
      ? [
          {
            key: 'cli-base',
            name: `direct writer, base build (${baseCli})`,
            kind: 'other' as const,
            command: direct(t, baseCli),
            env: cliEnv(t),
          },
        ]
      : []),
    { key: 'unzip', name: 'floor: curl, then unzip -q', kind: 'floor', command: curlThenUnzip(t.url) },
    {
      key: 'gulp-buffer',
      name: 'gulp floor: gulp.src → gulp.dest of the extracted tree, buffer contents',
      kind: 'gulp-buffer',
      command: (out) => ['node', `${here}contenders/gulp-copy.mjs`, t.tree, out, 'buffer'],
    },
    {
      key: 'gulp-stream',
      name: 'gulp floor: gulp.src → gulp.dest of the extracted tree, streaming contents',
      kind: 'gulp-stream',
      command: (out) => ['node', `${here}contenders/gulp-copy.mjs`, t.tree, out, 'stream'],
    },
    {
      key: 'jszip',
      name: 'jszip: body in memory, loadAsync, write each',
      kind: 'other',
      command: (out) => ['node', `${here}contenders/jszip-way.mjs`, t.url, out],
    },
    {
      key: 'gulp-unzip',
      name: 'gulp-download-stream + gulp-unzip',
      kind: 'other',
      command: (out) => ['node', `${here}contenders/download-unzip.mjs`, t.url, out],
    },
  ];
  const unknown = keys.filter((k) => !all.some((c) => c.key === k));
  if (unknown.length)
    throw new Error(`--contenders: no contender ${unknown.join(', ')}; known: ${all.map((c) => c.key).join(', ')}`);
  return keys.length ? all.filter((c) => keys.includes(c.key)) : all;
}
