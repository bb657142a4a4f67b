import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inspect } from 'node:util';
import JSZip from 'jszip';
import { type MockServer, type StartOptions, startMockServer } from 'playcanvas-mock-server';
import { expect } from 'vitest';

/** Recognizable, so every failure test can check that it leaked nowhere. */
export const TOKEN = 'e2e-secret-token-8d1f3b';

export function fixtures(): NonNullable<StartOptions['fixtures']> {
  return {
    users: [{ id: 100, username: 'builder', fullName: 'Build Engineer' }],
    tokens: [
      { token: TOKEN, userId: 100, projects: [1000] },
      { token: 'e2e-outsider-token', userId: 100, projects: [] },
    ],
    projects: [
      {
        id: 1000,
        name: 'Space Race',
        ownerId: 100,
        branches: [
          { id: 'b-main', name: 'main', main: true },
          { id: 'b-boost', name: 'feature-boost' },
          { id: 'b-release', name: 'release-1.2' },
        ],
        scenes: [
          { id: 2000, name: 'Main' },
          { id: 2001, name: 'Level 2' },
        ],
        assets: [
          { id: 3000, name: 'player.js', type: 'script', filename: 'player.js', revision: 2 },
          { id: 3001, name: 'tool.sh', type: 'text', filename: 'tool.sh', mode: 0o100755 },
          { id: 3002, name: 'ship.png', type: 'texture', filename: 'ship.png', revision: 3 },
        ],
      },
    ],
  };
}

export function startMock(options: StartOptions = {}): Promise<MockServer> {
  return startMockServer({ fixtures: fixtures(), pollsToComplete: 2, branchPageSize: 1, ...options });
}

export const FAST = { retry: { baseDelayMs: 10, maxDelayMs: 40, retries: 3 }, poll: { initialDelayMs: 5, maxDelayMs: 20 } };

export async function tempDir(prefix = 'e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface FileFacts {
  bytes: Buffer;
  mode: number;
  mtimeSeconds: number;
}

/** Every file under a folder, by relative path. */
export async function filesUnder(dir: string): Promise<Map<string, FileFacts>> {
  const out = new Map<string, FileFacts>();
  for (const name of (await readdir(dir, { recursive: true })) as string[]) {
    const path = join(dir, name);
    const s = await stat(path);
    if (!s.isFile()) continue;
    out.set(relative(dir, path), { bytes: await readFile(path), mode: s.mode & 0o777, mtimeSeconds: Math.floor(s.mtimeMs / 1000) });
  }
  return out;
}

/** What the mock served for a job, read by an independent zip reader. */
export async function servedFiles(url: string): Promise<Map<string, FileFacts>> {
  const zip = await JSZip.loadAsync(Buffer.from(await (await fetch(url)).arrayBuffer()));
  const out = new Map<string, FileFacts>();
  for (const file of Object.values(zip.files)) {
    if (file.dir) continue;
    out.set(file.name, {
      bytes: await file.async('nodebuffer'),
      mode: Number(file.unixPermissions) & 0o777,
      mtimeSeconds: Math.floor(file.date.getTime() / 1000),
    });
  }
  return out;
}

export function downloadUrlOf(server: MockServer): string {
  const entry = server.state.jobs.all().at(-1);
  if (!entry?.resultUrl) throw new Error('no job');
  return entry.resultUrl;
}

export function expectNoToken(value: unknown): void {
  const text =
    value instanceof Error
      ? `${value.message}\n${value.stack}\n${inspect(value, { depth: 6, showHidden: true })}\n${String(value)}`
      : inspect(value, { depth: 6 });
  expect(text).not.toContain(TOKEN);
}

/** gulplog is an event emitter (glogg) whose typings leave out on/off: what the tests listen with. */
export const gulpLog = (await import('gulplog')).default as unknown as {
  on(level: 'info' | 'warn', listener: (line: string) => void): void;
  off(level: 'info' | 'warn', listener: (line: string) => void): void;
};
