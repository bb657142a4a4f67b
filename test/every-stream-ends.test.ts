import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import { main } from '@gulp-playcanvas/playcanvas-build';
import type { Fault, MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { type Archive, ArchiveError, extractArchive, openArchive } from '@gulp-playcanvas/playcanvas-rest-client';
import { forgetBudgets, liveTempDirs } from '@gulp-playcanvas/playcanvas-rest-client/testing';
import gulp from 'gulp';
import PluginError from 'plugin-error';
import { buildFiles } from 'test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD, downloadUrlOf, eventually, FAST, filesUnder, settled, startMock, TOKEN, tempDir } from './helpers.js';

// Every stream ends: for each way the build's files are written (content mode) × each way the archive comes
// (download path) × each of the mock's archive faults, the run settles, done or failed with a typed error,
// within a hard bound, and no partly written file stays behind.

const MiB = 1024 * 1024;
/** The build's one entry over 1 MiB (2.5 MB): streamed with buffer: false, and by the folder writer. */
const ENGINE = 'playcanvas-stable.min.js';
/** The client's own timeout; a run that has not settled well after it hangs. */
const TIMEOUT_MS = 4000;
const BOUND_MS = 8000;
const MAX_DOWNLOAD = 8 * MiB;

type Ending = 'done' | 'ArchiveError' | 'DownloadError';

interface ArchiveFault {
  name: string;
  faults: Fault[];
  ends: Ending;
  /** Read from disk, the file as it came; 'no file' where the fault is the download's alone. */
  fromDisk?: Ending | 'no file';
}

const sizeLie = (entry: string, size: number): Fault => ({ type: 'size-lie', entry, size });
const FAULTS: ArchiveFault[] = [
  { name: 'no fault', faults: [], ends: 'done' },
  {
    name: 'a body cut short on every try',
    faults: [{ type: 'truncate', bytes: 1000 }],
    ends: 'DownloadError',
    fromDisk: 'ArchiveError',
  },
  { name: 'a smashed end of central directory', faults: [{ type: 'corrupt-zip' }], ends: 'ArchiveError' },
  {
    name: 'a hostile entry ../x',
    faults: [{ type: 'hostile-entry', entry: { kind: 'file', name: '../x' } }],
    ends: 'ArchiveError',
  },
  {
    name: 'a hostile entry /etc/x',
    faults: [{ type: 'hostile-entry', entry: { kind: 'file', name: '/etc/x' } }],
    ends: 'ArchiveError',
  },
  {
    name: 'a symlink entry (skipped)',
    faults: [{ type: 'hostile-entry', entry: { kind: 'symlink', name: 'l', target: '/etc' } }],
    ends: 'done',
  },
  { name: 'a small entry altered', faults: [{ type: 'corrupt-entry', entry: 'config.json' }], ends: 'ArchiveError' },
  { name: 'the large entry altered mid-way', faults: [{ type: 'corrupt-entry', entry: ENGINE }], ends: 'ArchiveError' },
  { name: 'a small entry declaring 1 byte', faults: [sizeLie('config.json', 1)], ends: 'ArchiveError' },
  { name: 'a small entry declaring 2 MiB (size-lie)', faults: [sizeLie('config.json', 2 * MiB)], ends: 'ArchiveError' },
  {
    name: 'a small entry declaring 2 MiB, bad deflate at its start',
    faults: [sizeLie('config.json', 2 * MiB), { type: 'corrupt-entry', entry: 'config.json' }],
    ends: 'ArchiveError',
  },
  { name: 'the large entry declaring 1.5 MiB', faults: [sizeLie(ENGINE, 1.5 * MiB)], ends: 'ArchiveError' },
  { name: 'a body without end', faults: [{ type: 'endless' }], ends: 'DownloadError', fromDisk: 'no file' },
  { name: 'a gzip bomb', faults: [{ type: 'gzip-bomb', bytes: 16 * MiB }], ends: 'DownloadError', fromDisk: 'no file' },
];

let server: MockServer;
/** The clean build's files: what every written file must be, byte for byte. */
let reference: Map<string, Buffer>;
beforeAll(async () => {
  server = await startMock({ rateLimits: { normal: 100_000, strict: 100_000, post: 100_000 } });
  reference = await buildFiles(server, { scenes: BUILD.scenes });
  vi.stubEnv('PLAYCANVAS_API_KEY', TOKEN);
  vi.stubEnv('PLAYCANVAS_BASE_URL', server.url);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

/** Files under `dir` that are not whole: not the clean build's bytes (the zip: not the bytes served). */
async function partial(dir: string): Promise<string[]> {
  const files = await filesUnder(dir).catch(() => new Map<string, { bytes: Buffer }>());
  const served = [...files.keys()].some((n) => n.endsWith('.zip')) ? await servedArchive() : undefined;
  return [...files]
    .filter(([name, { bytes }]) => !(name.endsWith('.zip') ? served : reference.get(name))?.equals(bytes))
    .map(([name]) => name);
}

/** The archive as the mock serves it now (faults included), or as much of it as came. */
async function servedArchive(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of (await fetch(downloadUrlOf(server))).body ?? []) chunks.push(Buffer.from(chunk));
  } catch {
    // cut short: what came is the file
  }
  return Buffer.concat(chunks);
}

function expectEnding(error: unknown, ends: Ending): void {
  if (ends === 'done') expect(error, (error as Error)?.message).toBeUndefined();
  else expect((error as Error)?.name, (error as Error)?.message ?? 'the run should have failed').toBe(ends);
}

// --- through the network: the host serving ranges (read while it arrives) or only the whole file

type NetworkPath = 'ranged host' | 'whole file (no ranges)';
const PATH_FAULTS: Record<NetworkPath, Fault> = {
  // slow enough that entries wait for bytes still to come
  'ranged host': { type: 'bandwidth', bytesPerSecond: 16 * MiB },
  'whole file (no ranges)': { type: 'no-ranges' },
};

interface NetworkMode {
  name: string;
  /** Runs the build into `parent`; resolves when done, rejects with what the user sees as the error. */
  run(parent: string, spool: string): Promise<void>;
  /** What must hold of the output once the run failed. */
  leftAfterFailure(parent: string): Promise<string[]>;
}

const viaGulp =
  (options: Record<string, unknown>): NetworkMode['run'] =>
  async (parent, spool) => {
    const plugin = playcanvas({
      token: TOKEN,
      baseUrl: server.url,
      ...FAST,
      ...BUILD,
      tempDir: spool,
      timeout: TIMEOUT_MS,
      maxDownloadBytes: MAX_DOWNLOAD,
      ...options,
    } as never);
    try {
      await pipeline(plugin, gulp.dest(join(parent, 'site')));
    } catch (error) {
      expect(error).toBeInstanceOf(PluginError);
      expect((error as PluginError).plugin).toBe('gulp-playcanvas');
      throw error;
    }
  };

const CLI_CODES: Record<string, string> = { ARCHIVE: 'ArchiveError', DOWNLOAD: 'DownloadError' };
const FAST_FLAGS = [
  '--retry-base-delay-ms',
  '10',
  '--retry-max-delay-ms',
  '40',
  '--retry-retries',
  '3',
  '--poll-initial-delay-ms',
  '5',
];

const NETWORK_MODES: NetworkMode[] = [
  ...[
    ['gulp, buffer: true', { buffer: true }],
    ['gulp, buffer: false', { buffer: false }],
    ['gulp, extract: false, buffer: false', { extract: false, buffer: false }],
  ].map(([name, options]) => ({
    name: name as string,
    run: viaGulp(options as Record<string, unknown>),
    // gulp.dest keeps what it finished (it never cleans a folder); nothing half-written may stay
    leftAfterFailure: (parent: string) => partial(join(parent, 'site')),
  })),
  {
    name: "the CLI's folder writer",
    async run(parent, spool) {
      const stdout: string[] = [];
      const io = { stdout: (text: string) => stdout.push(text), stderr: () => undefined };
      const args = [
        'build',
        '--project',
        '1000',
        '--name',
        'Space Race',
        '--scenes',
        '2000',
        '--out',
        join(parent, 'build'),
        '--json',
      ];
      await main(
        [
          ...args,
          ...FAST_FLAGS,
          '--timeout',
          `${TIMEOUT_MS}`,
          '--max-download-bytes',
          `${MAX_DOWNLOAD}`,
          '--temp-dir',
          spool,
        ],
        io,
      );
      const result = JSON.parse(stdout.join('')) as { ok: boolean; error?: { code: string; message: string } };
      if (!result.ok)
        throw Object.assign(new Error(result.error?.message), {
          name: CLI_CODES[result.error?.code ?? ''] ?? result.error?.code,
        });
    },
    // the folder is replaced only when everything succeeded: nothing of a failed build is left
    leftAfterFailure: (parent) => readdir(parent),
  },
];

describe.each(Object.keys(PATH_FAULTS) as NetworkPath[])('downloaded from a %s', (path) => {
  describe.each(NETWORK_MODES.map((mode) => [mode.name, mode] as const))('%s', (_name, mode) => {
    it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
      '%s: settles, nothing partial stays',
      async (_fault, fault) => {
        server.reset();
        forgetBudgets();
        server.addFault({ route: 'download', fault: PATH_FAULTS[path] });
        for (const f of fault.faults) server.addFault({ route: 'download', fault: f });
        const parent = await tempDir('ends-');
        const spool = await tempDir('ends-spool-');
        const { error } = await settled(mode.run(parent, spool), BOUND_MS);
        expectEnding(error, fault.ends);
        if (error) expect(await eventually(async () => (await mode.leftAfterFailure(parent)).length === 0)).toBe(true);
        else expect(await partial(join(parent, mode.name.startsWith('gulp') ? 'site' : 'build'))).toEqual([]);
        const spooled = async () =>
          (await readdir(spool)).length + liveTempDirs().filter((d) => d.startsWith(spool)).length;
        expect(await eventually(async () => (await spooled()) === 0)).toBe(true);
      },
    );
  });
});

