import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { ArchiveError, DownloadedArchive, openArchive } from '../src/index.js';

async function tempFile(name: string, bytes: Buffer): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'held-streams-')), name);
  await writeFile(file, bytes);
  return file;
}

/** The descriptors this process holds open on `path`. */
async function openOn(path: string): Promise<number> {
  const targets = await Promise.all(
    (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
  return targets.filter((target) => target === path).length;
}

describe('streams handed out before they are read', () => {
  it(
    'an entry stream opened ahead and never read fails quietly when the archive is disposed; ' +
      'a later reader gets the error',
    async () => {
      const zip = new JSZip();
      zip.file('small.txt', 'small enough to be inflated whole before anyone reads it');
      const file = await tempFile('a.zip', await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
      const archive = await openArchive(file);
      const streams = [];
      for await (const entry of archive.entries()) streams.push(await entry.openStream());
      const [stream] = streams;
      await new Promise((r) => setTimeout(r, 20));
      // before: an 'error' event with no listener, which ends the process (vitest reports it as unhandled)
      await archive.dispose();
      await new Promise((r) => setTimeout(r, 20));
      const error = await finished(stream as NodeJS.ReadableStream).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ArchiveError);
      expect((error as Error).message).toBe('The archive a.zip was closed before this entry was read to the end');
    },
  );

  it("the archive's own bytes, passed on whole: a reader that lets go closes the file", async () => {
    const file = await tempFile('whole.zip', randomBytes(1024 * 1024));
    const downloaded = new DownloadedArchive(file, 1024 * 1024, async () => undefined);
    const stream = downloaded.stream();
    for await (const _chunk of stream) break;
    // before: pipe() left the file's read stream paused, its descriptor open for good
    for (let i = 0; i < 20 && (await openOn(file)) > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await openOn(file)).toBe(0);
    await downloaded.close();
  });
});
