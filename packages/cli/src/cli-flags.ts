import { PIPELINE_OPTIONS } from '@gulp-playcanvas/playcanvas-pipeline';
import { NETWORK_NAMES } from '@gulp-playcanvas/playcanvas-postprocess';
import {
  ARCHIVE_OPTIONS,
  BUILD_OPTIONS,
  CHECKPOINT_OPTIONS,
  CLIENT_OPTIONS,
  EXPORT_OPTIONS,
  type Schema,
} from '@gulp-playcanvas/playcanvas-rest-client';
import { type Flag, flagsFromTables } from './flags.js';

const flag = (name: string, read: Flag['read'], doc: string, extra: Partial<Flag> = {}): Flag => ({
  name,
  aliases: [],
  option: name,
  read,
  doc,
  ...extra,
});

/** How the client connects, with the client's own call timeout (`--timeout` is the whole command's). */
export const CONNECTION_TABLES: Schema[] = [CLIENT_OPTIONS];

export const OUTPUT_FLAGS: Flag[] = [
  flag('out', 'text', 'The folder to write. It is replaced as a whole, and only when everything succeeded. Required.', {
    placeholder: 'dir',
  }),
  flag('zip', 'boolean', 'Write the archive itself (every entry checked first) instead of its files.'),
  flag(
    'replace-outside',
    'boolean',
    'Allow --out outside the working folder when it already holds files (they are all replaced).',
  ),
];

export const REPORT_FLAGS: Flag[] = [
  flag('json', 'boolean', 'Print the result (or the error) as JSON on stdout; the log stays on stderr.'),
  flag('quiet', 'boolean', 'No progress on stderr; errors still show.'),
];

export const POSTPROCESS_FLAGS: Flag[] = [
  flag(
    'stamp-version',
    'text',
    'Stamp this version: <meta name="version">, window.BUILD_VERSION, ?v= on the entry files.',
    {
      placeholder: 'version',
    },
  ),
  flag('asset-prefix', 'text', 'Load assets from this URL (a CDN); it must answer with Access-Control-Allow-Origin.', {
    placeholder: 'url',
  }),
  flag('script-prefix', 'text', 'Load script libraries from this URL. Default: the asset prefix.', {
    placeholder: 'url',
  }),
  flag(
    'single-file',
    'boolean',
    'Make one self-contained index.html (for ad networks) instead of the folder of files.',
  ),
  flag('single-file-compress', 'boolean', 'With --single-file: gzip the engine and boot scripts (about 2 MB smaller).'),
  flag('single-file-max-bytes', 'number', 'With --single-file: fail, with the size report, when the file is larger.', {
    placeholder: 'bytes',
  }),
  flag('playable', 'text', `Make the build an ad network's playable: ${NETWORK_NAMES.join(', ')}.`, {
    option: 'playable.network',
    placeholder: 'network',
  }),
  flag(
    'store-url',
    'text',
    'With --playable: where the call-to-action leads (https://; AppLovin and Unity need one).',
    {
      option: 'playable.storeUrl',
      placeholder: 'url',
    },
  ),
  flag('orientation', 'text', 'With --playable: both, portrait or landscape (Google, TikTok). Default both.', {
    option: 'playable.orientation',
    placeholder: 'both|portrait|landscape',
  }),
  flag(
    'max-bytes',
    'number',
    "With --playable: fail, with the size report, above this size instead of the network's.",
    {
      option: 'playable.maxBytes',
      placeholder: 'bytes',
    },
  ),
  flag('csp', 'boolean', 'Add a strict Content-Security-Policy derived from the build (a meta element in index.html).'),
  flag('csp-headers-file', 'boolean', 'With --csp: also write the policy to _headers (Netlify, Cloudflare Pages).'),
  ...(['connect', 'img', 'script', 'style', 'media', 'font', 'worker', 'frame'] as const).map((directive) =>
    flag(`csp-${directive}`, 'list', `With --csp: extra ${directive}-src sources, comma-separated.`, {
      placeholder: 'sources',
    }),
  ),
];

export const CHECK_FLAGS: Flag[] = [
  flag('frames', 'number', 'Frames the app must render to count as running. Default 10.', { placeholder: 'n' }),
  flag('check-timeout', 'number', 'Milliseconds for the boot, from navigation to the last frame. Default 30000.', {
    placeholder: 'ms',
  }),
  flag('until', 'text', 'A JavaScript expression that must also hold in the page, e.g. "window.gameReady === true".', {
    placeholder: 'expression',
  }),
  flag('viewport', 'text', 'The page size, WIDTHxHEIGHT. Default 640x360.', { placeholder: 'size' }),
  flag('page', 'text', 'The page to open. Default index.html.', { placeholder: 'path' }),
  flag('screenshot', 'text', 'Write a PNG of the running app here.', { placeholder: 'file' }),
  flag('browser', 'text', 'The Chromium or Chrome to run. Default: CHROME_PATH, then the usual locations.', {
    placeholder: 'path',
  }),
  flag('ignore', 'list', 'Problems to let pass: comma-separated texts matched against each problem.', {
    placeholder: 'texts',
  }),
  flag('allow-blank', 'boolean', 'The game starts on a blank screen: a first frame of one colour is not a problem.'),
];

export const CHECK_FLAG = flag(
  'check',
  'boolean',
  'Boot the build in headless Chromium before it is written; a problem fails the command (exit 1).',
);

/** The flags of each command, in the groups --help shows. */
export const COMMAND_FLAGS = {
  build: [
    { title: 'What to build', flags: flagsFromTables([BUILD_OPTIONS]) },
    { title: 'Around the build', flags: flagsFromTables([PIPELINE_OPTIONS]) },
    { title: 'Output', flags: [...OUTPUT_FLAGS, ...REPORT_FLAGS] },
    { title: 'Post-processing (in this order)', flags: POSTPROCESS_FLAGS },
    { title: 'Check before writing', flags: [CHECK_FLAG, ...CHECK_FLAGS] },
    { title: 'Connection', flags: flagsFromTables(CONNECTION_TABLES) },
    { title: 'Archive limits', flags: flagsFromTables([ARCHIVE_OPTIONS]) },
  ],
  export: [
    { title: 'What to export', flags: flagsFromTables([EXPORT_OPTIONS]) },
    { title: 'Around the export', flags: flagsFromTables([{ checkpoint: PIPELINE_OPTIONS.checkpoint }]) },
    { title: 'Output', flags: [...OUTPUT_FLAGS, ...REPORT_FLAGS] },
    { title: 'Connection', flags: flagsFromTables(CONNECTION_TABLES) },
    { title: 'Archive limits', flags: flagsFromTables([ARCHIVE_OPTIONS]) },
  ],
  checkpoint: [
    { title: 'The checkpoint', flags: flagsFromTables([CHECKPOINT_OPTIONS]) },
    { title: 'Output', flags: REPORT_FLAGS },
    { title: 'Connection', flags: flagsFromTables(CONNECTION_TABLES) },
  ],
  check: [
    {
      title: 'The check',
      flags: CHECK_FLAGS.map((f) =>
        f.name === 'check-timeout' ? { ...f, name: 'timeout', option: 'check-timeout' } : f,
      ),
    },
    { title: 'Output', flags: REPORT_FLAGS },
  ],
} satisfies Record<string, Array<{ title: string; flags: Flag[] }>>;

export type Command = keyof typeof COMMAND_FLAGS;

export const allFlags = (command: Command): Flag[] => COMMAND_FLAGS[command].flatMap((group) => group.flags);