// --- from disk: an archive downloaded before, read by the client's own API

interface DiskMode {
  name: string;
  run(zip: Archive, out: string): Promise<void>;
}

/** Every entry's stream opened ahead (as the plugin's read-ahead does), read later; every one must end. */
async function streamsOpenedAhead(zip: Archive): Promise<void> {
  const opened: Array<Promise<NodeJS.ReadableStream>> = [];
  for await (const entry of zip.entries()) opened.push(entry.openStream());
  for (const stream of opened) stream.catch(() => undefined);
  await new Promise((r) => setTimeout(r, 20));
  try {
    for (const stream of opened)
      await pipeline(await stream, new Writable({ write: (_chunk, _encoding, next) => next() }));
  } finally {
    await zip.dispose();
    const ends = opened.map((p) => p.then((s) => new Promise((r) => finished(s as never, r))));
    await Promise.allSettled(ends);
  }
}

const DISK_MODES: DiskMode[] = [
  {
    name: 'entries read whole (buffer: true)',
    async run(zip) {
      for await (const entry of zip.entries()) await entry.read();
    },
  },
  { name: 'entry streams opened ahead (buffer: false)', run: streamsOpenedAhead },
  { name: 'the zip checked whole (extract: false)', run: (zip) => zip.verify() },
  { name: 'the folder writer (extractArchive)', run: (zip, out) => extractArchive(zip, out).then(() => undefined) },
];

describe('read from disk', () => {
  describe.each(DISK_MODES.map((mode) => [mode.name, mode] as const))('%s', (_name, mode) => {
    const cases = FAULTS.filter((f) => f.fromDisk !== 'no file');
    it.each(cases.map((fault) => [fault.name, fault] as const))(
      '%s: settles, nothing partial stays',
      async (_fault, fault) => {
        server.reset();
        forgetBudgets();
        await buildFiles(server, { scenes: BUILD.scenes });
        for (const f of fault.faults) server.addFault({ route: 'download', fault: f });
        const dir = await tempDir('ends-disk-');
        const file = join(dir, 'space-race.zip');
        await writeFile(file, await servedArchive());
        const out = join(dir, 'out');
        const run = async () => {
          const zip = await openArchive(file);
          try {
            await mode.run(zip, out);
          } finally {
            await zip.dispose();
          }
        };
        const { error } = await settled(run(), BOUND_MS);
        if (error) expect(error).toBeInstanceOf(ArchiveError);
        expectEnding(error, (fault.fromDisk ?? fault.ends) as Ending);
        // whole files stay (the writer's contract); a file cut short does not, nor its temporary name
        expect(await partial(out)).toEqual([]);
      },
    );
  });
});
