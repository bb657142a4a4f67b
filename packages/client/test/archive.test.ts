import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../src/archive/byte-source.js';
import { readDirectory } from '../src/archive/zip-directory.js';
import { ArchiveError, openArchive } from '../src/index.js';

const DATE = new Date(Date.UTC(2026, 2, 4, 5, 6, 8));

async function zipFile(entries: Array<{ name: string; content?: string; mode?: number }>): Promise<string> {
  const zip = new JSZip();
  for (const e of entries)
    zip.file(e.name, e.content ?? `content of ${e.name}`, {
      date: DATE,
      unixPermissions: e.mode ?? 0o100644,
      createFolders: false,
    });
  const file = join(await mkdtemp(join(tmpdir(), 'archive-test-')), 'a.zip');
  await writeFile(file, await zip.generateAsync({ type: 'nodebuffer', platform: 'UNIX', compression: 'DEFLATE' }));
  return file;
}

async function readAll(
  file: string,
  options = {},
): Promise<Array<{ name: string; mode: number; mtime: string; text: string; size: number }>> {
  const out = [];
  for await (const entry of await openArchive(file, options)) {
    out.push({
      name: entry.name,
      mode: entry.mode,
      mtime: entry.mtime.toISOString(),
      text: (await entry.read()).toString(),
      size: entry.size,
    });
  }
  return out;
}

async function refusal(file: string, options = {}): Promise<ArchiveError> {
  try {
    await readAll(file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveError);
    return error as ArchiveError;
  }
  throw new Error('the archive was accepted');
}

describe('openArchive', () => {
  it('gives each entry its name, size, mode, mtime and bytes, in archive order', async () => {
    const file = await zipFile([
      { name: 'index.html', content: '<html></html>' },
      { name: 'bin/run.sh', content: '#!/bin/sh', mode: 0o100755 },
    ]);
    expect(await readAll(file)).toEqual([
      { name: 'index.html', mode: 0o100644, mtime: DATE.toISOString(), text: '<html></html>', size: 13 },
      { name: 'bin/run.sh', mode: 0o100755, mtime: DATE.toISOString(), text: '#!/bin/sh', size: 9 },
    ]);
  });

  it('streams entries too', async () => {
    const file = await zipFile([{ name: 'big.txt', content: 'x'.repeat(100_000) }]);
    for await (const entry of await openArchive(file)) {
      let n = 0;
      for await (const chunk of await entry.openStream()) n += (chunk as Buffer).length;
      expect(n).toBe(100_000);
    }
  });

  it('streams hundreds of entries from one file handle: no MaxListeners warning (no piled listeners)', async () => {
    const file = await zipFile(
      Array.from({ length: 200 }, (_, i) => ({ name: `f${i}.txt`, content: `file ${i} `.repeat(100) })),
    );
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      let total = 0;
      for await (const entry of await openArchive(file))
        for await (const chunk of await entry.openStream()) total += (chunk as Buffer).length;
      expect(total).toBeGreaterThan(200 * 600);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map(String)).toEqual([]);
  });

  it('drops setuid and other special bits', async () => {
    const file = await zipFile([{ name: 'x', mode: 0o104755 }]);
    expect((await readAll(file))[0]?.mode).toBe(0o100755);
  });

  it.each([
    ['../x', 'it has a ".." segment that climbs out of the output folder'],
    ['a/../../b.txt', 'it has a ".." segment that climbs out of the output folder'],
    ['/etc/passwd', 'it is an absolute path'],
    ['C:/Windows/evil.dll', 'it starts with a drive letter'],
    ['..\\evil.txt', 'it has a ".." segment that climbs out of the output folder'],
  ])('refuses the hostile entry %j, naming it', async (name, reason) => {
    const file = await zipFile([{ name: 'index.html' }, { name }]);
    const error = await refusal(file);
    expect(error.entry?.replace(/\\/g, '/')).toBe(name.replace(/\\/g, '/'));
    expect(error.message).toContain(reason);
    expect(error.message).toMatch(/It was refused and nothing was extracted from it/);
  });

  it.each(['.', './.', './'])('refuses %j, which names the output folder itself', async (name) => {
    const file = await zipFile([{ name }]);
    expect((await refusal(file)).message).toMatch(/it names the output folder itself|it is empty/);
  });

  it('gives nothing at all from an archive with a hostile entry after good ones', async () => {
    const file = await zipFile([{ name: 'a.txt' }, { name: 'b.txt' }, { name: '../evil.txt' }]);
    const given: string[] = [];
    await expect(
      (async () => {
        for await (const entry of await openArchive(file)) given.push(entry.name);
      })(),
    ).rejects.toBeInstanceOf(ArchiveError);
    expect(given).toEqual([]);
  });

  it('refuses a name with a NUL character', async () => {
    const file = await zipFile([{ name: 'a\u0000b.txt' }]);
    expect((await refusal(file)).message).toContain('it contains a NUL character');
  });

  it('skips symlink entries by default and can refuse them', async () => {
    const file = await zipFile([{ name: 'link', content: '/etc', mode: 0o120777 }, { name: 'real.txt' }]);
    const skipped: string[] = [];
    const given: string[] = [];
    const archive = await openArchive(file);
    for await (const entry of archive.entries((name, why) => skipped.push(`${name}: ${why}`))) given.push(entry.name);
    await archive.close();
    expect(given).toEqual(['real.txt']);
    expect(skipped).toEqual(['link: symbolic link']);
    expect((await refusal(file, { symlinks: 'reject' })).message).toMatch(
      /The archive has a symbolic link "link": refused/,
    );
  });

  it('enforces the entry count and total size limits against zip bombs', async () => {
    const file = await zipFile([
      { name: 'a', content: 'x'.repeat(1000) },
      { name: 'b', content: 'y'.repeat(1000) },
    ]);
    await expect(openArchive(file, { maxEntries: 1 })).rejects.toThrow(
      /The archive has 2 entries, over the limit of 1: raise maxEntries/,
    );
    expect((await refusal(file, { maxTotalBytes: 1500 })).message).toMatch(
      /expands to more than 1500 bytes \(at entry "b"\): refused as a possible zip bomb/,
    );
  });

  it('says a corrupt or foreign file is not a usable zip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'archive-test-'));
    const notZip = join(dir, 'x.zip');
    await writeFile(notZip, 'this is not a zip file at all, just text long enough to look for a directory');
    await expect(openArchive(notZip)).rejects.toThrow(
      /The archive .*x\.zip is corrupt or not a zip \(.*\): download it again, or run the build again/,
    );
    await expect(openArchive(join(dir, 'missing.zip'))).rejects.toBeInstanceOf(ArchiveError);
  });
});

describe('an end record that claims the directory starts far back', () => {
  it('does not hold the archive in memory to read it: small reads, then the error', async () => {
    // 200 MiB of zeros, then an end record saying one entry's directory starts at offset 0
    const size = 200 * 1024 * 1024;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46, 12);
    end.writeUInt32LE(0, 16);
    const reads: number[] = [];
    const source: ByteSource = {
      size,
      async read(buffer, offset, length, position) {
        reads.push(length);
        buffer.fill(0, offset, offset + length);
        const from = Math.max(position, size - 22);
        if (from < position + length)
          end.copy(buffer, offset + from - position, from - (size - 22), Math.min(22, position + length - (size - 22)));
        return Math.min(length, size - position);
      },
      close: async () => undefined,
    };
    await expect(readDirectory(source, () => undefined)).rejects.toThrow(/central directory/i);
    expect(Math.max(...reads)).toBeLessThan(1024 * 1024);
  });
});
