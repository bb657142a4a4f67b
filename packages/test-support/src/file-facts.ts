import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import JSZip from 'jszip';
import { expect } from 'vitest';

/** The facts of a file the tests compare: its bytes, permissions and mtime (to the second, as a zip keeps it). */
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
    out.set(relative(dir, path), {
      bytes: await readFile(path),
      mode: s.mode & 0o777,
      mtimeSeconds: Math.floor(s.mtimeMs / 1000),
    });
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

/**
 * Asserts that two file maps hold the same names with the same bytes, modes and mtimes. Bytes are compared
 * by digest: a deep `toEqual` over megabytes of engine takes seconds and prints unreadable diffs.
 */
export function expectSameFiles(
  actual: ReadonlyMap<string, FileFacts>,
  expected: ReadonlyMap<string, FileFacts>,
): void {
  const summary = (files: ReadonlyMap<string, FileFacts>) =>
    Object.fromEntries(
      [...files].map(([name, facts]) => [
        name,
        {
          size: facts.bytes.length,
          sha256: createHash('sha256').update(facts.bytes).digest('hex'),
          mode: facts.mode,
          mtimeSeconds: facts.mtimeSeconds,
        },
      ]),
    );
  expect(expected.size, 'the expected side is empty: the comparison would prove nothing').toBeGreaterThan(0);
  expect(summary(actual)).toEqual(summary(expected));
}
