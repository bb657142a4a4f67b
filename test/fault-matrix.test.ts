import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { forgetBudgets, liveTempDirs } from '@gulp-playcanvas/playcanvas-rest-client/testing';
import gulp from 'gulp';
import { CASES, messagePattern } from 'test-support/fault-matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoToken, FAST, filesUnder, gulpLog, startMock, TOKEN, tempDir } from './helpers.js';

let server: MockServer;

beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());

/** Kinds of live resources that a finished build must not leave behind. */
const WATCHED = new Set(['TCPSocketWrap', 'FSReqCallback', 'FileHandle', 'Timeout', 'FSEventWrap']);
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo())
    if (WATCHED.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

async function leftovers(baseline: Map<string, number>): Promise<string[]> {
  let extra: string[] = [];
  for (let i = 0; i < 40; i++) {
    server.dropConnections();
    await new Promise((r) => setTimeout(r, 50));
    const now = resources();
    extra = [...now]
      .filter(([kind, n]) => n > (baseline.get(kind) ?? 0))
      .map(([kind, n]) => `${kind}: ${n - (baseline.get(kind) ?? 0)}`);
    if (extra.length === 0) break;
  }
  return extra;
}

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export function normalize(message: string): string {
  return message.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/'\/tmp\/[^']*'/g, "'<output>'");
}

describe('fault matrix: phase × fault → outcome, through the plugin, the mock and gulp.dest', () => {
  it.each(CASES.map((c) => [`${c.phase}: ${c.fault}`, c] as const))('%s', async (_name, c) => {
    server.reset();
    forgetBudgets();
    const baseline = resources();
    const root = await tempDir('matrix-');
    const spool = await tempDir('matrix-spool-');
    const out = join(root, 'site');
    if (c.blockOutput) await writeFile(out, 'a file where the output folder should be');
    c.arrange(server);
    const extra = c.options?.() ?? {};
    const lines: string[] = [];
    const capture = (line: string) => lines.push(line);
    gulpLog.on('info', capture);
    gulpLog.on('warn', capture);
    let error: (Error & { plugin?: string }) | undefined;
    try {
      await pipeline(
        playcanvas({
          token: TOKEN,
          baseUrl: server.url,
          ...FAST,
          tempDir: spool,
          projectId: 1000,
          name: 'Space Race',
          scenes: [2000],
          ...extra,
        } as never),
        gulp.dest(out),
      );
    } catch (e) {
      error = e as Error;
    } finally {
      gulpLog.off('info', capture);
      gulpLog.off('warn', capture);
    }
    if (c.expected.outcome === 'recovers') {
      expect(error, error?.message).toBeUndefined();
      expect((await filesUnder(out)).has('index.html')).toBe(true);
    } else {
      expect(error, 'the build should have failed').toBeDefined();
      const e = error as Error & { plugin?: string };
      expect(e.name).toBe(c.expected.error);
      if (c.phase !== 'write files') expect(e.plugin).toBe('gulp-playcanvas');
      expect(normalize(e.message)).toMatch(messagePattern(c.expected.message));
      expectNoToken(e);
    }
    // nothing outside the output folder, no temp files, no token anywhere, no resource left open
    const besideOutput = await readdir(root);
    expect(besideOutput.filter((name) => name !== 'site')).toEqual([]);
    if (c.blockOutput) expect(besideOutput).toEqual(['site']);
    // a consumer that fails (gulp.dest, here) destroys the stream; the temp folder goes as soon as the build unwinds
    expect(await eventually(async () => (await readdir(spool)).length === 0 && liveTempDirs().length === 0)).toBe(true);
    for (const line of lines) expect(line).not.toContain(TOKEN);
    expect(JSON.stringify(server.journal())).not.toContain(TOKEN);
    if (!c.blockOutput) {
      for (const [, facts] of await filesUnder(out).catch(() => new Map()))
        expect(facts.bytes.includes(TOKEN)).toBe(false);
    }
    expect(await leftovers(baseline)).toEqual([]);
  });
});

it('nothing escaped into the parent of the output folders', async () => {
  const parent = join(await tempDir('matrix-parent-'), 'a');
  await mkdir(parent);
  server.reset();
  server.addFault({
    route: 'download',
    fault: { type: 'hostile-entry', entry: { kind: 'file', name: '../escaped.txt' } },
  });
  await expect(
    pipeline(
      playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, projectId: 1000, name: 'x', scenes: [2000] }),
      gulp.dest(join(parent, 'site')),
    ),
  ).rejects.toThrow(/hostile entry/);
  await expect(readFile(join(parent, 'escaped.txt'))).rejects.toThrow(/ENOENT/);
});
