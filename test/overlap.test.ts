import { createHash } from 'node:crypto';
import playcanvas, { type PlayCanvasOptions } from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { liveTempDirs } from '@gulp-playcanvas/playcanvas-rest-client/testing';
import { STATIC_VARIANTS } from 'test-support';
import type Vinyl from 'vinyl';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAST, fixturesWith, logLines, startMock, TOKEN } from './helpers.js';

// The archive read while it arrives (ranges served: its end first, then the body, entries emitted as their bytes
// come) must give what the whole-file path gives (no ranges: download, then read): the same vinyl files, bytes,
// modes and mtimes, the same failures.

const MiB = 1024 * 1024;
let server: MockServer;
beforeAll(async () => {
  // larger than the end read first: most entries come in the body
  server = await startMock({
    fixtures: fixturesWith({ id: 1300, synthetic: { files: 40, totalBytes: 6 * MiB, incompressibleRatio: 0.5 } }),
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  expect(liveTempDirs()).toEqual([]);
});

type Path = 'ranges' | 'whole';

interface Emitted {
  files: Array<{ path: string; sha: string; size: number; mode: number | undefined; mtime: number | undefined }>;
  error: string | undefined;
  warnings: string[];
}

async function contentsOf(file: Vinyl): Promise<Buffer> {
  if (file.isBuffer()) return file.contents;
  const chunks: Buffer[] = [];
  for await (const chunk of file.contents as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Every vinyl file the plugin gives (contents read in full), and how it ended; the download served one way. */
async function emitted(path: Path, options: Record<string, unknown>, faults: object[] = []): Promise<Emitted> {
  server.reset();
  if (path === 'whole') server.addFault({ route: 'download', fault: { type: 'no-ranges' } });
  // slow enough that reads wait for bytes still to come
  else server.addFault({ route: 'download', fault: { type: 'bandwidth', bytesPerSecond: 8 * MiB } });
  for (const fault of faults) server.addFault({ route: 'download', fault: fault as never });
  const files: Emitted['files'] = [];
  const { lines, error } = await logLines(async () => {
    for await (const file of playcanvas({
      token: TOKEN,
      baseUrl: server.url,
      ...FAST,
      projectId: 1000,
      ...(options.export ? {} : { name: 'Space Race' }),
      ...options,
    } as PlayCanvasOptions) as AsyncIterable<Vinyl>) {
      const bytes = await contentsOf(file);
      files.push({
        path: file.relative,
        sha: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        mode: file.stat?.mode,
        mtime: file.stat?.mtime?.getTime(),
      });
    }
  });
  const statuses = server
    .journal()
    .filter((e) => e.route === 'download')
    .map((e) => e.status);
  if (statuses.length === 0) throw new Error(`no download: ${(error as Error)?.message}`);
  // the way asked for was the way taken
  expect(statuses[0]).toBe(path === 'ranges' ? 206 : 200);
  return {
    files,
    error: error === undefined ? undefined : (error as Error).message.replace(/\/tmp\/[^\s'"]+/g, '<temp>'),
    warnings: lines.filter((l) => l.includes('skipped')),
  };
}

async function expectSame(options: Record<string, unknown>, faults: object[] = []): Promise<Emitted> {
  const ranged = await emitted('ranges', options, faults);
  const whole = await emitted('whole', options, faults);
  expect(ranged).toEqual(whole);
  // the spool goes once the last read let go of it (just after the stream ended)
  for (let i = 0; i < 50 && liveTempDirs().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(liveTempDirs()).toEqual([]);
  return ranged;
}

const VARIANTS: Array<[string, Record<string, unknown>]> = [
  ...STATIC_VARIANTS.map(([name, body]): [string, Record<string, unknown>] => [
    name,
    {
      scenes: [2000, 2001],
      ...(body.scripts_concatenate ? { scriptsConcatenate: true } : {}),
      ...(body.scripts_minify === false ? { scriptsMinify: false } : {}),
      ...(body.scripts_sourcemaps ? { scriptsSourcemaps: true } : {}),
      ...(body.optimize_scene_format ? { optimizeSceneFormat: true } : {}),
    },
  ]),
  ['the npm format', { scenes: [2000], format: 'npm' }],
  ['an export', { export: true }],
  ['a large build, streaming contents', { projectId: 1300, scenes: [2000], buffer: false }],
  ['a large build, buffer contents', { projectId: 1300, scenes: [2000] }],
  ['the archive whole (extract: false)', { scenes: [2000], extract: false }],
];

describe('read while it arrives = downloaded, then read', () => {
  it.each(VARIANTS)('%s: the same vinyl files, bytes, modes and mtimes', async (_name, options) => {
    const result = await expectSame(options);
    expect(result.error).toBeUndefined();
    expect(result.files.length).toBeGreaterThan(0);
  });

  const HOSTILE: Array<[string, object]> = [
    ['a name that climbs out of the folder', { type: 'hostile-entry', entry: { kind: 'file', name: '../escape.txt' } }],
    ['an absolute name', { type: 'hostile-entry', entry: { kind: 'file', name: '/etc/escape' } }],
    ['a symlink', { type: 'hostile-entry', entry: { kind: 'symlink', name: 'link', target: '/etc' } }],
    ['an entry whose bytes were altered', { type: 'corrupt-entry', entry: 'config.json' }],
    ['an entry whose size is misstated', { type: 'size-lie', entry: 'config.json', size: 1 }],
    ['a smashed end of central directory', { type: 'corrupt-zip' }],
  ];
  it.each(HOSTILE)('%s: the same files before the same failure (or the same skips)', async (_name, fault) => {
    const result = await expectSame({ scenes: [2000] }, [fault]);
    expect(result.error !== undefined || result.warnings.length > 0).toBe(true);
  });
});
